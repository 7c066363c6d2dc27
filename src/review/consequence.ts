/**
 * What confirming a review pair would change for the family, so the queue can
 * put the most consequential pairs first. From the night's snapshots and its
 * tiers (the default rules, src/classify/rules.ts, approximated per person:
 * enough to order a queue, not to replace classify; the look-back window is
 * the one classify used that night):
 *
 *   1  makes the family MUTUAL     the CalWORKs person is on an open case, and the child-welfare
 *                                  client is on an OPEN FM or FR case (or the CalWORKs parent has
 *                                  FR services), and the case is not MUTUAL already
 *   2  makes it EARLY_INTERVENTION open CalWORKs case, the client has a referral in the look-back
 *                                  window with no open case, and the case is only PREVENTION now
 *   3  no tier change              open CalWORKs case already at that tier (or higher)
 *   4  no tier                     the CalWORKs case is not open: a link changes no list tonight
 *
 * Produces tmp_review_consequence(calworks_person_id, cws_client_id, impact_rank, consequence,
 * calworks_cases, calworks_case_open, current_tier, cws_cases, cws_open_fm_fr_case) for the pairs of
 * `pairsSql` (columns calworks_person_id, cws_client_id).
 */
import type { Db } from '../db/database.js';
import { dateLit, litList } from '../db/sql.js';
import { tiersAvailable } from '../search/tiersTable.js';
import { DEFAULT_TIER_RULES, TIER_RANK, tierRankSql } from '../classify/rules.js';

const DEFAULT_LOOKBACK_DAYS = DEFAULT_TIER_RULES.lookback_days;
const OPEN_STATUSES = litList(DEFAULT_TIER_RULES.open_calworks_statuses);
const MUTUAL_COMPONENTS = litList(DEFAULT_TIER_RULES.mutual.service_components);
const { MUTUAL, EARLY_INTERVENTION, PREVENTION } = TIER_RANK;

/** The look-back window classify used that night (classify_nights), or the default. */
async function lookbackDays(db: Db, night: string): Promise<number> {
  if (!(await db.tableExists('classify_nights'))) return DEFAULT_LOOKBACK_DAYS;
  const n = await db.count(`SELECT coalesce(max(lookback_days), 0) FROM classify_nights WHERE run_date = ${dateLit(night)}`);
  return n > 0 ? n : DEFAULT_LOOKBACK_DAYS;
}

export async function buildConsequences(db: Db, night: string, pairsSql: string): Promise<void> {
  const d = dateLit(night);
  const lookback = await lookbackDays(db, night);
  const tiers = await tiersAvailable(db);
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_review_consequence AS
    WITH pairs AS (SELECT DISTINCT calworks_person_id, cws_client_id FROM (${pairsSql})),
    cw_rows AS (
      SELECT * FROM snap_calworks WHERE run_date = ${d}
    ),
    -- a CalWORKs case is open when its status is PENDING or ACTIVE, or a parent on it has FR services
    cw_case AS (
      SELECT case_number,
             bool_or(case_status IN (${OPEN_STATUSES})) OR bool_or(coalesce(fr_services, FALSE) AND person_role = 'PARENT') AS is_open
      FROM cw_rows WHERE case_number IN (SELECT case_number FROM cw_rows WHERE person_id IN (SELECT calworks_person_id FROM pairs))
      GROUP BY case_number
    ),
    cw AS (
      SELECT r.person_id,
             list(DISTINCT r.case_number ORDER BY r.case_number) AS cases,
             bool_or(c.is_open) AS case_open,
             bool_or(coalesce(r.fr_services, FALSE)) AS fr_services,
             ${tiers ? `max(${tierRankSql('t.tier')})` : '0'} AS tier_rank
      FROM cw_rows r JOIN cw_case c USING (case_number)
      ${tiers ? `LEFT JOIN tiers t ON t.run_date = ${d} AND t.case_number = r.case_number` : ''}
      WHERE r.person_id IN (SELECT calworks_person_id FROM pairs)
      GROUP BY r.person_id
    ),
    cws AS (
      SELECT client_id,
             list(DISTINCT coalesce(case_id, referral_id) ORDER BY coalesce(case_id, referral_id)) AS cases,
             coalesce(bool_or(case_status = 'OPEN' AND service_component IN (${MUTUAL_COMPONENTS})), FALSE) AS open_fm_fr,
             coalesce(bool_or(referral_date > ${d} - INTERVAL ${lookback} DAY AND referral_date <= ${d}
                              AND case_status IS DISTINCT FROM 'OPEN'), FALSE) AS recent_referral
      FROM snap_cws WHERE run_date = ${d} AND client_id IN (SELECT cws_client_id FROM pairs)
      GROUP BY client_id
    ),
    judged AS (
      SELECT p.calworks_person_id, p.cws_client_id, cw.cases AS calworks_cases, coalesce(cw.case_open, FALSE) AS case_open,
             coalesce(cw.tier_rank, 0) AS tier_rank, cws.cases AS cws_cases, coalesce(cws.open_fm_fr, FALSE) AS open_fm_fr,
             CASE WHEN NOT coalesce(cw.case_open, FALSE) THEN 0
                  WHEN cws.open_fm_fr OR cw.fr_services THEN ${MUTUAL}
                  WHEN cws.recent_referral THEN ${EARLY_INTERVENTION}
                  ELSE ${PREVENTION} END AS would_rank
      FROM pairs p
      LEFT JOIN cw ON cw.person_id = p.calworks_person_id
      LEFT JOIN cws ON cws.client_id = p.cws_client_id
    )
    SELECT calworks_person_id, cws_client_id,
           CASE WHEN would_rank = ${MUTUAL} AND tier_rank < ${MUTUAL} THEN 1
                WHEN would_rank = ${EARLY_INTERVENTION} AND tier_rank < ${EARLY_INTERVENTION} THEN 2
                WHEN would_rank > 0 THEN 3
                ELSE 4 END AS impact_rank,
           CASE WHEN would_rank = ${MUTUAL} AND tier_rank < ${MUTUAL} THEN 'would make the family MUTUAL'
                WHEN would_rank = ${EARLY_INTERVENTION} AND tier_rank < ${EARLY_INTERVENTION} THEN 'would make the family EARLY_INTERVENTION'
                WHEN would_rank > 0 THEN 'no tier change'
                ELSE 'no tier: CalWORKs case not open' END AS consequence,
           array_to_string(calworks_cases, ' ') AS calworks_cases,
           case_open AS calworks_case_open,
           CASE tier_rank WHEN ${MUTUAL} THEN 'MUTUAL' WHEN ${EARLY_INTERVENTION} THEN 'EARLY_INTERVENTION' WHEN ${PREVENTION} THEN 'PREVENTION' END AS current_tier,
           array_to_string(cws_cases, ' ') AS cws_cases,
           open_fm_fr AS cws_open_fm_fr_case
    FROM judged`);
}
