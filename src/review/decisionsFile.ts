/**
 * Reading a coordinator's decisions file: any CSV with the columns
 * `calworks_person_id, cws_client_id, decision` (an edited review_queue.csv or
 * links.csv). It has usually been through Excel, which may re-save it with a
 * byte-order mark, CRLF line ends, `;` as the separator (European locales),
 * in Windows-1252, or as "Unicode Text" (UTF-16 LE, tab-separated), and it still carries our spreadsheet escaping (a leading
 * `'` on cells that looked like formulas). All of that is undone here.
 *
 * Pure: text in, rows out. Problems with the file as a whole are usage errors;
 * problems with single rows are judged later (validate.ts).
 */
import Papa from 'papaparse';
import { usageError } from '../runtime/errors.js';
import { csvUnescapeValue } from '../db/csv.js';

export const REQUIRED_COLUMNS = ['calworks_person_id', 'cws_client_id', 'decision'] as const;

export interface DecisionRow {
  /** Physical line where the record starts (the header is line 1). */
  line: number;
  calworksPersonId: string;
  cwsClientId: string;
  /** As written (trimmed, unescaped). */
  decision: string;
}

export interface DecisionsFile {
  rows: DecisionRow[];
  delimiter: string;
}

/**
 * UTF-16 by its byte-order mark, or without one by the zero bytes of ASCII
 * text (Excel's "Unicode Text" save is UTF-16 LE, tab-separated).
 */
function utf16Of(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes.length >= 4 && bytes[0] !== 0 && bytes[1] === 0 && bytes[2] !== 0 && bytes[3] === 0) return 'utf-16le';
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[1] !== 0 && bytes[2] === 0 && bytes[3] !== 0) return 'utf-16be';
  return null;
}

/** Bytes to text: UTF-16 (Excel's "Unicode Text"), UTF-8 (without its BOM), or Windows-1252 when the bytes are not valid UTF-8 (Excel's "CSV"). */
export function decodeCsvBytes(bytes: Uint8Array): string {
  const utf16 = utf16Of(bytes);
  let text: string;
  try {
    text = new TextDecoder(utf16 ?? 'utf-8', { fatal: !utf16 }).decode(bytes);
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The separator of the header line: `,`, `;` or tab, whichever occurs most outside quotes (`,` on a tie). */
export function detectDelimiter(text: string): string {
  const end = text.search(/\r?\n/);
  const header = (end < 0 ? text : text.slice(0, end)).replace(/"[^"]*"/g, '');
  const count = (ch: string) => header.split(ch).length - 1;
  const candidates = [',', ';', '\t'];
  return candidates.reduce((best, ch) => (count(ch) > count(best) ? ch : best), ',');
}

const headerKey = (h: string) =>
  h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();

/** A cell as the coordinator meant it: trimmed, our spreadsheet escaping reversed. */
export const cellValue = (s: string | undefined) => csvUnescapeValue((s ?? '').trim());

/** Offsets of the line starts, to turn a character offset into a line number. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

export function parseDecisionsCsv(text: string, file: string): DecisionsFile {
  if (text.trim() === '') throw usageError(`review import: ${file} is empty; expected a CSV with columns ${REQUIRED_COLUMNS.join(', ')}`);
  const delimiter = detectDelimiter(text);
  const lineOf = lineIndex(text);
  const records: { line: number; fields: string[] }[] = [];
  let start = 0;
  Papa.parse<string[]>(text, {
    delimiter,
    quoteChar: '"',
    escapeChar: '"',
    header: false,
    skipEmptyLines: false,
    dynamicTyping: false,
    step: (result) => {
      // Papa's cursor is the offset just after the record (and its line end).
      records.push({ line: lineOf(start), fields: result.data });
      start = result.meta.cursor;
    },
  });
  const [head, ...data] = records;
  const header = (head?.fields ?? []).map(headerKey);
  const position = new Map<string, number>();
  header.forEach((h, i) => {
    if (!position.has(h)) position.set(h, i);
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !position.has(c));
  if (missing.length) {
    throw usageError(
      `review import: ${file} has no ${missing.join(', ')} column${missing.length > 1 ? 's' : ''}; ` +
        `expected a CSV with columns ${REQUIRED_COLUMNS.join(', ')} (an edited review_queue.csv or links.csv)`,
    );
  }
  const at = (fields: string[], col: string) => cellValue(fields[position.get(col)!]);
  const rows: DecisionRow[] = [];
  for (const r of data) {
    // Blank lines and a spreadsheet's empty trailing rows are not decisions.
    if (r.fields.every((f) => f.trim() === '')) continue;
    rows.push({
      line: r.line,
      calworksPersonId: at(r.fields, 'calworks_person_id'),
      cwsClientId: at(r.fields, 'cws_client_id'),
      decision: at(r.fields, 'decision'),
    });
  }
  return { rows, delimiter };
}
