/**
 * Parquet and Arrow IPC copies of a generated CSV extract (every column text,
 * empty cells null, as a county's export would be). Parquet goes through
 * DuckDB's COPY; Arrow through apache-arrow, batch by batch from a DuckDB
 * stream, so neither holds the whole extract in memory.
 */
import { createWriteStream, renameSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { basename, dirname, join } from 'node:path';
import { Field, makeData, RecordBatch, RecordBatchFileWriter, Schema, Struct, Utf8, type Data } from 'apache-arrow';
import { openDatabase } from '../db/database.js';
import { lit } from '../db/sql.js';

export type ExtractFormat = 'csv' | 'parquet' | 'arrow';
export const EXTRACT_FORMATS: ExtractFormat[] = ['csv', 'parquet', 'arrow'];

const BATCH_ROWS = 65_536;

/**
 * A Utf8 column built directly (offsets + one byte buffer + validity bitmap):
 * several times faster than appending value by value through a builder.
 */
function utf8Column(values: (string | null)[]): Data<Utf8> {
  const length = values.length;
  const offsets = new Int32Array(length + 1);
  const validity = new Uint8Array((length + 7) >> 3);
  let bytes = 0;
  let nullCount = 0;
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (v === null || v === undefined) nullCount++;
    else {
      validity[i >> 3]! |= 1 << (i & 7);
      bytes += Buffer.byteLength(v, 'utf8');
    }
    offsets[i + 1] = bytes;
  }
  const data = Buffer.allocUnsafe(bytes);
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (v) data.write(v, offsets[i]!, 'utf8');
  }
  return makeData({
    type: new Utf8(),
    length,
    nullCount,
    nullBitmap: validity,
    valueOffsets: offsets,
    data: new Uint8Array(data.buffer, data.byteOffset, bytes),
  });
}

/** One Arrow record batch of text columns (every field nullable, so all batches share one schema). */
function textBatch(schema: Schema, columns: (string | null)[][], length: number): RecordBatch {
  const children = columns.map(utf8Column);
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, nullCount: 0, children }));
}

export async function convertExtract(csv: string, dest: string, format: Exclude<ExtractFormat, 'csv'>, batchRows = BATCH_ROWS): Promise<void> {
  const db = await openDatabase(':memory:', { threads: 2, memoryLimit: '1GB' });
  const tmp = join(dirname(dest), `.${basename(dest)}.tmp`);
  try {
    const source = `SELECT * FROM read_csv(${lit(csv)}, header = true, all_varchar = true)`;
    if (format === 'parquet') {
      await db.exec(`COPY (${source}) TO ${lit(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
    } else {
      const result = await db.connection.stream(source);
      const names = result.columnNames();
      const schema = new Schema(names.map((name) => new Field(name, new Utf8(), true)));
      const writer = new RecordBatchFileWriter();
      const out = createWriteStream(tmp, { mode: 0o600 });
      writer.toNodeStream().pipe(out);
      let columns: (string | null)[][] = names.map(() => []);
      let n = 0;
      const flush = () => {
        if (!n) return;
        writer.write(textBatch(schema, columns, n));
        columns = names.map(() => []);
        n = 0;
      };
      for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
        const cols = chunk.getColumns();
        for (let k = 0; k < names.length; k++) {
          const col = columns[k]!;
          for (const v of cols[k]!) col.push(v === null ? null : (v as string));
        }
        n += chunk.rowCount;
        if (n >= batchRows) flush();
      }
      flush();
      writer.finish();
      await finished(out);
    }
    renameSync(tmp, dest);
  } finally {
    db.close();
  }
}
