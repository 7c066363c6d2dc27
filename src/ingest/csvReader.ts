/**
 * Streaming a CSV extract (RFC 4180, header row; records split by csvRecords.ts) into the
 * intermediate files of rawFile.ts. Only structural work happens here: line
 * numbers, field counts against the header, bytes not valid in the
 * encoding (the decoder turns them into U+FFFD). Cell values are judged later
 * in SQL. The file is read once, in chunks: it is hashed as it streams, and
 * nothing holds more than a chunk, so files far larger than memory work.
 *
 * No DuckDB here: this module also runs inside a worker thread (csvWorker.ts).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { CsvRecordSplitter } from './csvRecords.js';
import { maskedRow, type MaskPlan } from './mask.js';
import { csvRecord, MAX_RECORD_CHARS, RARE, rawField, Sink, US } from './rawFile.js';
import { fieldsNeedTrim } from './validationSql.js';

export type TextEncoding = 'utf8' | 'latin1';

export interface CsvReadOptions {
  path: string;
  encoding: TextEncoding;
  /** Intermediate file for sound records. */
  rowsPath: string;
  /** Intermediate file for records rejected here. */
  rejectsPath: string;
  /** How rejected records are shown in quarantine (raw text when absent). */
  mask?: MaskPlan;
  /** Called once per chunk with the records and bytes it covered. */
  onProgress?: (records: number, bytes: number) => void;
}

export interface CsvReadResult {
  /** The header fields, or null when the file has no header (empty). */
  header: string[] | null;
  /** Data records (header and blank lines not counted). */
  read: number;
  written: number;
  rejected: number;
  blankLines: number;
  bytes: number;
  sha256: string;
}

const CHUNK_BYTES = 1 << 20;

/** Bytes in, text out; hashing the bytes on the way. */
function decodingHasher(encoding: TextEncoding, hash: ReturnType<typeof createHash>, onChunk: (bytes: number, text: string) => void): Transform {
  const decoder = new StringDecoder(encoding);
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      const text = decoder.write(chunk);
      onChunk(chunk.length, text);
      done(null, text.length ? text : undefined);
    },
    flush(done) {
      const rest = decoder.end();
      done(null, rest.length ? rest : undefined);
    },
  });
}

const isBlank = (fields: readonly string[]) => fields.length === 1 && fields[0]!.trim() === '';

export function invalidTextReason(joined: string, encoding: TextEncoding): string | null {
  if (joined.includes('\ufffd')) return `bytes that are not valid ${encoding === 'utf8' ? 'UTF-8' : encoding} text`;
  if (joined.includes('\u0000')) return 'a NUL character';
  return null;
}

/** The header of a CSV file: its first non-blank record, or null when there is none. */
export async function readCsvHeader(path: string, encoding: TextEncoding): Promise<string[] | null> {
  let header: string[] | null = null;
  const splitter = new CsvRecordSplitter((r) => {
    if (header === null && !isBlank(r.fields)) header = r.fields;
  }, MAX_RECORD_CHARS);
  const stream = createReadStream(path, { encoding, highWaterMark: 64 * 1024 });
  try {
    for await (const text of stream) {
      splitter.push(text as string);
      if (header !== null) break;
    }
    if (header === null) splitter.end();
  } finally {
    stream.destroy();
  }
  return header;
}

export async function readCsvToRaw(opts: CsvReadOptions): Promise<CsvReadResult> {
  const hash = createHash('sha256');
  let bytes = 0;
  let pendingBytes = 0;
  const rows = new Sink(opts.rowsPath);
  const rejects = new Sink(opts.rejectsPath);
  let header: string[] | null = null;
  let width = 0;
  let read = 0;
  let written = 0;
  let rejected = 0;
  let blankLines = 0;
  let careful = false;
  let out = '';
  let bad = '';
  let records = 0;

  const reject = (line: number, reason: string, fields: readonly string[]) => {
    rejected++;
    bad += `${line}${US}${reason}${US}${rawField(opts.mask ? maskedRow(fields, opts.mask) : csvRecord(fields))}\n`;
  };

  const splitter = new CsvRecordSplitter((r) => {
    const { fields, line } = r;
    if (!r.tooLong && !r.malformed && isBlank(fields)) {
      if (header !== null) blankLines++;
      return;
    }
    if (header === null) {
      header = fields;
      width = fields.length;
      splitter.width = width;
      return;
    }
    read++;
    records++;
    if (r.tooLong) return reject(line, tooLongReason, []);
    if (r.malformed) return reject(line, r.malformed, fields);
    let joined = fields.join(US);
    if (joined.length > MAX_RECORD_CHARS) return reject(line, tooLongReason, []);
    if (!careful && !RARE.test(joined)) {
      if (fields.length === width) {
        out += `${line}${US}${fieldsNeedTrim(fields) ? 1 : 0}${US}${joined}\n`;
        written++;
      } else {
        reject(line, fieldCountReason(fields.length, width), fields);
      }
      return;
    }
    // The careful path: line breaks in quoted fields, quotes, bad bytes.
    const reasons: string[] = [];
    if (fields.length !== width) reasons.push(fieldCountReason(fields.length, width));
    const invalid = invalidTextReason(joined, opts.encoding);
    if (invalid) reasons.push(invalid);
    if (reasons.length) return reject(line, reasons.join('; '), fields);
    const trim = fieldsNeedTrim(fields) ? 1 : 0;
    joined = fields.map(rawField).join(US);
    out += `${line}${US}${trim}${US}${joined}\n`;
    written++;
  }, MAX_RECORD_CHARS);

  const flush = async () => {
    rejects.write(bad);
    const flowing = rows.write(out);
    opts.onProgress?.(records, pendingBytes);
    out = '';
    bad = '';
    records = 0;
    pendingBytes = 0;
    if (!flowing) await rows.drained();
  };

  const source = createReadStream(opts.path, { highWaterMark: CHUNK_BYTES });
  const text = source.pipe(
    decodingHasher(opts.encoding, hash, (n, chunkText) => {
      bytes += n;
      pendingBytes += n;
      // A field holding the separator of the intermediate file: every later record takes the careful path.
      if (!careful && chunkText.includes(US)) careful = true;
    }),
  );
  source.on('error', (err) => text.destroy(err));
  try {
    for await (const chunk of text) {
      splitter.push(chunk as string);
      await flush();
    }
    splitter.end();
    await flush();
  } catch (err) {
    source.destroy();
    await Promise.allSettled([rows.close(), rejects.close()]);
    throw err;
  }
  await Promise.all([rows.close(), rejects.close()]);
  return { header, read, written, rejected, blankLines, bytes, sha256: hash.digest('hex') };
}

export const tooLongReason = `record longer than ${MAX_RECORD_CHARS} characters (raw row not kept)`;

export function fieldCountReason(got: number, want: number): string {
  return `${got < want ? 'short' : 'long'} row: ${got} field${got === 1 ? '' : 's'} where the header has ${want}`;
}
