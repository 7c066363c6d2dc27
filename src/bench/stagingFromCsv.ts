/**
 * Loads interface-format CSV extracts straight into the staging tables
 * (stg_calworks, stg_cws) with the contract of src/README.md, without the
 * ingest stage: read_csv all_varchar, then the casts the schemas ask for.
 * For matching tests and the accuracy benchmark: no quarantine, every row is
 * trusted (the benchmark extracts are clean by construction). The nightly
 * pipeline uses src/ingest/ instead.
 */
import type { Db } from '../db/database.js';
import { ident, lit } from '../db/sql.js';
import { calworksFields } from '../../schemas/calworks.js';
import { cwsFields } from '../../schemas/cws.js';
import type { FieldSpec } from '../../schemas/fields.js';

function cast(spec: FieldSpec): string {
  const c = `nullif(trim(${ident(spec.name)}), '')`;
  switch (spec.meta.kind) {
    case 'text':
      return c;
    case 'date':
      return `coalesce(try_strptime(${c}, '%Y-%m-%d'), try_strptime(${c}, '%m/%d/%Y'))::DATE`;
    case 'flag':
      return `CASE WHEN upper(${c}) IN ('Y', '1', 'TRUE') THEN TRUE WHEN upper(${c}) IN ('N', '0', 'FALSE') THEN FALSE END`;
    case 'enum':
      return `CASE WHEN list_contains([${(spec.meta.values ?? []).map(lit).join(', ')}], upper(${c})) THEN upper(${c}) END`;
    case 'number':
      return `try_cast(${c} AS DOUBLE)`;
    case 'integer':
      return `try_cast(${c} AS INTEGER)`;
    case 'ssn':
      return `CASE WHEN regexp_full_match(${c}, '[0-9]{3}-?[0-9]{2}-?[0-9]{4}') THEN replace(${c}, '-', '') END`;
  }
}

async function loadOne(db: Db, table: string, file: string, fields: FieldSpec[]): Promise<number> {
  const cols = await db.all<{ column_name: string }>(
    `DESCRIBE SELECT * FROM read_csv(${lit(file)}, all_varchar = true, header = true)`,
  );
  const present = new Set(cols.map((c) => c.column_name.toLowerCase()));
  const select = fields
    .map((f) => (present.has(f.name) ? `${cast(f)} AS ${ident(f.name)}` : `NULL::${sqlType(f)} AS ${ident(f.name)}`))
    .join(',\n  ');
  await db.exec(`
    CREATE OR REPLACE TABLE ${table} AS
    SELECT (row_number() OVER () + 1)::INTEGER AS source_line,
      ${select},
      NULL::JSON AS extra_columns
    FROM read_csv(${lit(file)}, all_varchar = true, header = true)`);
  return db.count(`SELECT count(*) FROM ${table}`);
}

function sqlType(f: FieldSpec): string {
  switch (f.meta.kind) {
    case 'date':
      return 'DATE';
    case 'flag':
      return 'BOOLEAN';
    case 'number':
      return 'DOUBLE';
    case 'integer':
      return 'INTEGER';
    default:
      return 'VARCHAR';
  }
}

export async function loadStagingFromCsv(db: Db, calworksCsv: string, cwsCsv: string): Promise<{ calworks: number; cws: number }> {
  return {
    calworks: await loadOne(db, 'stg_calworks', calworksCsv, calworksFields),
    cws: await loadOne(db, 'stg_cws', cwsCsv, cwsFields),
  };
}
