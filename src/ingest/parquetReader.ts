/**
 * Parquet extracts through DuckDB's own reader, straight into the raw table
 * (every column as text, line = row number + 1, the first row being line 2
 * as under a CSV header). Typed Parquet columns are rendered the way the
 * extract format writes them, so one validation serves every format.
 */
import { usageError } from '../runtime/errors.js';
import type { Db } from '../db/database.js';
import { ident, lit } from '../db/sql.js';
import { redact } from '../runtime/logger.js';
import type { HeaderPlan } from './header.js';
import type { InputSpec } from './inputs.js';
import { createRejectTable, rawColumn, rawTable } from './rawTable.js';
import { needsTrimSql } from './validationSql.js';

export interface ParquetColumn {
  name: string;
  type: string;
}

const source = (path: string) => `read_parquet(${lit(path)}, file_row_number = true)`;

function unreadable(spec: InputSpec, path: string, err: unknown): Error {
  const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  return usageError(`${spec.flag} ${path}: not a readable Parquet file (${redact(message)})`);
}

export async function parquetColumns(db: Db, spec: InputSpec, path: string): Promise<ParquetColumn[]> {
  try {
    const rows = await db.all<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM read_parquet(${lit(path)})`);
    return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
  } catch (err) {
    throw unreadable(spec, path, err);
  }
}

const INTEGER_TYPE = /^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/;
const FRACTION_TYPE = /^(FLOAT|DOUBLE|DECIMAL\b.*)$/;

/**
 * A typed column as the text a CSV extract would carry. Numbers that are
 * whole print without a fraction whatever their type (pandas writes ids and
 * SSNs as DOUBLE: 446192416.0 is 446192416); an SSN stored as a number gets
 * back the leading zeros a number cannot keep (12345678 is 012345678).
 */
export function asText(col: string, type: string, kind: string | undefined): string {
  if (type === 'DATE' || type.startsWith('TIMESTAMP')) return `strftime(${col}::DATE, '%Y-%m-%d')`;
  let text: string;
  if (INTEGER_TYPE.test(type)) text = `${col}::VARCHAR`;
  else if (FRACTION_TYPE.test(type)) {
    const finite = type.startsWith('DECIMAL') ? 'TRUE' : `isfinite(${col})`;
    text = `CASE WHEN ${finite} AND ${col} = trunc(${col}) AND abs(${col}) < 1e18 THEN trunc(${col})::HUGEINT::VARCHAR ELSE ${col}::VARCHAR END`;
  } else return `${col}::VARCHAR`;
  return kind === 'ssn' ? `CASE WHEN ${col} >= 0 AND length(${text}) < 9 THEN lpad(${text}, 9, '0') ELSE ${text} END` : text;
}

/** Load the raw table; returns the number of records. */
export async function loadParquetRaw(db: Db, spec: InputSpec, path: string, columns: ParquetColumn[], plan: HeaderPlan): Promise<number> {
  const kinds = new Map(spec.fields.map((f) => [f.name, f.meta.kind]));
  const select = plan.columns.map((c) => {
    const col = columns[c.position]!;
    return `${asText(ident(col.name), col.type, c.field ? kinds.get(c.field) : undefined)} AS ${rawColumn(c.position)}`;
  });
  try {
    await db.exec(
      `CREATE OR REPLACE TEMP TABLE ${rawTable(spec.name)} AS
       SELECT line, ${needsTrimSql(plan.columns.map((c) => rawColumn(c.position)))} AS needs_trim, * EXCLUDE (line)
       FROM (SELECT (file_row_number + 2)::BIGINT AS line, ${select.join(', ')} FROM ${source(path)}) ORDER BY line`,
    );
  } catch (err) {
    throw unreadable(spec, path, err);
  }
  await createRejectTable(db, spec.name);
  return db.count(`SELECT count(*) FROM ${rawTable(spec.name)}`);
}
