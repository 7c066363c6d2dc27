/**
 * Writing CSV files from SQL through DuckDB's COPY: RFC 4180, UTF-8, header
 * row, every text cell spreadsheet-escaped (see csv_escape in db/macros.ts).
 * Callers give a deterministic ORDER BY so a re-run writes the same bytes.
 */
import { renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Db } from './database.js';
import { ident, lit } from './sql.js';

interface ColumnInfo {
  column_name: string;
  column_type: string;
}

/** Escape the text columns of a query, keeping its column order and names. */
export async function escapedSelect(db: Db, sql: string): Promise<string> {
  const cols = await db.all<ColumnInfo>(`DESCRIBE (${sql})`);
  const list = cols
    .map((c) => (c.column_type === 'VARCHAR' ? `csv_escape(${ident(c.column_name)}) AS ${ident(c.column_name)}` : ident(c.column_name)))
    .join(', ');
  return `SELECT ${list} FROM (${sql})`;
}

/** Write the rows of `sql` to `path` (through a temporary name, then rename). */
export async function writeCsv(db: Db, sql: string, path: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.tmp`);
  const select = await escapedSelect(db, sql);
  await db.exec(`COPY (${select}) TO ${lit(tmp)} (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '"', ESCAPE '"', NULLSTR '')`);
  renameSync(tmp, path);
}

/** Same, for a JS formula-escaping check on values written outside DuckDB. */
export function csvEscapeValue(s: string): string {
  if (/^[=+\-@\t\r]/.test(s) && !/^[+-]?[0-9]+(\.[0-9]+)?$/.test(s)) return `'${s}`;
  return s;
}

export function csvUnescapeValue(s: string): string {
  return /^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s;
}
