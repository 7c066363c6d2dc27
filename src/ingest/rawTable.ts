/**
 * The raw table of one input: `line BIGINT`, `needs_trim BOOLEAN` (some cell has
 * whitespace to trim), then one VARCHAR column per source column (`c0`, `c1`,
 * ... in file order), whatever the file format. Every
 * reader ends here, so validation is one code path. Rejected records (found
 * by the JavaScript readers) land in `rej_<input>(line, reason, raw_row)`.
 */
import type { Db } from '../db/database.js';
import { ident, lit } from '../db/sql.js';
import type { InputName } from './inputs.js';
import { US } from './rawFile.js';

export const rawTable = (input: InputName) => `raw_${input}`;
/** The table a plain CSV file is read into; raw_<input> is then a view of it (plainCsv.ts). */
export const plainTable = (input: InputName) => `raw_${input}_csv`;
export const rejectTable = (input: InputName) => `rej_${input}`;
export const rawColumn = (position: number) => `c${position}`;

/** Longest record (in bytes) the intermediate files may hold; longer records are rejected by the readers. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

function readIntermediate(path: string, columns: [string, string][]): string {
  const spec = columns.map(([name, type]) => `${lit(name)}: ${lit(type)}`).join(', ');
  return `read_csv(${lit(path)}, header = false, delim = ${lit(US)}, quote = '"', escape = '"', new_line = '\\n',
    columns = {${spec}}, auto_detect = false, max_line_size = ${MAX_LINE_BYTES}, buffer_size = ${2 * MAX_LINE_BYTES}, null_padding = false)`;
}

/** Bulk-load the intermediate files written by a JavaScript reader. */
export async function loadIntermediate(
  db: Db,
  input: InputName,
  width: number,
  rowsPath: string,
  rejectsPath: string,
  counts: { written: number; rejected: number },
): Promise<void> {
  const columns: [string, string][] = [
    ['line', 'BIGINT'],
    ['needs_trim', 'BOOLEAN'],
  ];
  for (let i = 0; i < width; i++) columns.push([rawColumn(i), 'VARCHAR']);
  const rawDdl = columns.map(([n, t]) => `${ident(n)} ${t}`).join(', ');
  // read_csv refuses an empty file; an empty table says the same.
  await db.exec(`CREATE OR REPLACE TEMP TABLE ${rawTable(input)} (${rawDdl})`);
  if (counts.written > 0) await db.exec(`INSERT INTO ${rawTable(input)} SELECT * FROM ${readIntermediate(rowsPath, columns)}`);
  await createRejectTable(db, input);
  if (counts.rejected > 0) {
    await db.exec(
      `INSERT INTO ${rejectTable(input)} SELECT * FROM ${readIntermediate(rejectsPath, [
        ['line', 'BIGINT'],
        ['reason', 'VARCHAR'],
        ['raw_row', 'VARCHAR'],
      ])}`,
    );
  }
}

export async function createRejectTable(db: Db, input: InputName): Promise<void> {
  await db.exec(`CREATE OR REPLACE TEMP TABLE ${rejectTable(input)} (line BIGINT, reason VARCHAR, raw_row VARCHAR)`);
}

export async function dropRawTables(db: Db, input: InputName): Promise<void> {
  const views = await db.count(`SELECT count(*) FROM duckdb_views() WHERE temporary AND view_name = ${lit(rawTable(input))}`);
  await db.exec(views ? `DROP VIEW ${rawTable(input)}` : `DROP TABLE IF EXISTS ${rawTable(input)}`);
  await db.exec(`DROP TABLE IF EXISTS ${plainTable(input)}; DROP TABLE IF EXISTS ${rejectTable(input)}`);
}
