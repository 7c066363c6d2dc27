/**
 * Tables owned by ingest (contract in src/README.md, "Staging"):
 *   snap_<input>  run_date + the staging columns, one set per night (retention in config)
 *   stg_<input>   tonight's valid rows: source_line, the schema's fields, extra_columns.
 *                 A view of tonight's snapshot: same columns, and the night's rows are
 *                 written to disk once instead of twice (a persisted copy of 1.3M rows
 *                 costs as much as DuckDB's whole read_csv of the extracts).
 *   quarantine    run_date, input, source_file, line, reason, raw_row
 * The column lists come from the zod schemas, so a new schema field flows
 * into every table. (A field added later needs an ALTER on existing snapshot
 * tables; CREATE IF NOT EXISTS does not change a table that exists.)
 */
import type { Db } from '../db/database.js';
import type { TableContract } from '../db/contract.js';
import { dateLit, ident, lit } from '../db/sql.js';
import { INPUT_NAMES, INPUT_SPECS, snapshotTable, stagingTable, type InputName } from './inputs.js';

/** The staging columns in table order, for INSERT ... SELECT lists. */
export function stagingColumns(input: InputName): string[] {
  return ['source_line', ...INPUT_SPECS[input].fields.map((f) => f.name), 'extra_columns'];
}

/**
 * Before the night's transaction, stg_<input> is a TEMP view of the validated rows (the same rows
 * the snapshot gets), so normalize and match can do their work before the transaction opens:
 * DuckDB scans a table made inside a transaction on one thread only (duckdb/duckdb#18074), and
 * the night's working tables are read many times. `validated` is absent for an input not given.
 */
export async function previewStaging(db: Db, input: InputName, validated: string | undefined): Promise<void> {
  const cols = stagingColumns(input).map(ident).join(', ');
  const rows = validated ? `FROM ${validated} WHERE reason = ''` : `FROM ${snapshotTable(input)} WHERE FALSE`;
  await db.exec(`CREATE OR REPLACE TEMP VIEW ${stagingTable(input)} AS SELECT ${cols} ${rows}`);
}

/**
 * Point stg_<input> at the night's snapshot: a view in the database (replacing a table of that name
 * left by a tool or an older version). `keepPreview`: previewStaging's TEMP view stays until
 * endStagingPreview, shadowing it on this connection for the rest of the night, so the later
 * stages read tonight's rows in parallel instead of from the snapshot written inside the night's
 * transaction (the same rows); otherwise it is dropped here.
 */
export async function publishStaging(db: Db, input: InputName, runDate: string, keepPreview = false): Promise<void> {
  const stg = stagingTable(input);
  if (!keepPreview) await db.exec(`DROP VIEW IF EXISTS temp.main.${stg}`);
  if ((await db.count(`SELECT count(*) FROM duckdb_tables() WHERE table_name = ${lit(stg)} AND NOT temporary`)) > 0) {
    await db.exec(`DROP TABLE ${stg}`);
  }
  const cols = stagingColumns(input).map(ident).join(', ');
  await db.exec(`CREATE OR REPLACE VIEW ${stg} AS SELECT ${cols} FROM ${snapshotTable(input)} WHERE run_date = ${dateLit(runDate)}`);
}

/** The end of the night's preview: stg_<input> are the database's views of the snapshot again, and `validated` tables are dropped. */
export async function endStagingPreview(db: Db, validated: (input: InputName) => string): Promise<void> {
  for (const input of INPUT_NAMES) {
    await db.exec(`DROP VIEW IF EXISTS temp.main.${stagingTable(input)}`);
    await db.exec(`DROP TABLE IF EXISTS temp.main.${validated(input)}`);
  }
}

/** The tables ingest writes, and what it promises about them (src/db/contract.ts); stg_<input> are views of snap_<input>. */
export const INGEST_TABLES: readonly TableContract[] = [
  ...INPUT_NAMES.map((input) => ({ table: snapshotTable(input), nightly: true, grain: ['source_line'], notNull: ['source_line'] })),
  { table: 'quarantine', nightly: true, allowed: { input: INPUT_NAMES } },
];
