/**
 * Matching a file's header onto the canonical fields of its extract.
 *
 * Names are compared case-insensitively after trimming (JavaScript's trim, so
 * a UTF-8 byte-order mark on the first name goes too). A county's own header
 * names come in through `config.input.columns.<input>` (canonical -> county
 * name). Columns the schema does not know are kept as extras. Every problem
 * is a one-line usage error naming the file, never a value from the data.
 */
import { usageError } from '../runtime/errors.js';
import type { InputSpec } from './inputs.js';

export interface SourceColumn {
  /** 0-based position in the file. */
  position: number;
  /** The header as written (trimmed); `column_<n>` for an empty one. */
  header: string;
  /** The canonical field it feeds, or undefined for an extra column. */
  field?: string;
}

export interface HeaderPlan {
  columns: SourceColumn[];
  /** Canonical field -> position in the file (absent optional fields are missing). */
  fieldPosition: Map<string, number>;
  extras: SourceColumn[];
}

const key = (name: string) => name.trim().toLowerCase();

/** Config check, done before any file is read: mapping keys must be fields of the extract. */
export function checkColumnMapping(spec: InputSpec, mapping: Record<string, string>): void {
  const known = new Set(spec.fields.map((f) => f.name));
  const targets = new Map<string, string>();
  for (const [canonical, county] of Object.entries(mapping)) {
    if (!known.has(canonical)) {
      throw usageError(`config input.columns.${spec.name}: "${canonical}" is not a column of the ${spec.name} extract`);
    }
    const k = key(county);
    if (!k) throw usageError(`config input.columns.${spec.name}.${canonical}: empty header name`);
    const other = targets.get(k);
    if (other) throw usageError(`config input.columns.${spec.name}: "${county}" is mapped to both ${other} and ${canonical}`);
    targets.set(k, canonical);
  }
}

export function planHeader(spec: InputSpec, headers: readonly string[], mapping: Record<string, string>, file: string): HeaderPlan {
  checkColumnMapping(spec, mapping);
  const columns: SourceColumn[] = headers.map((h, position) => {
    // Control characters (a NUL in a damaged header) cannot go into SQL text or JSON keys.
    const header = h.trim().replace(/[\u0000-\u001f\u007f]/g, '\ufffd');
    return { position, header: header || `column_${position + 1}` };
  });

  const byKey = new Map<string, SourceColumn>();
  for (const c of columns) {
    const k = key(c.header);
    if (byKey.has(k)) throw usageError(`${spec.flag} ${file}: duplicate column "${c.header}" in the header`);
    byKey.set(k, c);
  }

  const fieldPosition = new Map<string, number>();
  const missing: string[] = [];
  for (const f of spec.fields) {
    const mapped = mapping[f.name];
    // The county's own name first; the canonical name still works when the mapped one is absent.
    const col = (mapped !== undefined ? byKey.get(key(mapped)) : undefined) ?? byKey.get(key(f.name));
    if (col && col.field === undefined) {
      col.field = f.name;
      fieldPosition.set(f.name, col.position);
    } else if (f.meta.required) {
      missing.push(mapped !== undefined ? `${f.name} (mapped to "${mapped}")` : f.name);
    }
  }
  if (missing.length) {
    throw usageError(`${spec.flag} ${file}: missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  }
  return { columns, fieldPosition, extras: columns.filter((c) => c.field === undefined) };
}
