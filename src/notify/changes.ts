/**
 * Change detection: tonight against the previous night, on parsed values
 * (src/facts/nightFacts.ts builds both nights the same way from the snapshots), into
 * tmp_events, one row per event:
 *
 *   event_type, case_number (CalWORKs), subject, cause, mutual_client_id,
 *   details, sensitive, cws_worker (struct), involves_cws, mc_ids
 *
 * | event                 | when (tonight vs the previous night)                                    | subject               | cause                 |
 * |-----------------------|-------------------------------------------------------------------------|-----------------------|-----------------------|
 * | NEW_MUTUAL_CLIENT     | a mutual client that is new (classify: id, lineage and records)         | CalWORKs person_id    | the open cases / FR   |
 * | OVER_SCHEDULED        | a mutual client over-scheduled tonight and not last night               | CalWORKs person_id    | the hours             |
 * | NEW_REFERRAL          | a referral_id not in last night's extract names a linked parent         | referral_id           |                       |
 * | CHILD_REMOVED         | a child's removal_date appears (or moves later) on a linked family      | child's client_id     | removal date          |
 * | CWS_CASE_OPENED       | a case OPEN tonight, not OPEN last night, with a linked parent on it    | case_id               | open date             |
 * | CWS_CASE_CLOSED       | a case OPEN last night is CLOSED tonight, with a linked parent on it    | case_id               | close date            |
 * | CALWORKS_DISCONTINUED | an open status last night, DISCONTINUED or DENIED tonight, case linked  | case_number           | status and its date   |
 * | SIGNIFICANT_CHANGE    | a continuing mutual client's address, or its case's members, changed   | ADDRESS or HOUSEHOLD  | old and new values    |
 * | TIER_CHANGED          | the case has a tier both nights and they differ                         | OLD_TIER>NEW_TIER     | the run date          |
 *
 * Change events concern CalWORKs cases with a tier tonight or last night
 * (open on one of the two nights); the child-welfare ones need a parent of
 * the case linked tonight. A baseline night (no previous classified night)
 * emits only NEW_MUTUAL_CLIENT and OVER_SCHEDULED, for everyone current.
 */
import type { Db } from '../db/database.js';
import { dateLit, litList } from '../db/sql.js';
import { fx } from '../facts/nightFacts.js';

export interface DetectOptions {
  runDate: string;
  /** The previous classified night, or null on a baseline night. */
  previousRunDate: string | null;
  openStatuses: readonly string[];
}

const EVENT_COLUMNS = `
  event_type VARCHAR, case_number VARCHAR, subject VARCHAR, cause VARCHAR, mutual_client_id VARCHAR, details VARCHAR,
  sensitive BOOLEAN, cws_worker STRUCT(id VARCHAR, name VARCHAR, email VARCHAR), involves_cws BOOLEAN, mc_ids VARCHAR[]`;

const worker = (p: string) => `struct_pack(id := ${p}worker_id, name := ${p}worker_name, email := ${p}worker_email)`;
const fmtDate = (e: string) => `coalesce(strftime(${e}, '%Y-%m-%d'), 'unknown date')`;
const fmtHours = (e: string) => `coalesce(regexp_replace(printf('%.1f', ${e}), '\\.0$', ''), '0')`;

/** Events every night, baseline included: new mutual clients and over-scheduled ones. */
function mutualClientEvents(d: string, p: string | null): string[] {
  const newMc = `
    SELECT 'NEW_MUTUAL_CLIENT' AS event_type, m.case_number, m.calworks_person_id AS subject,
           array_to_string(m.cws_case_ids, ';') || CASE WHEN m.fr_services THEN ';FR_SERVICES' ELSE '' END AS cause,
           m.mutual_client_id,
           'New mutual client ' || m.mutual_client_id || ': CalWORKs parent ' || m.calworks_person_id || ' (case ' || m.case_number
             || ') is child-welfare client ' || array_to_string(m.cws_client_ids, ', ')
             || CASE WHEN len(m.cws_case_ids) > 0 THEN ' on open case ' || array_to_string(m.cws_case_ids, ', ') ELSE '' END
             || CASE WHEN m.fr_services THEN ' and receives CalWORKs FR services' ELSE '' END
             || '. Coordinate one case plan.' AS details,
           m.sensitive, struct_pack(id := m.cws_worker_id, name := m.cws_worker_name, email := m.cws_worker_email) AS cws_worker,
           TRUE AS involves_cws, [m.mutual_client_id] AS mc_ids
    FROM mutual_clients m WHERE m.run_date = ${d} ${p ? 'AND m.is_new' : ''}`;
  const over = `
    SELECT 'OVER_SCHEDULED' AS event_type, m.case_number, m.calworks_person_id AS subject,
           ${fmtHours('m.cfs_hours')} || '|' || ${fmtHours('m.wtw_hours')} || '|' || m.required_hours AS cause,
           m.mutual_client_id,
           'Over-scheduled: parent ' || m.calworks_person_id || ' has ' || ${fmtHours('m.cfs_hours')} || ' h of child-welfare case-plan activities and '
             || ${fmtHours('m.wtw_hours')} || ' h of WTW activities a week (' || ${fmtHours('m.cfs_hours + coalesce(m.wtw_hours, 0)')}
             || ' h), above the ' || m.required_hours || ' h required. Count the case-plan hours toward WTW.' AS details,
           m.sensitive, struct_pack(id := m.cws_worker_id, name := m.cws_worker_name, email := m.cws_worker_email) AS cws_worker,
           TRUE AS involves_cws, [m.mutual_client_id] AS mc_ids
    FROM mutual_clients m
    WHERE m.run_date = ${d} AND m.over_scheduled
      ${
        p
          ? `AND NOT EXISTS (SELECT 1 FROM mutual_clients q WHERE q.run_date = ${p} AND q.over_scheduled
                             AND q.case_number = m.case_number AND q.calworks_person_id = m.calworks_person_id)`
          : ''
      }`;
  return [newMc, over];
}

/** Events that compare the two nights. */
function changeEvents(d: string, p: string, runDate: string, openStatuses: readonly string[]): string[] {
  const lp = fx('linked_parents', 't');
  const tiered = `(SELECT case_number FROM tiers WHERE run_date IN (${d}, ${p}))`;
  const caseMcs = `(SELECT case_number, list(DISTINCT mutual_client_id ORDER BY mutual_client_id) AS mc_ids FROM mutual_clients WHERE run_date IN (${d}, ${p}) GROUP BY case_number)`;
  const parentsOn = (rowFilter: string) => `
    SELECT lp.case_number, lp.person_id, lp.client_id, lp.sensitive, r.*  EXCLUDE (client_id, sensitive)
    FROM ${lp} lp JOIN ${fx('cws_rows', 't')} r ON r.client_id = lp.client_id
    WHERE ${rowFilter} AND lp.case_number IN ${tiered}`;
  const withMcs = (sql: string) =>
    `SELECT e.* EXCLUDE (mc_ids), coalesce(cm.mc_ids, []::VARCHAR[]) AS mc_ids FROM (${sql}) e LEFT JOIN ${caseMcs} cm USING (case_number)`;

  const newReferral = withMcs(`
    SELECT 'NEW_REFERRAL' AS event_type, x.case_number, x.referral_id AS subject, '' AS cause, NULL AS mutual_client_id,
           'New referral ' || x.referral_id || ' of ' || ${fmtDate('min(x.referral_date)')} || ' names linked parent(s) '
             || string_agg(DISTINCT x.person_id || ' (CWS client ' || x.client_id || ')', ', ' ORDER BY x.person_id || ' (CWS client ' || x.client_id || ')') || '.' AS details,
           bool_or(x.sensitive) AS sensitive, min(${worker('x.')}) AS cws_worker, TRUE AS involves_cws, NULL::VARCHAR[] AS mc_ids
    FROM (${parentsOn(`r.referral_id NOT IN (SELECT referral_id FROM snap_cws WHERE run_date = ${p})`)}) x
    GROUP BY x.case_number, x.referral_id`);

  const removed = `(
    SELECT t.client_id AS child_id, t.removal_date, t.sensitive AS child_sensitive
    FROM ${fx('cws_clients', 't')} t LEFT JOIN ${fx('cws_clients', 'l')} l USING (client_id)
    WHERE NOT t.sealed AND t.removal_date IS NOT NULL AND t.removal_date > coalesce(l.removal_date, DATE '0001-01-01'))`;
  const childRows = `(
    SELECT DISTINCT rm.child_id, rm.removal_date, rm.child_sensitive, r.referral_id, r.case_id, ${worker('r.')} AS worker
    FROM ${removed} rm JOIN ${fx('cws_rows', 't')} r ON r.client_id = rm.child_id WHERE r.removal_date IS NOT NULL)`;
  const childRemoved = withMcs(`
    SELECT 'CHILD_REMOVED' AS event_type, x.case_number, x.child_id AS subject, strftime(x.removal_date, '%Y-%m-%d') AS cause, NULL AS mutual_client_id,
           'Child ' || x.child_id || ' removed on ' || ${fmtDate('x.removal_date')}
             || coalesce(' (child-welfare case ' || min(x.case_id) || ')', '') || '; linked parent(s) '
             || string_agg(DISTINCT x.person_id, ', ' ORDER BY x.person_id) || '. Review CalWORKs eligibility and FR services.' AS details,
           bool_or(x.sensitive OR x.child_sensitive) AS sensitive, min(x.worker) AS cws_worker, TRUE AS involves_cws, NULL::VARCHAR[] AS mc_ids
    FROM (
      SELECT c.*, lp.case_number, lp.person_id, lp.sensitive
      FROM ${childRows} c
      JOIN ${fx('cws_rows', 't')} o ON o.referral_id = c.referral_id
      JOIN ${lp} lp ON lp.client_id = o.client_id
      UNION
      SELECT c.*, lp.case_number, lp.person_id, lp.sensitive
      FROM ${childRows} c
      JOIN ${fx('cws_rows', 't')} o ON o.case_id = c.case_id
      JOIN ${lp} lp ON lp.client_id = o.client_id
    ) x
    WHERE x.case_number IN ${tiered}
    GROUP BY x.case_number, x.child_id, x.removal_date`);

  const caseEvent = (type: string, transition: string, cause: string, text: string) =>
    withMcs(`
    SELECT ${`'${type}'`} AS event_type, x.case_number, x.case_id AS subject, ${cause} AS cause, NULL AS mutual_client_id,
           ${text} || '; linked parent(s) ' || string_agg(DISTINCT x.person_id, ', ' ORDER BY x.person_id) || '.' AS details,
           bool_or(x.sensitive) AS sensitive, any_value(x.cworker) AS cws_worker, TRUE AS involves_cws, NULL::VARCHAR[] AS mc_ids
    FROM (
      SELECT lp.case_number, lp.person_id, lp.sensitive, t.case_id, t.open_date, t.close_date, t.component,
             struct_pack(id := t.worker.id, name := t.worker.name, email := t.worker.email) AS cworker
      FROM ${fx('cws_cases', 't')} t LEFT JOIN ${fx('cws_cases', 'l')} l USING (case_id)
      JOIN (SELECT DISTINCT client_id, case_id FROM ${fx('cws_rows', 't')} WHERE case_id IS NOT NULL) r ON r.case_id = t.case_id
      JOIN ${lp} lp ON lp.client_id = r.client_id
      WHERE ${transition} AND lp.case_number IN ${tiered}
    ) x
    GROUP BY x.case_number, x.case_id`);
  const opened = caseEvent(
    'CWS_CASE_OPENED',
    `t.status = 'OPEN' AND l.status IS DISTINCT FROM 'OPEN'`,
    `coalesce(strftime(min(x.open_date), '%Y-%m-%d'), '')`,
    `'Child-welfare ' || coalesce(any_value(x.component), '') || ' case ' || x.case_id || ' opened on ' || ${fmtDate('min(x.open_date)')}`,
  );
  const closed = caseEvent(
    'CWS_CASE_CLOSED',
    `l.status = 'OPEN' AND t.status = 'CLOSED'`,
    `coalesce(strftime(max(x.close_date), '%Y-%m-%d'), '')`,
    `'Child-welfare case ' || x.case_id || ' closed on ' || ${fmtDate('max(x.close_date)')}`,
  );

  const linkedCases = `(SELECT case_number, bool_or(sensitive) AS sensitive FROM ${lp} GROUP BY case_number)`;
  const caseCws = `(
    SELECT lp.case_number,
           arg_max(${worker('r.')}, (CASE WHEN cc.status = 'OPEN' THEN '1' ELSE '0' END) || strftime(r.referral_date, '%Y-%m-%d') || r.referral_id) AS cws_worker
    FROM ${lp} lp JOIN ${fx('cws_rows', 't')} r ON r.client_id = lp.client_id
    LEFT JOIN ${fx('cws_cases', 't')} cc ON cc.case_id = r.case_id
    GROUP BY lp.case_number)`;
  const discontinued = withMcs(`
    SELECT 'CALWORKS_DISCONTINUED' AS event_type, t.case_number, t.case_number AS subject,
           t.status || '|' || coalesce(strftime(t.status_date, '%Y-%m-%d'), '') AS cause, NULL AS mutual_client_id,
           'CalWORKs case ' || t.case_number || ' ' || lower(t.status) || ' on ' || ${fmtDate('t.status_date')} || ' (was ' || l.status || ').' AS details,
           lc.sensitive, cw.cws_worker, TRUE AS involves_cws, NULL::VARCHAR[] AS mc_ids
    FROM ${fx('cw_cases', 't')} t JOIN ${fx('cw_cases', 'l')} l USING (case_number)
    JOIN ${linkedCases} lc USING (case_number)
    LEFT JOIN ${caseCws} cw USING (case_number)
    WHERE l.status IN (${litList(openStatuses)}) AND t.status IN ('DISCONTINUED', 'DENIED') AND t.case_number IN ${tiered}`);

  // Mutual clients on the same case both nights (new ones are told by NEW_MUTUAL_CLIENT).
  const continuing = `(
    SELECT m.case_number, m.calworks_person_id FROM mutual_clients m
    WHERE m.run_date = ${d} AND NOT m.is_new
      AND EXISTS (SELECT 1 FROM mutual_clients q WHERE q.run_date = ${p} AND q.case_number = m.case_number AND q.calworks_person_id = m.calworks_person_id))`;
  const address = withMcs(`
    SELECT 'SIGNIFICANT_CHANGE' AS event_type, c.case_number, 'ADDRESS' AS subject,
           string_agg(c.calworks_person_id || ':' || md5(ml.addr_key) || '>' || md5(mt.addr_key), ';' ORDER BY c.calworks_person_id) AS cause,
           NULL AS mutual_client_id,
           'Address changed in CalWORKs for mutual client(s) ' || string_agg(c.calworks_person_id, ', ' ORDER BY c.calworks_person_id) || ' (case ' || c.case_number || ').' AS details,
           any_value(lc.sensitive) AS sensitive, any_value(cw.cws_worker) AS cws_worker, TRUE AS involves_cws, NULL::VARCHAR[] AS mc_ids
    FROM ${continuing} c
    JOIN ${fx('cw_member_addr', 't')} mt ON mt.case_number = c.case_number AND mt.person_id = c.calworks_person_id
    JOIN ${fx('cw_member_addr', 'l')} ml ON ml.case_number = c.case_number AND ml.person_id = c.calworks_person_id
    LEFT JOIN ${linkedCases} lc ON lc.case_number = c.case_number
    LEFT JOIN ${caseCws} cw ON cw.case_number = c.case_number
    WHERE mt.addr_key <> ml.addr_key
    GROUP BY c.case_number`);
  const household = withMcs(`
    SELECT 'SIGNIFICANT_CHANGE' AS event_type, t.case_number, 'HOUSEHOLD' AS subject,
           md5(array_to_string(l.members, ';')) || '>' || md5(array_to_string(t.members, ';')) AS cause, NULL AS mutual_client_id,
           'Household of CalWORKs case ' || t.case_number || ' changed:'
             || coalesce(' joined ' || nullif(array_to_string(list_filter(t.members, x -> NOT list_contains(l.members, x)), ', '), ''), '')
             || coalesce(' left ' || nullif(array_to_string(list_filter(l.members, x -> NOT list_contains(t.members, x)), ', '), ''), '')
             || '.' AS details,
           lc.sensitive, cw.cws_worker, TRUE AS involves_cws, NULL::VARCHAR[] AS mc_ids
    FROM ${fx('cw_cases', 't')} t JOIN ${fx('cw_cases', 'l')} l USING (case_number)
    LEFT JOIN ${linkedCases} lc USING (case_number)
    LEFT JOIN ${caseCws} cw USING (case_number)
    WHERE t.members <> l.members AND t.case_number IN (SELECT case_number FROM ${continuing})`);

  const tierChanged = withMcs(`
    SELECT 'TIER_CHANGED' AS event_type, t.case_number, l.tier || '>' || t.tier AS subject, '${runDate}' AS cause, NULL AS mutual_client_id,
           'Linkages tier of CalWORKs case ' || t.case_number || ' changed from ' || l.tier || ' to ' || t.tier || ': ' || t.reasons AS details,
           coalesce(lc.sensitive, FALSE) AS sensitive, cw.cws_worker, lc.case_number IS NOT NULL AS involves_cws, NULL::VARCHAR[] AS mc_ids
    FROM tiers t JOIN tiers l ON l.case_number = t.case_number AND l.run_date = ${p}
    LEFT JOIN ${linkedCases} lc ON lc.case_number = t.case_number
    LEFT JOIN ${caseCws} cw ON cw.case_number = t.case_number
    WHERE t.run_date = ${d} AND t.tier <> l.tier`);

  return [newReferral, childRemoved, opened, closed, discontinued, address, household, tierChanged];
}

/** tmp_events: tonight's candidate events (before the ledger removes ids of earlier nights). */
export async function detectEvents(db: Db, o: DetectOptions): Promise<void> {
  const d = dateLit(o.runDate);
  const p = o.previousRunDate ? dateLit(o.previousRunDate) : null;
  const parts = [...mutualClientEvents(d, p), ...(p ? changeEvents(d, p, o.runDate, o.openStatuses) : [])];
  await db.exec(`CREATE OR REPLACE TEMP TABLE tmp_events (${EVENT_COLUMNS})`);
  for (const sql of parts) await db.exec(`INSERT INTO tmp_events BY NAME ${sql}`);
}
