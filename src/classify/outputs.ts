/**
 * The classify stage's output files (docs/interface.md section 4), each a query
 * over the persisted tables of one night, ordered so a re-run writes the
 * same bytes:
 *   tiers.csv               one row per open CalWORKs case
 *   mutual_clients.csv      one row per mutual client (one person, both systems)
 *   calworks_screening.csv  child-welfare parents to screen for CalWORKs
 */
import { join } from 'node:path';
import type { Db } from '../db/database.js';
import { dateLit } from '../db/sql.js';
import { writeCsv } from '../db/csv.js';

export const TIERS_FILE = 'tiers.csv';
export const MUTUAL_CLIENTS_FILE = 'mutual_clients.csv';
export const SCREENING_FILE = 'calworks_screening.csv';

const joined = (expr: string) => `array_to_string(list_sort(list_distinct(${expr})), ';')`;

export async function writeTiersCsv(db: Db, runDate: string, dir: string): Promise<void> {
  await writeCsv(
    db,
    `SELECT case_number, tier, reasons, previous_tier, office
     FROM tiers WHERE run_date = ${dateLit(runDate)} ORDER BY case_number`,
    join(dir, TIERS_FILE),
  );
}

/**
 * Both assigned workers (CalWORKs: of the case; child welfare: of the open
 * case, else of the latest referral) and the Linkages worker (assign stage).
 * A person on two MUTUAL cases lists both, `;`-separated.
 */
export async function writeMutualClientsCsv(db: Db, runDate: string, dir: string): Promise<void> {
  const d = dateLit(runDate);
  await writeCsv(
    db,
    `SELECT m.mutual_client_id,
            ${joined('list(m.calworks_person_id)')} AS calworks_person_ids,
            ${joined('flatten(list(m.cws_client_ids))')} AS cws_client_ids,
            ${joined('list(m.case_number)')} AS case_numbers,
            ${joined('flatten(list(m.cws_case_ids))')} AS cws_case_ids,
            ${joined('list(t.calworks_worker_id)')} AS calworks_worker_id,
            ${joined('list(t.calworks_worker_name)')} AS calworks_worker_name,
            ${joined('list(t.calworks_worker_email)')} AS calworks_worker_email,
            ${joined('list(m.cws_worker_id)')} AS cws_worker_id,
            ${joined('list(m.cws_worker_name)')} AS cws_worker_name,
            ${joined('list(m.cws_worker_email)')} AS cws_worker_email,
            any_value(a.worker_id) AS linkages_worker_id,
            any_value(a.worker_name) AS linkages_worker_name,
            any_value(a.worker_email) AS linkages_worker_email,
            coalesce(any_value(a.status), 'UNASSIGNED') AS linkages_status,
            CASE WHEN bool_or(m.is_new) THEN 'Y' ELSE 'N' END AS new_tonight,
            CASE WHEN bool_or(m.over_scheduled) THEN 'Y' ELSE 'N' END AS over_scheduled,
            CASE WHEN bool_or(m.sensitive) THEN 'Y' ELSE 'N' END AS sensitive
     FROM mutual_clients m
     LEFT JOIN tiers t ON t.run_date = m.run_date AND t.case_number = m.case_number
     LEFT JOIN assignments a ON a.run_date = m.run_date AND a.mutual_client_id = m.mutual_client_id
     WHERE m.run_date = ${d}
     GROUP BY m.mutual_client_id
     ORDER BY m.mutual_client_id`,
    join(dir, MUTUAL_CLIENTS_FILE),
  );
}

export async function writeScreeningCsv(db: Db, runDate: string, dir: string): Promise<void> {
  await writeCsv(
    db,
    `SELECT referral_id, client_id, first_name, last_name, street_address, city, zip, phone, primary_language,
            strftime(referral_date, '%Y-%m-%d') AS referral_date, worker_name, worker_email, office,
            CASE WHEN sensitive THEN 'sensitive: contact the Linkages coordinator' END AS note
     FROM calworks_screening WHERE run_date = ${dateLit(runDate)}
     ORDER BY referral_id, client_id`,
    join(dir, SCREENING_FILE),
  );
}
