/**
 * Test helper: take good extract CSVs and insert K bad records of mixed kinds
 * at known places, returning where each one landed (the physical line it
 * starts on, header = line 1) and what the quarantine reason must mention.
 * Good records are kept as they were (re-quoted only where RFC 4180 needs
 * it), so an ingest of the result must quarantine exactly the injected lines.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';

export type ExtractName = 'calworks' | 'cws';

export const BAD_KINDS = [
  'short-row',
  'long-row',
  'missing-required',
  'bad-enum',
  'bad-required-date',
  'nothing-to-match',
  'non-utf8',
  'multiline-bad-enum',
  'duplicate',
] as const;
export type BadKind = (typeof BAD_KINDS)[number];

export interface InjectedRow {
  input: ExtractName;
  /** Physical line where the bad record starts. */
  line: number;
  kind: BadKind;
  /** A fragment the quarantine reason must contain. */
  reason: string;
}

export interface InjectResult {
  files: Record<ExtractName, string>;
  injected: InjectedRow[];
}

const ID: Record<ExtractName, string> = { calworks: 'person_id', cws: 'client_id' };
const ROLE: Record<ExtractName, string> = { calworks: 'person_role', cws: 'client_role' };

/** A small deterministic generator (mulberry32), so positions repeat for a seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A bad copy of `base` (a good record) of the given kind; `marker` makes it unlike any good record. */
function badRecord(kind: BadKind, input: ExtractName, header: string[], base: string[], marker: string): { fields: string[]; reason: string; bytes?: true } {
  const f = [...base];
  const set = (name: string, value: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`injectBadRows: no column ${name}`);
    f[i] = value;
  };
  set(ID[input], `${marker}`);
  switch (kind) {
    case 'short-row':
      return { fields: f.slice(0, -2), reason: 'short row' };
    case 'long-row':
      return { fields: [...f, 'EXTRA'], reason: 'long row' };
    case 'missing-required':
      set(ID[input], '');
      return { fields: f, reason: `${ID[input]}: required value missing` };
    case 'bad-enum':
      set(ROLE[input], 'MOTHER');
      return { fields: f, reason: `${ROLE[input]}: not one of` };
    case 'bad-required-date':
      set('extract_date', '2026-02-30');
      return { fields: f, reason: 'extract_date: not a date' };
    case 'nothing-to-match':
      for (const c of ['first_name', 'last_name', 'middle_name', 'dob', 'ssn']) if (header.includes(c)) set(c, '');
      return { fields: f, reason: 'nothing to match a person on' };
    case 'non-utf8':
      set('last_name', `MU\u0000NOZ`); // the NUL placeholder becomes a lone 0xF1 byte when written
      return { fields: f, reason: 'not valid UTF-8', bytes: true };
    case 'multiline-bad-enum':
      set('street_address', '12 MAIN ST\nAPT 4\nREAR');
      set(ROLE[input], 'STEPMOTHER');
      return { fields: f, reason: `${ROLE[input]}: not one of` };
    case 'duplicate':
      return { fields: f, reason: 'duplicate of line' };
  }
}

/**
 * Writes `<outDir>/calworks.csv` and `<outDir>/cws.csv`: the good files with
 * `count` bad records inserted (kinds cycling through BAD_KINDS, files
 * alternating), at positions drawn from `seed`.
 */
export function injectBadRows(good: Record<ExtractName, string>, outDir: string, count: number, seed = 1): InjectResult {
  const random = rng(seed);
  const injected: InjectedRow[] = [];
  const files = {} as Record<ExtractName, string>;
  for (const input of ['calworks', 'cws'] as const) {
    const records = Papa.parse<string[]>(readFileSync(good[input], 'utf8'), { skipEmptyLines: true }).data;
    const header = records[0]!;
    const data = records.slice(1);
    const mine = Array.from({ length: count }, (_, k) => k).filter((k) => (k % 2 === 0) === (input === 'calworks'));
    // Where each bad record goes: after data record `at` (distinct, sorted).
    const spots = new Map<number, { kind: BadKind; k: number }>();
    for (const k of mine) {
      let at: number;
      do at = Math.floor(random() * data.length);
      while (spots.has(at));
      spots.set(at, { kind: BAD_KINDS[k % BAD_KINDS.length]!, k });
    }
    const chunks: Buffer[] = [];
    let line = 1;
    const emit = (fields: string[], bytes = false) => {
      const text = `${fields.map(csvField).join(',')}\n`;
      const start = line;
      line += text.split('\n').length - 1;
      const buf = Buffer.from(text, 'utf8');
      // The non-UTF-8 kind: swap the NUL placeholder for a Latin-1 ñ (0xF1), invalid on its own in UTF-8.
      chunks.push(bytes ? Buffer.from(buf.map((b) => (b === 0 ? 0xf1 : b))) : buf);
      return start;
    };
    emit(header);
    const lineOf: number[] = [];
    data.forEach((rec, i) => {
      lineOf[i] = emit(rec);
      const spot = spots.get(i);
      if (!spot) return;
      if (spot.kind === 'duplicate') {
        const start = emit(rec);
        injected.push({ input, line: start, kind: spot.kind, reason: `duplicate of line ${lineOf[i]}` });
        return;
      }
      const bad = badRecord(spot.kind, input, header, rec, `ZZBAD${spot.k}`);
      const start = emit(bad.fields, bad.bytes === true);
      injected.push({ input, line: start, kind: spot.kind, reason: bad.reason });
    });
    files[input] = join(outDir, `${input}.csv`);
    writeFileSync(files[input], Buffer.concat(chunks));
  }
  injected.sort((a, b) => a.input.localeCompare(b.input) || a.line - b.line);
  return { files, injected };
}
