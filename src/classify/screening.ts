/**
 * The CalWORKs screening list (prevention tier, child-welfare side): parents
 * named on a child-welfare referral received in the look-back window, in
 * families with no link to CalWORKs (no client named on the referral is
 * linked to a CalWORKs person tonight). CalWORKs eligibility staff screen
 * them. SEALED clients were left out by src/facts/nightFacts.ts; a SENSITIVE family's row
 * keeps only its ids (its name and contact are for the Linkages coordinator
 * to share, not for the list).
 */
import type { Db } from '../db/database.js';
import { dateLit } from '../db/sql.js';
import { fx } from '../facts/nightFacts.js';

export async function persistScreening(db: Db, runDate: string, lookbackDays: number): Promise<number> {
  const d = dateLit(runDate);
  await db.exec(`
    INSERT INTO calworks_screening BY NAME
    WITH window_refs AS (
      SELECT DISTINCT referral_id FROM ${fx('cws_rows', 't')}
      WHERE referral_date >= ${d} - INTERVAL ${lookbackDays} DAY AND referral_date <= ${d}
    ), linked_refs AS (
      SELECT DISTINCT r.referral_id FROM ${fx('cws_rows', 't')} r
      WHERE r.client_id IN (SELECT client_id FROM ${fx('links', 't')})
    ), rows AS (
      SELECT r.*, row_number() OVER (PARTITION BY r.referral_id, r.client_id ORDER BY r.source_line) AS k
      FROM ${fx('cws_rows', 't')} r
      WHERE r.client_role = 'PARENT'
        AND r.referral_id IN (SELECT referral_id FROM window_refs)
        AND r.referral_id NOT IN (SELECT referral_id FROM linked_refs)
    )
    SELECT ${d} AS run_date, referral_id, client_id, referral_date,
           CASE WHEN sensitive THEN NULL ELSE first_name END AS first_name, CASE WHEN sensitive THEN NULL ELSE last_name END AS last_name,
           CASE WHEN sensitive THEN NULL ELSE street_address END AS street_address, CASE WHEN sensitive THEN NULL ELSE city END AS city,
           CASE WHEN sensitive THEN NULL ELSE zip END AS zip, CASE WHEN sensitive THEN NULL ELSE phone END AS phone,
           primary_language,
           CASE WHEN sensitive THEN NULL ELSE worker_name END AS worker_name, CASE WHEN sensitive THEN NULL ELSE worker_email END AS worker_email,
           office, sensitive
    FROM rows WHERE k = 1
    ORDER BY referral_id, client_id`);
  return db.count(`SELECT count(*) FROM calworks_screening WHERE run_date = ${d}`);
}
