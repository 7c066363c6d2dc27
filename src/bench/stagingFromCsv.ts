/**
 * Loads interface-format CSV extracts straight into the staging tables
 * (stg_calworks, stg_cws) with the contract of src/README.md, without the
 * ingest stage's files, quarantine and snapshots: read_csv all_varchar, then
 * ingest's own compiler of field kinds to SQL (src/ingest/validationSql.ts),
 * so a value is read here exactly as a night reads it. For matching tests
 * and benchmarks: no quarantine, every row is trusted (an unreadable value
 * is NULL). The nightly pipeline uses src/ingest/.
 */
import type { Db } from '../db/database.js';
import { ident, lit } from '../db/sql.js';
import { SQL_TYPE } from '../db/fieldTypes.js';
import { trimmedSql, valueSql } from '../ingest/validationSql.js';
import { calworksFields } from '../../schemas/calworks.js';
import { cwsFields } from '../../schemas/cws.js';
import type { FieldSpec } from '../../schemas/fields.js';

async function loadOne(db: Db, table: string, file: string, fields: FieldSpec[]): Promise<number> {
  const source = `read_csv(${lit(file)}, all_varchar = true, header = true)`;
  const cols = await db.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${source}`);
  const present = new Set(cols.map((c) => c.column_name.toLowerCase()));
  const read = fields.filter((f) => present.has(f.name));
  const trimmed = read.map((f) => `${trimmedSql(ident(f.name))} AS ${ident(f.name)}`);
  const typed = fields.map((f) =>
    present.has(f.name) ? `${valueSql(f, ident(f.name))} AS ${ident(f.name)}` : `NULL::${SQL_TYPE[f.meta.kind]} AS ${ident(f.name)}`,
  );
  await db.exec(`
    CREATE OR REPLACE TABLE ${table} AS
    SELECT source_line,
      ${typed.join(',\n      ')},
      NULL::JSON AS extra_columns
    FROM (SELECT (row_number() OVER () + 1)::INTEGER AS source_line${trimmed.map((t) => `, ${t}`).join('')} FROM ${source})`);
  return db.count(`SELECT count(*) FROM ${table}`);
}

export async function loadStagingFromCsv(db: Db, calworksCsv: string, cwsCsv: string): Promise<{ calworks: number; cws: number }> {
  return {
    calworks: await loadOne(db, 'stg_calworks', calworksCsv, calworksFields),
    cws: await loadOne(db, 'stg_cws', cwsCsv, cwsFields),
  };
}
