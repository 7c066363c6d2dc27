/**
 * The intermediate files between the JavaScript readers and DuckDB.
 *
 * A reader does the structural work in JavaScript (line numbers, field
 * counts, encoding) and writes each structurally sound record as one line
 * `line US trim US field US field ...` (US = \x1f, the ASCII unit separator;
 * trim = 1 when some field has whitespace to trim, see NEEDS_TRIM), quoting
 * only the rare field that contains US, a quote or a line break. DuckDB's
 * read_csv then bulk-loads the file with every column as VARCHAR, which is far
 * faster than handing values to DuckDB one by one. Records the reader rejects
 * go to a second file as `line US reason US raw_row`.
 */
import { createWriteStream, type WriteStream } from 'node:fs';

export const US = '\x1f';
/**
 * Anything that makes a record, joined with US, need the careful path. (A US
 * inside a field is caught per chunk of text instead: the joined record is
 * full of them.)
 */
export const RARE = /["\r\n\ufffd\u0000]/;
const NEEDS_QUOTE = /[\x1f"\r\n]/;
/**
 * Longest record the intermediate file takes, in UTF-16 units: at most 3
 * bytes each once written, well under the line limit DuckDB reads with
 * (rawTable.ts MAX_LINE_BYTES). A longer record is quarantined.
 */
export const MAX_RECORD_CHARS = 4 * 1024 * 1024;
const CSV_NEEDS_QUOTE = /[,"\r\n]/;

function quoted(v: string): string {
  return `"${v.replace(/"/g, '""')}"`;
}

/** One field for the intermediate file. */
export function rawField(v: string): string {
  return NEEDS_QUOTE.test(v) ? quoted(v) : v;
}

/** A record as RFC 4180 text (for raw_row): commas, quotes only where needed. */
export function csvRecord(fields: readonly (string | null | undefined)[]): string {
  return fields.map((f) => (f == null ? '' : CSV_NEEDS_QUOTE.test(f) ? quoted(f) : f)).join(',');
}

/** A write stream that waits for the disk instead of buffering without bound. */
export class Sink {
  private readonly stream: WriteStream;
  private failed: Error | undefined;

  constructor(path: string) {
    this.stream = createWriteStream(path, { mode: 0o600 });
    this.stream.on('error', (err) => {
      this.failed = err;
    });
  }

  /** False when the caller should wait for `drained()` before writing more. */
  write(text: string): boolean {
    if (this.failed) throw this.failed;
    return text.length === 0 || this.stream.write(text);
  }

  drained(): Promise<void> {
    return new Promise((resolve) => this.stream.once('drain', resolve));
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.failed) return reject(this.failed);
      this.stream.end(() => (this.failed ? reject(this.failed) : resolve()));
    });
  }
}
