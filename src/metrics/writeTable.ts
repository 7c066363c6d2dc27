/**
 * Writing a metrics table as CSV (formula-escaped, through writeCsv),
 * Parquet (DuckDB COPY) or Arrow IPC file format (apache-arrow), with its
 * SQL types kept: dates as dates, counts as integers, rates as doubles.
 * Rows in a fixed order, so the same database writes the same files.
 */
import { chmodSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Bool, DateDay, Float64, Int32, Int64, Table, Utf8, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';
import type { Db } from '../db/database.js';
import { ident, lit } from '../db/sql.js';
import { writeCsv } from '../export/csv.js';

export const METRICS_FORMATS = ['csv', 'parquet', 'arrow'] as const;
export type MetricsFormat = (typeof METRICS_FORMATS)[number];

export const extensionOf = (format: MetricsFormat) => (format === 'arrow' ? 'arrow' : format);

interface ColumnInfo {
  column_name: string;
  column_type: string;
}

/** One column of JSON-ish values (as DuckDB's getRowObjectsJson gives them) as an Arrow vector of its SQL type. */
export function arrowColumn(type: string, values: unknown[]): Vector {
  const t = type.toUpperCase();
  const nul = (v: unknown) => v === null || v === undefined;
  if (t === 'VARCHAR') return vectorFromArray(values.map((v) => (nul(v) ? null : String(v))), new Utf8());
  if (t === 'BOOLEAN') return vectorFromArray(values.map((v) => (nul(v) ? null : v === true || v === 'true')), new Bool());
  if (t === 'DATE') return vectorFromArray(values.map((v) => (nul(v) ? null : new Date(`${String(v)}T00:00:00Z`))), new DateDay());
  if (t === 'BIGINT' || t === 'HUGEINT' || t === 'UBIGINT') return vectorFromArray(values.map((v) => (nul(v) ? null : BigInt(String(v)))), new Int64());
  if (t === 'INTEGER' || t === 'SMALLINT' || t === 'TINYINT') return vectorFromArray(values.map((v) => (nul(v) ? null : Number(v))), new Int32());
  if (t === 'DOUBLE' || t === 'FLOAT' || t.startsWith('DECIMAL')) return vectorFromArray(values.map((v) => (nul(v) ? null : Number(v))), new Float64());
  throw new Error(`metrics: no Arrow type for SQL type ${type}`);
}

async function writeArrow(db: Db, sql: string, path: string): Promise<void> {
  const cols = await db.all<ColumnInfo>(`DESCRIBE (${sql})`);
  const rows = await db.all<Record<string, unknown>>(sql);
  const vectors: Record<string, Vector> = {};
  for (const c of cols) vectors[c.column_name] = arrowColumn(c.column_type, rows.map((r) => r[c.column_name]));
  const tmp = join(dirname(path), `.${basename(path)}.tmp`);
  writeFileSync(tmp, tableToIPC(new Table(vectors), 'file'), { mode: 0o600 });
  renameSync(tmp, path);
}

/** Write `table` (ordered by `orderBy`) to DIR/<table>.<ext>; returns the file. */
export async function writeMetricsTable(db: Db, table: string, orderBy: string, dir: string, format: MetricsFormat): Promise<string> {
  const sql = `SELECT * FROM ${ident(table)} ORDER BY ${orderBy}`;
  const path = join(dir, `${table}.${extensionOf(format)}`);
  if (format === 'csv') await writeCsv(db, sql, path);
  else if (format === 'parquet') {
    const tmp = join(dir, `.${table}.parquet.tmp`);
    await db.exec(`COPY (${sql}) TO ${lit(tmp)} (FORMAT parquet)`);
    renameSync(tmp, path);
  } else await writeArrow(db, sql, path);
  chmodSync(path, 0o600);
  return path;
}
