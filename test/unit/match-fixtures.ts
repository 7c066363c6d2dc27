/**
 * Small hand-made extracts for the normalize and match tests: rows as
 * objects, written as interface CSVs and staged with the staging helper the
 * accuracy bench uses (src/bench/stagingFromCsv.ts), so the tests exercise
 * the stg_* contract without the ingest stage.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../src/db/database.js';
import { loadStagingFromCsv } from '../../src/bench/stagingFromCsv.js';
import { calworksFields } from '../../schemas/calworks.js';
import { cwsFields } from '../../schemas/cws.js';

export type Row = Record<string, string>;

const CALWORKS_DEFAULTS: Row = { extract_date: '2026-01-15', person_role: 'PARENT', case_status: 'ACTIVE' };
const CWS_DEFAULTS: Row = { extract_date: '2026-01-15', client_role: 'PARENT', referral_date: '2025-12-01' };

function csv(fields: string[], rows: Row[]): string {
  const cell = (v: string | undefined) => (v === undefined ? '' : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `${fields.join(',')}\n${rows.map((r) => fields.map((f) => cell(r[f])).join(',')).join('\n')}\n`;
}

/** A CalWORKs parent: person_id and case_number default from `id`. */
export const cw = (id: string, r: Row = {}): Row => ({ ...CALWORKS_DEFAULTS, person_id: id, case_number: `CASE-${id}`, ...r });
/** A child-welfare parent: client_id and referral_id default from `id`. */
export const cws = (id: string, r: Row = {}): Row => ({ ...CWS_DEFAULTS, client_id: id, referral_id: `REF-${id}`, ...r });

export async function stage(db: Db, dir: string, calworks: Row[], cwsRows: Row[]): Promise<void> {
  const cwFile = join(dir, 'calworks.csv');
  const cwsFile = join(dir, 'cws.csv');
  writeFileSync(
    cwFile,
    csv(
      calworksFields.map((f) => f.name),
      calworks,
    ),
  );
  writeFileSync(
    cwsFile,
    csv(
      cwsFields.map((f) => f.name),
      cwsRows,
    ),
  );
  await loadStagingFromCsv(db, cwFile, cwsFile);
}
