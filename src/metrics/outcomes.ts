/**
 * metrics_outcomes: metrics_identification summed per month of identification
 * and cohort (baseline: everyone current on the first night; new: identified
 * on a later night). An outcome within N months counts only the mutual
 * clients followed for the whole N months (identified at least N months
 * before the last night): the rates are over those, and are empty while
 * nobody has been followed that long. A mutual client that continues others
 * (a re-issued id) is the same family and is not counted again. Each row
 * names the nights it covers.
 */
import type { Db } from '../db/database.js';

const rate = (num: string, den: string) => `round(${num} / nullif(${den}, 0), 4)`;

export async function buildOutcomes(db: Db): Promise<number> {
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE metrics_outcomes AS
    WITH g AS (
      SELECT identification_month,
             CASE WHEN baseline THEN 'baseline' ELSE 'new' END AS cohort,
             count(*) AS mutual_clients,
             count(*) FILTER (WHERE sanctioned_at_identification) AS sanctioned_at_identification,
             count(*) FILTER (WHERE sanctioned_at_identification AND followed_6m) AS sanctioned_followed_6m,
             count(*) FILTER (WHERE sanctioned_at_identification AND followed_6m AND sanction_cured_6m) AS sanction_cured_6m,
             count(*) FILTER (WHERE followed_6m) AS followed_6m,
             count(*) FILTER (WHERE followed_6m AND cws_case_closed_6m) AS cws_case_closed_6m,
             count(*) FILTER (WHERE followed_12m) AS followed_12m,
             count(*) FILTER (WHERE followed_12m AND cws_case_closed_12m) AS cws_case_closed_12m,
             count(*) FILTER (WHERE followed_12m AND new_referral_12m) AS new_referral_12m,
             count(*) FILTER (WHERE child_removed_after_identification) AS child_removed_after_identification,
             median(days_from_case_opening) AS median_days_from_case_opening,
             median(days_from_referral) AS median_days_from_referral,
             median(days_to_assignment) AS median_days_to_assignment,
             min(identified_on) AS covers_from,
             max(followed_through) AS covers_to
      FROM metrics_identification
      WHERE continues IS NULL  -- a re-issued id is the same family, counted once under its first id
      GROUP BY ALL
    )
    SELECT identification_month, cohort, mutual_clients,
           sanctioned_at_identification, sanctioned_followed_6m, sanction_cured_6m,
           ${rate('sanction_cured_6m', 'sanctioned_followed_6m')} AS sanction_cure_rate_6m,
           followed_6m, cws_case_closed_6m, ${rate('cws_case_closed_6m', 'followed_6m')} AS cws_case_closed_rate_6m,
           followed_12m, cws_case_closed_12m, ${rate('cws_case_closed_12m', 'followed_12m')} AS cws_case_closed_rate_12m,
           new_referral_12m, ${rate('new_referral_12m', 'followed_12m')} AS new_referral_rate_12m,
           child_removed_after_identification,
           median_days_from_case_opening, median_days_from_referral, median_days_to_assignment,
           covers_from, covers_to,
           (SELECT count(*) FROM tmp_m_nights n WHERE n.run_date BETWEEN g.covers_from AND g.covers_to)::INTEGER AS runs
    FROM g
    ORDER BY identification_month, cohort`);
  return db.count(`SELECT count(*) FROM metrics_outcomes`);
}
