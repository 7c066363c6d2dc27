/**
 * The review queue as an Excel workbook that survives Excel, and decisions
 * read back from one.
 *
 * `review export --format xlsx`: one layout, the nightly review_queue.csv's
 * columns in their order, with `priority` in front (the most consequential
 * pair first) and `explanation` (the pair in plain words: "held although the
 * score is high, because ...") after `reason`. Ids, SSN last four, ZIP, phone
 * and dates are text cells in text-formatted columns, so `0421` and `01234`
 * keep their zeros even when a coordinator types over them; `decision` has a
 * MATCH / NO_MATCH drop-down; the header row and the id columns are frozen;
 * each comparison level is coloured by how much it counted (green for the
 * pair, red against, grey when missing). A second sheet says how to read it.
 *
 * `review import FILE.xlsx`: the first sheet's header row names the columns
 * (the same three as a CSV: calworks_person_id, cws_client_id, decision);
 * each row's cells are read as the text they show.
 */
import ExcelJS from 'exceljs';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { usageError } from '../runtime/errors.js';
import type { Db } from '../db/database.js';
import { COMPARISONS } from '../match/comparisons.js';
import { writeFileAtomic } from '../runtime/files.js';
import { REQUIRED_COLUMNS, type DecisionRow, type DecisionsFile } from './decisionsFile.js';
import { loadQueue, type QueuePair } from './page/data.js';
import { pairWordsLine } from './page/words.js';

/** The nightly review_queue.csv's side-by-side fields, in its order (src/match/outputs.ts). */
const SIDE_FIELDS = ['first_name', 'middle_name', 'last_name', 'name_suffix', 'dob', 'ssn_last4', 'sex', 'street_address', 'city', 'zip', 'phone'];

type Cell = string | number | null;

interface Column {
  key: string;
  width: number;
  /** Text cells in a text-formatted column (Excel keeps leading zeros, never turns them into numbers or dates). */
  text?: boolean;
  value(p: QueuePair): Cell;
}

const str = (v: unknown): Cell => (v === null || v === undefined || v === '' ? null : String(v));

export function sheetColumns(): Column[] {
  const cols: Column[] = [
    { key: 'priority', width: 8, value: (p) => p.priority },
    { key: 'pair_id', width: 17, text: true, value: (p) => p.pair_id },
    { key: 'calworks_person_id', width: 15, text: true, value: (p) => p.calworks_person_id },
    { key: 'cws_client_id', width: 15, text: true, value: (p) => p.cws_client_id },
    { key: 'match_probability', width: 10, value: (p) => Math.round(p.probability * 1e6) / 1e6 },
    { key: 'match_weight', width: 10, value: (p) => Math.round(p.weight * 1e3) / 1e3 },
    { key: 'reason', width: 30, text: true, value: (p) => p.reason },
    { key: 'explanation', width: 70, text: true, value: (p) => pairWordsLine(p) },
  ];
  for (const side of ['calworks', 'cws'] as const) {
    for (const f of SIDE_FIELDS) cols.push({ key: `${side}_${f}`, width: f === 'street_address' ? 26 : 13, text: true, value: (p) => str(p[side][f]) });
  }
  for (const c of COMPARISONS) {
    cols.push({ key: `${c.name}_level`, width: 18, text: true, value: (p) => str(p.explanation.fields[c.name]?.label) });
    cols.push({
      key: `${c.name}_weight`,
      width: 9,
      value: (p) => {
        const w = p.explanation.fields[c.name]?.weight;
        return w === undefined ? null : Math.round(w * 100) / 100;
      },
    });
  }
  cols.push({ key: 'decision', width: 13, text: true, value: () => null });
  return cols;
}

/** Fill colour of a comparison level by how much it counted (ARGB). */
export function levelColour(label: string | null, weight: number | null): string {
  if (!label || label === 'missing' || weight === null || weight === 0) return 'FFE7E7E7';
  if (weight >= 4) return 'FF8FD19E';
  if (weight > 0) return 'FFD4EFDA';
  if (weight <= -4) return 'FFF19A9A';
  return 'FFFAD7D7';
}

export interface XlsxExportResult {
  night: string;
  file: string;
  pairs: number;
  byConsequence: Record<string, number>;
  decidedSinceNight: number;
}

export async function exportReviewXlsx(db: Db, file: string): Promise<XlsxExportResult> {
  const q = await loadQueue(db);
  if (!q.night) throw usageError('review export: the database holds no night yet; run `linkages run` first');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'linkages';
  const ws = wb.addWorksheet('review queue', { views: [{ state: 'frozen', xSplit: 4, ySplit: 1 }] });
  const cols = sheetColumns();
  ws.columns = cols.map((c) => ({ key: c.key, width: c.width, ...(c.text ? { style: { numFmt: '@' } } : {}) }));
  const header = ws.getRow(1);
  cols.forEach((c, i) => (header.getCell(i + 1).value = c.key));
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDE6F0' } };
  for (const p of q.pairs) {
    const row = ws.addRow(cols.map((c) => c.value(p)));
    cols.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      if (c.text) cell.numFmt = '@';
      if (c.key.endsWith('_level')) {
        const name = c.key.slice(0, -'_level'.length);
        const f = p.explanation.fields[name];
        cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: levelColour(f?.label ?? null, f?.weight ?? null) } };
      }
      if (c.key === 'explanation') cell.alignment = { wrapText: true, vertical: 'top' };
    });
  }
  // The drop-down on every row of the queue (and some spare rows for pairs pasted in from elsewhere).
  const decisionCol = cols.findIndex((c) => c.key === 'decision') + 1;
  const letter = ws.getColumn(decisionCol).letter;
  const last = Math.max(q.pairs.length + 1, 2) + 100;
  for (let r = 2; r <= last; r++) {
    ws.getCell(`${letter}${r}`).dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: ['"MATCH,NO_MATCH"'],
      showErrorMessage: true,
      errorTitle: 'MATCH or NO_MATCH',
      error: 'Choose MATCH (the same person) or NO_MATCH (two people), or leave it empty to decide later.',
    };
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: cols.length } };
  const help = wb.addWorksheet('how to read');
  help.columns = [{ width: 110 }];
  for (const line of [
    'One row per pair the nightly matching was unsure of, the pairs whose decision changes most for a family first (priority).',
    'Fill the decision column (the last) with MATCH (the same person) or NO_MATCH (two people); leave it empty to decide later. Then: linkages review import THIS_FILE.xlsx',
    'explanation: why the pair is here, in plain words. match_probability is a score of how alike the two records look, not how sure we are: relatives at one address look alike too.',
    'Both records side by side as recorded (calworks_..., cws_...); SSNs as their last four digits. Ids, SSN, ZIP, phone and dates are text: their leading zeros stay.',
    '<field>_level: how the two records compare on it; <field>_weight: how much that counted (positive for the pair, negative against).',
    'Colours of the levels: dark green counted strongly for the pair, light green a little for it, light red a little against, dark red strongly against, grey missing (counted nothing).',
  ]) {
    help.addRow([line]).alignment = { wrapText: true };
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileAtomic(file, new Uint8Array(await wb.xlsx.writeBuffer()));
  chmodSync(file, 0o600);
  const byConsequence: Record<string, number> = {};
  for (const p of q.pairs) byConsequence[p.consequence] = (byConsequence[p.consequence] ?? 0) + 1;
  return { night: q.night, file, pairs: q.pairs.length, byConsequence, decidedSinceNight: q.decidedSinceNight };
}

/** A cell as the text it shows: numbers as typed, rich text joined, a formula's result. */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v)
      return v.richText
        .map((t) => t.text)
        .join('')
        .trim();
    if ('text' in v && typeof v.text === 'string') return v.text.trim();
    if ('result' in v) return cellText((v.result ?? null) as ExcelJS.CellValue);
  }
  return '';
}

export async function readDecisionsXlsx(path: string): Promise<DecisionsFile> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(path);
  } catch {
    throw usageError(`review import: ${path} is not a readable .xlsx workbook`);
  }
  const ws = wb.worksheets[0];
  if (!ws) throw usageError(`review import: ${path} has no sheet`);
  const position = new Map<string, number>();
  ws.getRow(1).eachCell((cell, col) => {
    const h = cellText(cell.value).toLowerCase();
    if (h && !position.has(h)) position.set(h, col);
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !position.has(c));
  if (missing.length) {
    throw usageError(
      `review import: ${path} has no ${missing.join(', ')} column${missing.length > 1 ? 's' : ''} in the header row of its first sheet; ` +
        `expected the columns ${REQUIRED_COLUMNS.join(', ')} (a review export)`,
    );
  }
  const rows: DecisionRow[] = [];
  ws.eachRow((row, line) => {
    if (line === 1) return;
    const at = (col: string) => cellText(row.getCell(position.get(col)!).value);
    const r = { line, calworksPersonId: at('calworks_person_id'), cwsClientId: at('cws_client_id'), decision: at('decision') };
    // empty rows (and the spare rows of the drop-down) are not decisions
    if (!r.calworksPersonId && !r.cwsClientId && !r.decision) return;
    rows.push(r);
  });
  return { rows, delimiter: 'xlsx' };
}
