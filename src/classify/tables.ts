/**
 * Persistent tables of the classify stage, keyed by run_date (a re-run of a
 * night deletes and rewrites its rows):
 *   classify_nights     the nights classify ran (change detection needs the previous one)
 *   tiers               one row per open CalWORKs case: tier and reasons
 *   mutual_clients      one row per mutual client, CalWORKs case and CalWORKs person
 *   calworks_screening  child-welfare parents on a referral in the window whose family has no link to CalWORKs
 */
import type { Db } from '../db/database.js';
import { dateLit } from '../db/sql.js';

export async function createClassifyTables(db: Db): Promise<void> {
  await db.exec(`
    CREATE TABLE IF NOT EXISTS classify_nights (
      run_date DATE NOT NULL,
      lookback_days INTEGER NOT NULL,
      sealed_cws_clients INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS tiers (
      run_date DATE NOT NULL,
      case_number VARCHAR NOT NULL,
      tier VARCHAR NOT NULL,                 -- MUTUAL | EARLY_INTERVENTION | PREVENTION
      reasons VARCHAR NOT NULL,
      previous_tier VARCHAR,                 -- the case's tier on the previous night (NULL: none)
      office VARCHAR,
      calworks_worker_id VARCHAR,
      calworks_worker_name VARCHAR,
      calworks_worker_email VARCHAR
    );
    CREATE TABLE IF NOT EXISTS mutual_clients (
      run_date DATE NOT NULL,
      mutual_client_id VARCHAR NOT NULL,
      case_number VARCHAR NOT NULL,          -- a CalWORKs case whose tier is MUTUAL
      calworks_person_id VARCHAR NOT NULL,   -- a parent on it, linked
      cws_client_ids VARCHAR[] NOT NULL,     -- every child-welfare client of the linked component
      cws_case_ids VARCHAR[] NOT NULL,       -- open cases (mutual components) the parent is on
      fr_services BOOLEAN NOT NULL,
      sensitive BOOLEAN NOT NULL,
      wtw_status VARCHAR,
      wtw_hours DOUBLE,
      cfs_hours DOUBLE,
      required_hours INTEGER NOT NULL,
      over_scheduled BOOLEAN NOT NULL,
      -- 1 Family Reunification, 2 WTW SANCTIONED, 3 WTW NONCOMPLIANCE, 4 others (assignment order)
      priority_group INTEGER NOT NULL,
      primary_language VARCHAR,
      office VARCHAR,
      cws_worker_id VARCHAR,
      cws_worker_name VARCHAR,
      cws_worker_email VARCHAR,
      -- not a mutual client the night before, by id, lineage or shared records
      is_new BOOLEAN NOT NULL,
      -- last night's mutual-client ids this one continues (itself, retired predecessors, shared records)
      previous_ids VARCHAR[] NOT NULL
    );
    CREATE TABLE IF NOT EXISTS calworks_screening (
      run_date DATE NOT NULL,
      referral_id VARCHAR NOT NULL,
      client_id VARCHAR NOT NULL,
      referral_date DATE,
      first_name VARCHAR,
      last_name VARCHAR,
      street_address VARCHAR,
      city VARCHAR,
      zip VARCHAR,
      phone VARCHAR,
      primary_language VARCHAR,
      worker_name VARCHAR,
      worker_email VARCHAR,
      office VARCHAR,
      sensitive BOOLEAN NOT NULL
    );
  `);
}

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
