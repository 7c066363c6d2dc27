/**
 * The fast path for the CSV extract nearly every county sends: one record per
 * LF-ended line, every line with the header's number of fields, quotes only
 * around whole fields, valid UTF-8. Such a file reads the same in DuckDB's
 * read_csv as in the careful reader (csvReader.ts), field for field, so
 * DuckDB reads it itself (loadPlainCsv) and the JavaScript parse, the
 * intermediate file and its second parse are skipped: at 300,000 families
 * that work was 11 of the night's CPU seconds.
 *
 * `scanPlainCsv` decides on the bytes, in one pass that also hashes a plain file.
 * Anything else (a CR, a blank line, a BOM, a NUL, bytes that are not UTF-8,
 * a stray or line-spanning quote, a short or long row, a line over
 * PLAIN_MAX_LINE_BYTES, latin1 configured) is not plain: the careful reader
 * takes the whole file, with its line numbers and reasons, as before.
 *
 * Lines: with no blank line and no record spanning lines, record k of the
 * file is on line k + 1, and DuckDB keeps a file's order in the table it
 * fills, so line = rowid + 2 (the header is line 1).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import type { Db } from '../db/database.js';
import { ident, lit } from '../db/sql.js';
import type { InputName } from './inputs.js';
import { createRejectTable, dropRawTables, MAX_LINE_BYTES, plainTable, rawColumn, rawTable } from './rawTable.js';
import { fieldsNeedTrim, needsTrimSql } from './validationSql.js';
import type { TextEncoding } from './csvReader.js';

/** Longer lines go to the careful reader (which quarantines a record over its limit). */
export const PLAIN_MAX_LINE_BYTES = 1 << 20;

export interface PlainScan {
  plain: boolean;
  /** Data records (lines after the header), when plain. */
  records: number;
  /** Some field may have whitespace to trim (NEEDS_TRIM); false: none has. */
  trim: boolean;
  /** The file's SHA-256, when plain (only then is the whole file read here). */
  sha256: string | null;
}

const LF = 10;
const CR = 13;
const NUL = 0;
const QUOTE = 34;
const COMMA = 44;

/**
 * The fields of a line holding quotes when it is `width` fields where each quote encloses a whole
 * field (doubled inside it) and is followed by a comma or the end, the RFC 4180 that DuckDB and
 * csvRecords.ts read alike; null otherwise.
 */
export function quotedLineFields(text: string, width: number): string[] | null {
  const fields: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    if (text.charCodeAt(i) === QUOTE) {
      let value = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return null;
        value += text.slice(i, q);
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i === n) break;
      if (text.charCodeAt(i) !== COMMA) return null;
      i++;
    } else {
      const comma = text.indexOf(',', i);
      const end = comma < 0 ? n : comma;
      const value = text.slice(i, end);
      if (value.includes('"')) return null;
      fields.push(value);
      if (comma < 0) break;
      i = comma + 1;
    }
  }
  return fields.length === width ? fields : null;
}

/** Byte pairs and sequences that put what `trim` removes at a field's edge (or anywhere, for the rare ones; generously: inside quotes too). */
const TRIM_EDGES = [', ', ' ,', ',\t', '\t,', '\n ', ' \n', '\n\t', '\t\n'].map((t) => Buffer.from(t));
const RARE_SPACES = ['\u000b', '\f', '\u00a0', '\u1680', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff']
  .concat(Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i)))
  .map((t) => Buffer.from(t));

interface ScanState {
  lines: number;
  /** Some field may have something to trim (then each row is told apart in SQL). */
  trim: boolean;
}

/**
 * Checks the complete lines of `buf` (each ending in LF). Field counts are left to DuckDB, which
 * refuses a short or long row (then the careful reader takes the file); what DuckDB would read
 * otherwise than csvRecords.ts is checked here: blank lines (DuckDB skips them, which would move
 * the line numbers), quotes, bytes.
 */
function linesArePlain(buf: Buffer, width: number, state: ScanState): boolean {
  if (buf.indexOf(CR) >= 0 || buf.indexOf(NUL) >= 0 || !isUtf8(buf)) return false;
  if (buf[0] === LF || buf.indexOf('\n\n') >= 0) return false;
  for (let q = buf.indexOf(QUOTE); q >= 0;) {
    const start = buf.lastIndexOf(LF, q) + 1;
    const end = buf.indexOf(LF, q);
    const fields = quotedLineFields(buf.toString('utf8', start, end), width);
    if (!fields) return false;
    if (fieldsNeedTrim(fields)) state.trim = true;
    q = buf.indexOf(QUOTE, end);
  }
  if (!state.trim) {
    const at = (i: number) => buf[i] === 32 || buf[i] === 9;
    if (at(0) || at(buf.length - 2) || TRIM_EDGES.some((t) => buf.indexOf(t) >= 0) || RARE_SPACES.some((t) => buf.indexOf(t) >= 0)) state.trim = true;
  }
  let lines = 0;
  for (let i = buf.indexOf(LF); i >= 0; i = buf.indexOf(LF, i + 1)) lines++;
  state.lines += lines;
  return true;
}

/** One pass over the file: whether it is plain for `width` columns (see the module comment), and then its SHA-256. */
export async function scanPlainCsv(path: string, width: number, encoding: TextEncoding): Promise<PlainScan> {
  const hash = createHash('sha256');
  const state: ScanState = { lines: 0, trim: false };
  let plain = encoding === 'utf8' && width >= 2;
  let carry: Buffer = Buffer.alloc(0);
  let first = true;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    // Not plain: the careful reader reads and hashes the file itself, so stop here.
    if (!plain) break;
    const bytes = chunk as Buffer;
    hash.update(bytes);
    if (first) {
      first = false;
      // a byte-order mark: the careful reader's business
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) plain = false;
    }
    const buf = carry.length ? Buffer.concat([carry, bytes]) : bytes;
    const last = buf.lastIndexOf(LF);
    // the complete lines now, the rest with the next chunk
    carry = Buffer.from(buf.subarray(last + 1));
    if (carry.length > PLAIN_MAX_LINE_BYTES) plain = false;
    if (last >= 0 && !linesArePlain(buf.subarray(0, last + 1), width, state)) plain = false;
  }
  // A last line without its LF is a record too.
  if (plain && carry.length && !linesArePlain(Buffer.concat([carry, Buffer.from([LF])]), width, state)) plain = false;
  // The header is line 1; a file of a header alone is the careful reader's (it says so in the log).
  if (state.lines < 2) plain = false;
  return { plain, records: plain ? state.lines - 1 : 0, trim: state.trim, sha256: plain ? hash.digest('hex') : null };
}

/**
 * raw_<input> straight from a plain CSV file (see the module comment): a view numbering the rows
 * of the table DuckDB filled, so the records are copied once. Returns the records loaded.
 */
export async function loadPlainCsv(db: Db, input: InputName, width: number, path: string, trim: boolean): Promise<number> {
  const cols = Array.from({ length: width }, (_, i) => rawColumn(i));
  const staged = plainTable(input);
  await dropRawTables(db, input);
  await db.exec(
    `CREATE OR REPLACE TEMP TABLE ${staged} AS
     SELECT ${trim ? needsTrimSql(cols) : 'FALSE'} AS needs_trim, *
     FROM read_csv(${lit(path)}, header = true, delim = ',', quote = '"', escape = '"', new_line = '\\n',
       columns = {${cols.map((c) => `${lit(c)}: 'VARCHAR'`).join(', ')}}, auto_detect = false, strict_mode = true,
       null_padding = false, max_line_size = ${MAX_LINE_BYTES}, buffer_size = ${2 * MAX_LINE_BYTES})`,
  );
  await db.exec(
    `CREATE OR REPLACE TEMP VIEW ${rawTable(input)} AS SELECT (rowid + 2)::BIGINT AS line, needs_trim, ${cols.map(ident).join(', ')} FROM ${staged}`,
  );
  await createRejectTable(db, input);
  return db.count(`SELECT count(*) FROM ${staged}`);
}
