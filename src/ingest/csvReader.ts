/**
 * Streaming a CSV extract (RFC 4180, header row) with papaparse into the
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
import Papa from 'papaparse';
import { LineCounter } from './lines.js';
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

const PAPA_CONFIG = {
  delimiter: ',',
  quoteChar: '"',
  escapeChar: '"',
  header: false,
  skipEmptyLines: false,
  dynamicTyping: false,
} as const;

/** Bytes in, text out; hashing the bytes on the way. */
function decodingHasher(
  encoding: TextEncoding,
  hash: ReturnType<typeof createHash>,
  onChunk: (bytes: number, text: string) => void,
): Transform {
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
export function readCsvHeader(path: string, encoding: TextEncoding): Promise<string[] | null> {
  return new Promise((resolve, reject) => {
    let header: string[] | null = null;
    const stream = createReadStream(path, { encoding, highWaterMark: 64 * 1024 });
    Papa.parse<string[]>(stream, {
      ...PAPA_CONFIG,
      step(result, parser) {
        if (header === null && !isBlank(result.data)) {
          header = result.data;
          parser.abort();
        }
      },
      complete() {
        stream.destroy();
        resolve(header);
      },
      error(err: Error) {
        reject(err);
      },
    });
  });
}

export function readCsvToRaw(opts: CsvReadOptions): Promise<CsvReadResult> {
  const hash = createHash('sha256');
  let bytes = 0;
  let pendingBytes = 0;
  const rows = new Sink(opts.rowsPath);
  const rejects = new Sink(opts.rejectsPath);
  const lines = new LineCounter();
  let header: string[] | null = null;
  let width = 0;
  let read = 0;
  let written = 0;
  let rejected = 0;
  let blankLines = 0;
  let careful = false;

  const source = createReadStream(opts.path, { highWaterMark: CHUNK_BYTES });
  const text = source.pipe(
    decodingHasher(opts.encoding, hash, (n, chunkText) => {
      bytes += n;
      pendingBytes += n;
      // A field holding the separator of the intermediate file: every later record takes the careful path.
      if (!careful && chunkText.includes(US)) careful = true;
    }),
  );

  const reject = (line: number, reason: string, fields: readonly string[]) => {
    rejected++;
    return `${line}${US}${reason}${US}${rawField(csvRecord(fields))}\n`;
  };

  return new Promise<CsvReadResult>((resolve, fail) => {
    let failed = false;
    const onError = (err: unknown) => {
      if (failed) return;
      failed = true;
      source.destroy();
      fail(err instanceof Error ? err : new Error(String(err)));
    };
    source.on('error', onError);

    Papa.parse<string[]>(text as unknown as NodeJS.ReadableStream, {
      ...PAPA_CONFIG,
      chunk(result, parser) {
        if (failed) return;
        let out = '';
        let bad = '';
        let records = 0;
        for (const fields of result.data) {
          if (isBlank(fields)) {
            lines.take(fields, false);
            if (header !== null) blankLines++;
            continue;
          }
          if (header === null) {
            lines.take(fields);
            header = fields;
            width = fields.length;
            continue;
          }
          read++;
          records++;
          let joined = fields.join(US);
          if (joined.length > MAX_RECORD_CHARS) {
            bad += reject(lines.take(fields, true), tooLongReason, []);
            continue;
          }
          if (!careful && !RARE.test(joined)) {
            const line = lines.take(fields, false);
            if (fields.length === width) {
              out += `${line}${US}${fieldsNeedTrim(fields) ? 1 : 0}${US}${joined}\n`;
              written++;
            } else {
              bad += reject(line, fieldCountReason(fields.length, width), fields);
            }
            continue;
          }
          // The careful path: line breaks in quoted fields, quotes, bad bytes.
          const line = lines.take(fields, true);
          const reasons: string[] = [];
          if (fields.length !== width) reasons.push(fieldCountReason(fields.length, width));
          const invalid = invalidTextReason(joined, opts.encoding);
          if (invalid) reasons.push(invalid);
          if (reasons.length) {
            bad += reject(line, reasons.join('; '), fields);
            continue;
          }
          const trim = fieldsNeedTrim(fields) ? 1 : 0;
          joined = fields.map(rawField).join(US);
          out += `${line}${US}${trim}${US}${joined}\n`;
          written++;
        }
        try {
          rejects.write(bad);
          const flowing = rows.write(out);
          opts.onProgress?.(records, pendingBytes);
          pendingBytes = 0;
          if (!flowing) {
            parser.pause();
            void rows.drained().then(() => parser.resume());
          }
        } catch (err) {
          parser.abort();
          onError(err);
        }
      },
      complete() {
        if (failed) return;
        Promise.all([rows.close(), rejects.close()]).then(
          () =>
            resolve({ header, read, written, rejected, blankLines, bytes, sha256: hash.digest('hex') }),
          onError,
        );
      },
      error(err: Error) {
        onError(err);
      },
    });
  });
}

export const tooLongReason = `record longer than ${MAX_RECORD_CHARS} characters (raw row not kept)`;

export function fieldCountReason(got: number, want: number): string {
  return `${got < want ? 'short' : 'long'} row: ${got} field${got === 1 ? '' : 's'} where the header has ${want}`;
}
