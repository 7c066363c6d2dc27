/**
 * Writing a metrics table as CSV (formula-escaped, through writeCsv),
 * Parquet (DuckDB COPY) or Arrow IPC file format (apache-arrow), with its
 * SQL types kept: dates as dates, counts as integers, rates as doubles.
 * Rows in a fixed order, so the same database writes the same files.
 */
import { chmodSync, createWriteStream, renameSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { basename, dirname, join } from 'node:path';
import {
  Bool,
  DateDay,
  Field,
  Float64,
  Int32,
  Int64,
  List,
  RecordBatch,
  RecordBatchFileWriter,
  Schema,
  Struct,
  Utf8,
  makeData,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import type { Db } from '../db/database.js';
import { ident, lit } from '../db/sql.js';
import { writeCsv } from '../db/csv.js';
import { CODEBOOK, columnDescription, columnDoc } from './codebook.js';

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
  if (t === 'VARCHAR[]') {
    return vectorFromArray(
      values.map((v) => (nul(v) ? null : (v as unknown[]).map((x) => String(x)))),
      new List(new Field('item', new Utf8(), true)),
    );
  }
  if (t === 'VARCHAR')
    return vectorFromArray(
      values.map((v) => (nul(v) ? null : String(v))),
      new Utf8(),
    );
  if (t === 'BOOLEAN')
    return vectorFromArray(
      values.map((v) => (nul(v) ? null : v === true || v === 'true')),
      new Bool(),
    );
  if (t === 'DATE')
    return vectorFromArray(
      values.map((v) => (nul(v) ? null : new Date(`${String(v)}T00:00:00Z`))),
      new DateDay(),
    );
  if (t === 'BIGINT' || t === 'HUGEINT' || t === 'UBIGINT')
    return vectorFromArray(
      values.map((v) => (nul(v) ? null : BigInt(String(v)))),
      new Int64(),
    );
  if (t === 'INTEGER' || t === 'SMALLINT' || t === 'TINYINT')
    return vectorFromArray(
      values.map((v) => (nul(v) ? null : Number(v))),
      new Int32(),
    );
  if (t === 'DOUBLE' || t === 'FLOAT' || t.startsWith('DECIMAL'))
    return vectorFromArray(
      values.map((v) => (nul(v) ? null : Number(v))),
      new Float64(),
    );
  throw new Error(`metrics: no Arrow type for SQL type ${type}`);
}

/**
 * Arrow IPC (file format) with each field's description and unit from the
 * codebook in its metadata. Streamed: one record batch per DuckDB chunk
 * (2,048 rows), written as it comes, so a record-level table of any length
 * never sits whole in Node's memory.
 */
async function writeArrow(db: Db, table: string, sql: string, path: string): Promise<void> {
  const cols = await db.all<ColumnInfo>(`DESCRIBE (${sql})`);
  const tdoc = CODEBOOK.find((t) => t.table === table);
  let schema: Schema | undefined;
  const batchOf = (rows: Record<string, unknown>[]): RecordBatch => {
    const vectors = cols.map((c) =>
      arrowColumn(
        c.column_type,
        rows.map((r) => r[c.column_name]),
      ),
    );
    schema ??= new Schema(
      cols.map((c, i) => {
        const doc = columnDoc(table, c.column_name);
        const meta = new Map<string, string>(
          doc
            ? [
                ['description', columnDescription(doc)],
                ['unit', doc.unit],
              ]
            : [],
        );
        return new Field(c.column_name, vectors[i]!.type as DataType, true, meta);
      }),
      new Map(
        tdoc
          ? [
              ['grain', tdoc.grain],
              ['suppression', tdoc.suppression],
            ]
          : [],
      ),
    );
    const data = vectors.map((v, i) => {
      if (v.data.length > 1) throw new Error(`metrics: column ${cols[i]!.column_name} came in ${v.data.length} chunks`);
      return v.data[0] ?? makeData({ type: v.type as DataType, length: 0 });
    });
    return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children: data }));
  };
  const tmp = join(dirname(path), `.${basename(path)}.tmp`);
  const writer = new RecordBatchFileWriter();
  const written = pipeline(writer.toNodeStream(), createWriteStream(tmp, { mode: 0o600 }));
  try {
    const result = await db.connection.stream(sql);
    let rows = 0;
    for await (const chunk of result.yieldRowObjectJson()) {
      if (chunk.length === 0) continue;
      writer.write(batchOf(chunk));
      rows += chunk.length;
    }
    if (rows === 0) writer.write(batchOf([])); // the schema (and its codebook) even for an empty table
    writer.finish();
    await written;
  } catch (err) {
    writer.abort();
    await written.catch(() => undefined);
    throw err;
  }
  renameSync(tmp, path);
}

/**
 * The CSV view of a table: lists joined with ';', and a withheld count
 * written as "<11" (small) or "withheld" (complementary), as a reader of
 * the CSV in a spreadsheet expects. Parquet and Arrow keep NULL and the
 * suppressed* columns.
 */
async function csvSelect(db: Db, table: string, sql: string, threshold: number | null): Promise<string> {
  const cols = await db.all<ColumnInfo>(`DESCRIBE (${sql})`);
  const small = `'<${threshold ?? 11}'`;
  const tidy = cols.some((c) => c.column_name === 'suppressed' && c.column_type === 'VARCHAR');
  const lists = cols.some((c) => c.column_name === 'suppressed_small');
  const select = cols.map((c) => {
    const col = ident(c.column_name);
    if (c.column_type.endsWith('[]')) return `array_to_string(${col}, ';') AS ${col}`;
    const doc = columnDoc(table, c.column_name);
    const canHide = doc && (doc.count || doc.unit.startsWith('share') || doc.unit === 'days') && c.column_name !== 'day';
    if (tidy && c.column_name === 'value') {
      return `CASE suppressed WHEN 'small' THEN ${small} WHEN 'complementary' THEN 'withheld' ELSE CAST(${col} AS VARCHAR) END AS ${col}`;
    }
    if (lists && canHide) {
      const name = lit(c.column_name);
      return `CASE WHEN list_contains(suppressed_small, ${name}) THEN ${small} WHEN list_contains(suppressed_complementary, ${name}) THEN 'withheld' ELSE CAST(${col} AS VARCHAR) END AS ${col}`;
    }
    return col;
  });
  return `SELECT ${select.join(', ')} FROM (${sql})`;
}

/** Parquet key-value metadata: one key per column (Parquet has no per-column comment), and the table's grain. */
function parquetMetadata(table: string): string {
  const t = CODEBOOK.find((x) => x.table === table);
  if (!t) return '';
  const kv = [
    [`linkages:grain`, t.grain],
    [`linkages:suppression`, t.suppression],
    ...t.columns.map((c) => [`linkages:column:${c.name}`, columnDescription(c)]),
  ];
  return `, KV_METADATA {${kv.map(([k, v]) => `${lit(k!)}: ${lit(v!)}`).join(', ')}}`;
}

/** Write `table` (ordered by `orderBy`) to DIR/<table>.<ext>; returns the file. */
export async function writeMetricsTable(db: Db, table: string, orderBy: string, dir: string, format: MetricsFormat, threshold: number | null): Promise<string> {
  const sql = `SELECT * FROM ${ident(table)} ORDER BY ${orderBy}`;
  const path = join(dir, `${table}.${extensionOf(format)}`);
  if (format === 'csv') await writeCsv(db, await csvSelect(db, table, sql, threshold), path);
  else if (format === 'parquet') {
    const tmp = join(dir, `.${table}.parquet.tmp`);
    await db.exec(`COPY (${sql}) TO ${lit(tmp)} (FORMAT parquet${parquetMetadata(table)})`);
    renameSync(tmp, path);
  } else await writeArrow(db, table, sql, path);
  chmodSync(path, 0o600);
  return path;
}
