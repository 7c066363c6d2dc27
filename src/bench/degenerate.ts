/**
 * Degenerate counties (issue 9): `linkages synth` extracts rewritten so that
 * one thing every real county has a little of is everywhere. Used by the
 * e2e tests (small) and by `make bench` (scenario `degenerate`, full size):
 *
 *   shelter           every family gives one shelter's address and phone
 *   namesakes         every parent is MARIA GARCIA, born on one of five days
 *   big_referral      one child-welfare referral names `size` clients
 *   placeholder_ssn   every SSN is a placeholder (000-00-0000, 123-45-6789...)
 *
 * The rewrite is a pure function of the rows (deterministic); the files are
 * rewritten in place, temp file then rename.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';

export const DEGENERATE_KINDS = ['shelter', 'namesakes', 'big_referral', 'placeholder_ssn'] as const;
export type DegenerateKind = (typeof DEGENERATE_KINDS)[number];

type Row = Record<string, string>;

export const SHELTER = { street_address: '1200 SHELTER WAY', city: 'OAKLAND', zip: '94607', phone: '510-555-0100' };
export const NAMESAKE = { first_name: 'MARIA', last_name: 'GARCIA' };
export const NAMESAKE_DOBS = ['1985-01-01', '1988-03-15', '1990-07-04', '1992-12-25', '1995-06-15'];
export const BIG_REFERRAL_ID = 'RFRBIG0001';
export const PLACEHOLDER_SSNS = ['000-00-0000', '123-45-6789', '999-99-9999', '111-11-1111', '666-00-1234', '078-05-1120'];

/** A small stable string hash (FNV-1a), so one person's rows get the same replacement on both sides. */
export function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function shelter(rows: Row[]): void {
  for (const r of rows) Object.assign(r, SHELTER);
}

/** Every parent MARIA GARCIA, F; the birth date one of five, chosen by the recorded one (the same person keeps hers). */
function namesakes(rows: Row[], roleColumn: string): void {
  for (const r of rows) {
    if (r[roleColumn] !== 'PARENT') continue;
    r.dob = NAMESAKE_DOBS[fnv(r.dob ?? '') % NAMESAKE_DOBS.length]!;
    Object.assign(r, NAMESAKE, { middle_name: '', name_suffix: '', sex: 'F' });
  }
}

/** The first row of each of the first `size` clients moves onto one referral. */
function bigReferral(rows: Row[], size: number): number {
  const moved = new Set<string>();
  for (const r of rows) {
    if (moved.size >= size) break;
    const id = r.client_id ?? '';
    if (moved.has(id)) continue;
    moved.add(id);
    Object.assign(r, { referral_id: BIG_REFERRAL_ID, referral_date: r.extract_date, referral_disposition: 'PENDING', dr_path: '', service_component: 'ER' });
    Object.assign(r, { case_id: '', case_status: '', case_open_date: '', case_close_date: '', removal_date: '' });
  }
  return moved.size;
}

/** Every SSN a placeholder; one person's rows keep one (chosen by the person's id). */
function placeholderSsn(rows: Row[], idColumn: string): void {
  for (const r of rows) r.ssn = PLACEHOLDER_SSNS[fnv(r[idColumn] ?? '') % PLACEHOLDER_SSNS.length]!;
}

function rewrite(file: string, change: (rows: Row[]) => void): void {
  const parsed = Papa.parse<Row>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true });
  change(parsed.data);
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${Papa.unparse(parsed.data, { columns: parsed.meta.fields!, newline: '\n' })}\n`);
  renameSync(tmp, file);
}

/**
 * Rewrites the calworks.csv and cws.csv of a `linkages synth` folder into the
 * degenerate county `kind`. `size` is the referral's clients (big_referral).
 */
export function makeDegenerate(dir: string, kind: DegenerateKind, size = 2000): void {
  const calworks = join(dir, 'calworks.csv');
  const cws = join(dir, 'cws.csv');
  switch (kind) {
    case 'shelter':
      rewrite(calworks, shelter);
      rewrite(cws, shelter);
      return;
    case 'namesakes':
      rewrite(calworks, (rows) => namesakes(rows, 'person_role'));
      rewrite(cws, (rows) => namesakes(rows, 'client_role'));
      return;
    case 'big_referral':
      rewrite(cws, (rows) => {
        const n = bigReferral(rows, size);
        if (n < size) throw new Error(`big_referral: the extract has ${n} clients, fewer than ${size}`);
      });
      return;
    case 'placeholder_ssn':
      rewrite(calworks, (rows) => placeholderSsn(rows, 'person_id'));
      rewrite(cws, (rows) => placeholderSsn(rows, 'client_id'));
      return;
  }
}
