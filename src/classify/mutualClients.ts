/**
 * Mutual clients (docs/interface.md section 4): a CalWORKs parent linked to a
 * child-welfare parent, on a CalWORKs case whose tier is MUTUAL. One row per
 * mutual client, case and CalWORKs person, with what assignment and
 * notification need: hours (over-scheduled?), assignment priority, language,
 * office, the child-welfare worker, and whether the mutual client is new.
 *
 * New means: not a mutual client the night before. Mutual-client ids are
 * retired and succeeded when linked components merge or split (match stage,
 * mutual_client_registry), so a mutual client continues last night's
 * mutual client X when it is X, descends from X through the registry's
 * predecessors, or holds one of X's records (same CalWORKs person or
 * child-welfare client). Those ids are kept in `previous_ids`: assignment
 * uses them to keep the Linkages worker.
 */
import type { Db } from '../db/database.js';
import { dateLit } from '../db/sql.js';
import { fx, latestKey } from '../facts/nightFacts.js';
import { FAMILY_REUNIFICATION_COMPONENT, priorityGroupSql } from '../assign/rules.js';
import { MUTUAL_CLIENT_TIER, requiredHoursSql } from './rules.js';

/** tmp_mutual_t: tonight's mutual clients (before newness), from tmp_tiers_t and the facts. */
async function buildTonight(db: Db, mutualComponents: readonly string[]): Promise<void> {
  const comps = mutualComponents.map((c) => `'${c}'`).join(', ');
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_mutual_t AS
    WITH lp AS (
      SELECT lp.* FROM ${fx('linked_parents', 't')} lp
      WHERE lp.case_number IN (SELECT case_number FROM tmp_tiers_t WHERE tier = '${MUTUAL_CLIENT_TIER}')
    ), client_cases AS (
      SELECT DISTINCT r.client_id, cc.case_id, cc.component, cc.worker
      FROM ${fx('cws_rows', 't')} r JOIN ${fx('cws_cases', 't')} cc ON cc.case_id = r.case_id
      WHERE cc.status = 'OPEN'
    ), latest_ref AS (
      SELECT client_id,
             arg_max(struct_pack(id := worker_id, name := worker_name, email := worker_email), ${latestKey('referral_date', 'source_line')}) AS worker,
             arg_max(primary_language, ${latestKey('referral_date', 'source_line')}) FILTER (WHERE primary_language IS NOT NULL) AS language
      FROM ${fx('cws_rows', 't')} WHERE client_id IN (SELECT client_id FROM lp) GROUP BY client_id
    ), per AS (
      SELECT lp.mutual_client_id, lp.case_number, lp.person_id,
             list(DISTINCT lp.client_id ORDER BY lp.client_id) AS cws_client_ids,
             bool_or(lp.sensitive) AS sensitive,
             coalesce(list(DISTINCT cc.case_id ORDER BY cc.case_id) FILTER (WHERE cc.component IN (${comps})), []) AS cws_case_ids,
             coalesce(bool_or(cc.component = '${FAMILY_REUNIFICATION_COMPONENT}'), FALSE) AS open_fr_case,
             min(cc.worker) FILTER (WHERE cc.component IN (${comps})) AS case_worker,
             min(lr.worker) AS ref_worker,
             min(lr.language) AS cws_language
      FROM lp
      LEFT JOIN client_cases cc ON cc.client_id = lp.client_id
      LEFT JOIN latest_ref lr ON lr.client_id = lp.client_id
      GROUP BY ALL
    )
    SELECT p.mutual_client_id, p.case_number, p.person_id AS calworks_person_id, p.cws_client_ids, p.cws_case_ids,
           m.fr_services, p.sensitive, m.wtw_status, m.wtw_hours, m.cfs_hours, ${requiredHoursSql('c.n_parents', 'c.child_under_six')} AS required_hours,
           coalesce(m.cfs_hours > 0 AND m.cfs_hours + coalesce(m.wtw_hours, 0) > ${requiredHoursSql('c.n_parents', 'c.child_under_six')}, FALSE) AS over_scheduled,
           ${priorityGroupSql('m.fr_services', 'p.open_fr_case', 'm.wtw_status')} AS priority_group,
           coalesce(m.primary_language, p.cws_language) AS primary_language,
           c.office,
           coalesce(p.case_worker.id, p.ref_worker.id) AS cws_worker_id,
           coalesce(p.case_worker.name, p.ref_worker.name) AS cws_worker_name,
           coalesce(p.case_worker.email, p.ref_worker.email) AS cws_worker_email
    FROM per p
    JOIN ${fx('cw_members', 't')} m ON m.case_number = p.case_number AND m.person_id = p.person_id
    JOIN ${fx('cw_cases', 't')} c ON c.case_number = p.case_number`);
}

/**
 * tmp_mutual_prev: per tonight's mutual-client id, the ids of last night's
 * mutual clients it continues (see the module comment).
 */
async function buildContinuity(db: Db, previousRunDate: string): Promise<void> {
  const p = dateLit(previousRunDate);
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_mutual_prev AS
    WITH RECURSIVE anc(id, ancestor) AS (
      SELECT r.mutual_client_id, pred
      FROM mutual_client_registry r, unnest(r.predecessors) AS t(pred)
      WHERE r.mutual_client_id IN (SELECT mutual_client_id FROM tmp_mutual_t)
      UNION
      SELECT a.id, pred
      FROM anc a JOIN mutual_client_registry r ON r.mutual_client_id = a.ancestor, unnest(r.predecessors) AS t(pred)
    ), prev AS (
      SELECT * FROM mutual_clients WHERE run_date = ${p}
    ), prev_clients AS (
      SELECT DISTINCT mutual_client_id, unnest(cws_client_ids) AS client_id FROM prev
    ), t_clients AS (
      SELECT DISTINCT mutual_client_id, unnest(cws_client_ids) AS client_id FROM tmp_mutual_t
    ), rel AS (
      SELECT t.mutual_client_id AS id, t.mutual_client_id AS prev_id FROM tmp_mutual_t t
      WHERE t.mutual_client_id IN (SELECT mutual_client_id FROM prev)
      UNION SELECT a.id, a.ancestor FROM anc a WHERE a.ancestor IN (SELECT mutual_client_id FROM prev)
      UNION SELECT t.mutual_client_id, p.mutual_client_id FROM tmp_mutual_t t JOIN prev p ON p.calworks_person_id = t.calworks_person_id
      UNION SELECT t.mutual_client_id, p.mutual_client_id FROM t_clients t JOIN prev_clients p USING (client_id)
    )
    SELECT id AS mutual_client_id, list(DISTINCT prev_id ORDER BY prev_id) AS previous_ids FROM rel GROUP BY id`);
}

export interface MutualCounts {
  mutual_clients: number;
  new_mutual_clients: number;
  over_scheduled: number;
}

/** Writes tonight's mutual_clients rows; `previousRunDate` null on a baseline night (everyone is new). */
export async function persistMutualClients(
  db: Db,
  runDate: string,
  previousRunDate: string | null,
  mutualComponents: readonly string[],
): Promise<MutualCounts> {
  await buildTonight(db, mutualComponents);
  if (previousRunDate) await buildContinuity(db, previousRunDate);
  else await db.exec(`CREATE OR REPLACE TEMP TABLE tmp_mutual_prev (mutual_client_id VARCHAR, previous_ids VARCHAR[])`);
  await db.exec(`
    INSERT INTO mutual_clients BY NAME
    SELECT ${dateLit(runDate)} AS run_date, t.mutual_client_id, t.case_number, t.calworks_person_id, t.cws_client_ids, t.cws_case_ids,
           t.fr_services, t.sensitive, t.wtw_status, t.wtw_hours, t.cfs_hours, t.required_hours, t.over_scheduled,
           t.priority_group, t.primary_language, t.office, t.cws_worker_id, t.cws_worker_name, t.cws_worker_email,
           p.mutual_client_id IS NULL AS is_new, coalesce(p.previous_ids, []) AS previous_ids
    FROM tmp_mutual_t t LEFT JOIN tmp_mutual_prev p USING (mutual_client_id)
    ORDER BY t.mutual_client_id, t.case_number, t.calworks_person_id`);
  const c = await db.one<Record<string, number | string>>(`
    SELECT count(DISTINCT mutual_client_id) AS mutual_clients,
           count(DISTINCT mutual_client_id) FILTER (WHERE is_new) AS new_mutual_clients,
           count(*) FILTER (WHERE over_scheduled) AS over_scheduled
    FROM mutual_clients WHERE run_date = ${dateLit(runDate)}`);
  await db.exec(`DROP TABLE IF EXISTS tmp_mutual_t; DROP TABLE IF EXISTS tmp_mutual_prev`);
  return {
    mutual_clients: Number(c?.mutual_clients ?? 0),
    new_mutual_clients: Number(c?.new_mutual_clients ?? 0),
    over_scheduled: Number(c?.over_scheduled ?? 0),
  };
}
