/**
 * Persistent tables of the classify stage, keyed by run_date (a re-run of a
 * night deletes and rewrites its rows):
 *   classify_nights     the nights classify ran (change detection needs the previous one)
 *   tiers               one row per open CalWORKs case: tier and reasons
 *   mutual_clients      one row per mutual client, CalWORKs case and CalWORKs person
 *   calworks_screening  child-welfare parents on a referral in the window whose family has no link to CalWORKs
 */
import type { Db } from '../db/database.js';
import type { TableContract } from '../db/contract.js';
import { PRIORITY_GROUPS } from '../assign/rules.js';
import { TIERS } from './rules.js';
import { dateLit } from '../db/sql.js';

export async function deleteClassifyNight(db: Db, runDate: string): Promise<void> {
  const d = dateLit(runDate);
  for (const t of ['classify_nights', 'tiers', 'mutual_clients', 'calworks_screening']) {
    await db.exec(`DELETE FROM ${t} WHERE run_date = ${d}`);
  }
}

/** Whether classify ran on `runDate` (a night before classify existed has no tiers to compare with). */
export async function classifiedNight(db: Db, runDate: string | null): Promise<boolean> {
  if (!runDate) return false;
  return (await db.count(`SELECT count(*) FROM classify_nights WHERE run_date = ${dateLit(runDate)}`)) > 0;
}

/** The tables classify writes, and what it promises about them (src/db/contract.ts). */
export const CLASSIFY_TABLES: readonly TableContract[] = [
  { table: 'classify_nights', nightly: true, grain: [] },
  { table: 'tiers', nightly: true, grain: ['case_number'], allowed: { tier: TIERS, previous_tier: TIERS } },
  {
    table: 'mutual_clients',
    nightly: true,
    grain: ['mutual_client_id', 'case_number', 'calworks_person_id'],
    allowed: { priority_group: PRIORITY_GROUPS.map((g) => g.group) },
  },
  { table: 'calworks_screening', nightly: true, grain: ['referral_id', 'client_id'] },
];
