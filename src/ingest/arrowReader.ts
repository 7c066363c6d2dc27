/**
 * Arrow IPC extracts (file or stream format) through apache-arrow, batch by
 * batch, into the same intermediate files as CSV (line = row number + 1).
 * Typed columns are rendered as the CSV extract format writes them.
 */
import { open } from 'node:fs/promises';
import { RecordBatchReader, Type, type DataType, type Vector } from 'apache-arrow';
import { usageError } from '../runtime/errors.js';
import { redact } from '../runtime/logger.js';
import { invalidTextReason, tooLongReason, type TextEncoding } from './csvReader.js';
import { maskedRow, type MaskPlan } from './mask.js';
import { MAX_RECORD_CHARS, rawField, Sink, US } from './rawFile.js';
import { fieldsNeedTrim } from './validationSql.js';

export interface ArrowReadResult {
  header: string[];
  read: number;
  written: number;
  rejected: number;
}

type Render = (value: unknown) => string;

const isoDay = (ms: unknown) => new Date(Number(ms)).toISOString().slice(0, 10);

/** Whole numbers without a fraction or exponent; an SSN stored as a number gets its leading zeros back. */
function numberRenderer(ssn: boolean): Render {
  return (v) => {
    const n = typeof v === 'bigint' ? v : Number(v);
    const text = typeof n === 'bigint' ? n.toString() : Number.isInteger(n) && Math.abs(n) < 1e18 ? BigInt(n).toString() : String(n);
    return ssn && !text.startsWith('-') && /^\d{1,8}$/.test(text) ? text.padStart(9, '0') : text;
  };
}

function renderer(type: DataType, ssn: boolean): Render {
  switch (type.typeId) {
    case Type.Int:
    case Type.Int8:
    case Type.Int16:
    case Type.Int32:
    case Type.Int64:
    case Type.Uint8:
    case Type.Uint16:
    case Type.Uint32:
    case Type.Uint64:
    case Type.Float:
    case Type.Float16:
    case Type.Float32:
    case Type.Float64:
      return numberRenderer(ssn);
    case Type.Date:
    case Type.DateDay:
    case Type.DateMillisecond:
    case Type.Timestamp:
    case Type.TimestampSecond:
    case Type.TimestampMillisecond:
    case Type.TimestampMicrosecond:
    case Type.TimestampNanosecond:
      return (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : isoDay(v));
    case Type.Bool:
      return (v) => (v ? 'true' : 'false');
    default:
      return (v) => (typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : x)) : String(v));
  }
}

function unreadable(flag: string, path: string, err: unknown): Error {
  const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  return usageError(`${flag} ${path}: not a readable Arrow IPC file (${redact(message)})`);
}

async function openReader(flag: string, path: string) {
  const handle = await open(path);
  try {
    const reader = await RecordBatchReader.from(handle);
    await reader.open();
    return { reader, handle };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw unreadable(flag, path, err);
  }
}

/** The column names of an Arrow IPC file. */
export async function arrowHeader(flag: string, path: string): Promise<string[]> {
  const { reader, handle } = await openReader(flag, path);
  try {
    return reader.schema.fields.map((f) => f.name);
  } finally {
    await reader.cancel().catch(() => undefined);
    await handle.close().catch(() => undefined);
  }
}

export async function readArrowToRaw(opts: {
  flag: string;
  path: string;
  encoding: TextEncoding;
  rowsPath: string;
  rejectsPath: string;
  mask: MaskPlan;
  /** Columns holding SSNs (by position): a number there is padded to 9 digits. */
  ssnColumns: readonly number[];
  onProgress?: (records: number) => void;
}): Promise<ArrowReadResult> {
  const { reader, handle } = await openReader(opts.flag, opts.path);
  const rows = new Sink(opts.rowsPath);
  const rejects = new Sink(opts.rejectsPath);
  const header = reader.schema.fields.map((f) => f.name);
  const render = reader.schema.fields.map((f, i) => renderer(f.type, opts.ssnColumns.includes(i)));
  let line = 2;
  let written = 0;
  let rejected = 0;
  try {
    for await (const batch of reader) {
      const cols: Vector[] = header.map((_, i) => batch.getChildAt(i)!);
      let out = '';
      let bad = '';
      for (let r = 0; r < batch.numRows; r++, line++) {
        const fields = cols.map((c, i) => {
          const value = c.isValid(r) ? c.get(r) : null;
          return value === null || value === undefined ? '' : render[i]!(value);
        });
        const joined = fields.join(US);
        if (joined.length > MAX_RECORD_CHARS) {
          bad += `${line}${US}${tooLongReason}${US}\n`;
          rejected++;
          continue;
        }
        const invalid = invalidTextReason(joined, opts.encoding);
        if (invalid) {
          bad += `${line}${US}${invalid}${US}${rawField(maskedRow(fields, opts.mask))}\n`;
          rejected++;
        } else {
          out += `${line}${US}${fieldsNeedTrim(fields) ? 1 : 0}${US}${fields.map(rawField).join(US)}\n`;
          written++;
        }
      }
      rejects.write(bad);
      if (!rows.write(out)) await rows.drained();
      opts.onProgress?.(batch.numRows);
    }
  } catch (err) {
    throw err instanceof Error && err.name === 'CliError' ? err : unreadable(opts.flag, opts.path, err);
  } finally {
    await handle.close().catch(() => undefined);
    await Promise.all([rows.close(), rejects.close()]);
  }
  return { header, read: written + rejected, written, rejected };
}
