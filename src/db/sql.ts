/** Small helpers for building SQL text safely. Values go through `lit`, names through `ident`. */

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function lit(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as SQL`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return `'${value.replace(/'/g, "''")}'`;
}

export function dateLit(isoDate: string): string {
  return `DATE ${lit(isoDate)}`;
}

/** `'a', 'b'` for an IN list; an empty list gives `NULL` so `x IN (NULL)` is false. */
export function litList(values: readonly (string | number)[]): string {
  return values.length ? values.map(lit).join(', ') : 'NULL';
}
