/**
 * Linkages tiers per open CalWORKs case (docs/interface.md section 3), from the
 * night's facts (src/facts/nightFacts.ts). Each rule yields reason rows (which parent,
 * which child-welfare client, which case, referral or flag); a case takes
 * the first tier that has a reason, and its `reasons` are that tier's reason
 * rows. The rules' knobs come from config `tiers` (schemas/config.ts).
 *
 *   MUTUAL              a linked parent is on an OPEN child-welfare case whose
 *                       component is one of `mutual.service_components` (FM, FR),
 *                       or a linked parent has fr_services = Y
 *   EARLY_INTERVENTION  a linked parent is named on a referral received in the
 *                       look-back window that has no open case, or a parent
 *                       has one of `early_intervention.risk_flags`
 *   PREVENTION          any other open case
 *
 * A reason about a SENSITIVE child-welfare client names no child-welfare id:
 * it says "contact the Linkages coordinator" instead (tiers.csv reaches
 * CalWORKs staff).
 */
import type { Db } from '../db/database.js';
import { dateLit, lit, litList } from '../db/sql.js';
import type { Config } from '../../schemas/config.js';
import { fx, type NightTag } from '../facts/nightFacts.js';
import { FALLBACK_TIER, SENSITIVE_REASON, TIERS } from './rules.js';

/** SQL: a tier's position in precedence order (1 first), and back. */
const precedenceSql = (col: string) =>
  `CASE ${col} ${TIERS.slice(0, -1)
    .map((t, i) => `WHEN '${t}' THEN ${i + 1}`)
    .join(' ')} ELSE ${TIERS.length} END`;
const tierAtSql = (col: string) =>
  `CASE ${col} ${TIERS.slice(0, -1)
    .map((t, i) => `WHEN ${i + 1} THEN '${t}'`)
    .join(' ')} ELSE '${FALLBACK_TIER}' END`;

const sensitiveOr = (detail: string) => `CASE WHEN lp.sensitive THEN 'parent ' || lp.person_id || ': ${SENSITIVE_REASON}' ELSE ${detail} END`;

/**
 * tmp_tier_reasons_<tag>(case_number, tier, reason): every reason of every
 * rule, for the open cases of the night.
 */
export async function buildTierReasons(db: Db, date: string, tag: NightTag, cfg: Config['tiers']): Promise<void> {
  const d = dateLit(date);
  const lp = fx('linked_parents', tag);
  const open = `(SELECT case_number FROM ${fx('cw_cases', tag)} WHERE is_open)`;
  const parts: string[] = [];
  parts.push(`
    SELECT lp.case_number, 'MUTUAL' AS tier,
           ${sensitiveOr(`'parent ' || lp.person_id || ' = CWS client ' || lp.client_id || ': open ' || cc.component || ' case ' || cc.case_id`)} AS reason
    FROM ${lp} lp
    JOIN (SELECT DISTINCT client_id, case_id FROM ${fx('cws_rows', tag)} WHERE case_id IS NOT NULL) r ON r.client_id = lp.client_id
    JOIN ${fx('cws_cases', tag)} cc ON cc.case_id = r.case_id
    WHERE cc.status = 'OPEN' AND cc.component IN (${litList(cfg.mutual.service_components)})`);
  if (cfg.mutual.fr_services_linked) {
    parts.push(`
      SELECT lp.case_number, 'MUTUAL',
             ${sensitiveOr(`'parent ' || lp.person_id || ' = CWS client ' || lp.client_id || ': CalWORKs FR services'`)}
      FROM ${lp} lp JOIN ${fx('cw_members', tag)} m USING (case_number, person_id)
      WHERE m.fr_services`);
  }
  if (cfg.early_intervention.referral_in_window) {
    const dispositions = cfg.early_intervention.referral_dispositions;
    parts.push(`
      SELECT lp.case_number, 'EARLY_INTERVENTION',
             ${sensitiveOr(
               `'parent ' || lp.person_id || ' = CWS client ' || lp.client_id || ': referral ' || r.referral_id || ' of ' || strftime(r.referral_date, '%Y-%m-%d')
                || ' (' || coalesce(r.referral_disposition, 'no disposition') || coalesce(', DR path ' || r.dr_path, '') || ')'`,
             )}
      FROM ${lp} lp
      JOIN ${fx('cws_rows', tag)} r ON r.client_id = lp.client_id
      LEFT JOIN ${fx('cws_cases', tag)} cc ON cc.case_id = r.case_id
      WHERE r.referral_date >= ${d} - INTERVAL ${cfg.lookback_days} DAY AND r.referral_date <= ${d}
        AND cc.status IS DISTINCT FROM 'OPEN'
        AND coalesce(r.referral_disposition, 'UNKNOWN') IN (${litList(dispositions)})`);
  }
  for (const flag of cfg.early_intervention.risk_flags) {
    parts.push(`
      SELECT case_number, 'EARLY_INTERVENTION', 'parent ' || person_id || ': ' || ${lit(flag)} || ' = Y'
      FROM ${fx('cw_members', tag)} WHERE role = 'PARENT' AND ${flag}`);
  }
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_tier_reasons_${tag} AS
    SELECT DISTINCT case_number, tier, reason
    FROM (${parts.join('\nUNION ALL\n')})
    WHERE case_number IN ${open}`);
}

/** tmp_tiers_<tag>(case_number, tier, reasons): the first tier that holds, and its reasons in order. */
export async function buildTiers(db: Db, tag: NightTag): Promise<void> {
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_tiers_${tag} AS
    WITH ranked AS (
      SELECT case_number, tier, reason,
             ${precedenceSql('tier')} AS rank
      FROM tmp_tier_reasons_${tag}
    ), best AS (
      SELECT case_number, min(rank) AS rank FROM ranked GROUP BY case_number
    ), agg AS (
      SELECT case_number, min(r.rank) AS rank, string_agg(r.reason, '; ' ORDER BY r.reason) AS reasons
      FROM ranked r JOIN best b USING (case_number) WHERE r.rank = b.rank GROUP BY case_number
    )
    SELECT c.case_number,
           ${tierAtSql(`coalesce(a.rank, ${TIERS.length})`)} AS tier,
           coalesce(a.reasons, 'open CalWORKs case; no linked child-welfare involvement and no risk flag') AS reasons,
           c.office
    FROM ${fx('cw_cases', tag)} c LEFT JOIN agg a USING (case_number)
    WHERE c.is_open`);
}
