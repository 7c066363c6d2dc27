/**
 * metrics_identification: one row per mutual client first identified in the
 * range, with how fast it was found and assigned and what happened after.
 *
 * Identified: the first night the mutual client is new (mutual_clients.is_new).
 * A mutual client that continues others (its linked records merged or split,
 * so the match stage issued a new id) carries the earliest identification of
 * the ones it continues (`continues`), found through its lineage.
 * Baseline: identified on the first night in the database, when everyone
 * current is "new"; its timings say when the program started, not how fast
 * it finds families, so evaluators keep the cohorts apart.
 *
 * Timings, in days: from the most recent child-welfare referral naming the
 * client's records on or before identification, from the opening of the
 * open FM/FR case that made the family mutual, and to the Linkages worker's
 * assignment. Referral and case dates come from any retained snapshot (they
 * are history, repeated in every extract).
 *
 * Follow-up: `days_followed` (identification to the range's last night) and
 * the days from identification to each event (`days_to_*`, empty when none
 * was seen), for time-to-event estimates (survival.ts).
 *
 * Outcomes (each within its window after identification; a windowed flag is
 * empty until the whole window has been followed, so that its plain mean is
 * the honest rate, never a "so far" share):
 *   sanctioned_at_identification  WTW status SANCTIONED on the identification night
 *   sanction_cured_6m             ... and a later night within 6 months shows another WTW status
 *   cws_case_closed_6m / _12m     a CWS_CASE_CLOSED event on the family's CalWORKs case
 *   new_referral_12m              a NEW_REFERRAL event
 *   child_removed_after_identification  a CHILD_REMOVED event any time after, so far
 *
 * Ids stay lists (VARCHAR[]); the CSV writer joins them with ';'.
 */
import type { Db } from '../db/database.js';

export async function buildIdentification(db: Db): Promise<number> {
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_m_mc AS
    SELECT m.run_date, m.mutual_client_id,
           bool_or(m.is_new) AS is_new,
           list(DISTINCT m.case_number ORDER BY m.case_number) AS case_numbers,
           list(DISTINCT m.calworks_person_id ORDER BY m.calworks_person_id) AS calworks_person_ids,
           list_sort(list_distinct(flatten(list(m.cws_client_ids)))) AS cws_client_ids,
           list_sort(list_distinct(flatten(list(m.cws_case_ids)))) AS cws_case_ids,
           list_sort(list_distinct(flatten(list(m.previous_ids)))) AS previous_ids,
           coalesce(bool_or(m.wtw_status = 'SANCTIONED'), FALSE) AS sanctioned,
           bool_or(m.wtw_status IS NOT NULL) AS wtw_known
    FROM mutual_clients m
    WHERE m.run_date <= (SELECT max(run_date) FROM tmp_m_nights WHERE in_range)
    GROUP BY m.run_date, m.mutual_client_id`);

  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_m_ident AS
    WITH RECURSIVE own AS (
      SELECT mutual_client_id,
             min(run_date) AS first_seen,
             min(run_date) FILTER (WHERE is_new) AS own_identified,
             arg_min(previous_ids, run_date) AS first_previous
      FROM tmp_m_mc GROUP BY mutual_client_id
    ),
    edges AS (
      SELECT mutual_client_id AS id, unnest(first_previous) AS prev FROM own WHERE own_identified IS NULL
    ),
    lineage(id, ancestor) AS (
      SELECT mutual_client_id, mutual_client_id FROM own
      UNION
      SELECT l.id, e.prev FROM lineage l JOIN edges e ON e.id = l.ancestor
    ),
    resolved AS (
      SELECT l.id AS mutual_client_id, min(o.own_identified) AS identified_on
      FROM lineage l JOIN own o ON o.mutual_client_id = l.ancestor
      GROUP BY l.id
    )
    SELECT o.mutual_client_id, r.identified_on, o.first_seen,
           CASE WHEN o.own_identified IS NULL THEN o.first_previous ELSE [] END AS continues,
           f.case_numbers, f.calworks_person_ids, f.cws_client_ids, f.cws_case_ids, f.sanctioned AS sanctioned_at_identification
    FROM own o
    JOIN resolved r USING (mutual_client_id)
    JOIN tmp_m_mc f ON f.mutual_client_id = o.mutual_client_id AND f.run_date = o.first_seen
    WHERE r.identified_on IS NOT NULL
      AND o.first_seen IN (SELECT run_date FROM tmp_m_nights WHERE in_range)`);

  await db.exec(`
    CREATE OR REPLACE TEMP TABLE metrics_identification AS
    WITH span AS (
      SELECT max(run_date) FILTER (WHERE in_range) AS last_night, min(run_date) AS baseline_night FROM tmp_m_nights
    ),
    cws_dates AS (
      SELECT i.mutual_client_id,
             max(s.referral_date) FILTER (WHERE s.referral_date <= i.identified_on) AS referral_date,
             max(s.case_open_date) FILTER (WHERE list_contains(i.cws_case_ids, s.case_id) AND s.case_open_date <= i.identified_on) AS case_open_date
      FROM (SELECT mutual_client_id, identified_on, cws_case_ids, unnest(cws_client_ids) AS client_id FROM tmp_m_ident) i
      JOIN snap_cws s ON s.client_id = i.client_id
      GROUP BY i.mutual_client_id
    ),
    assigned AS (
      SELECT mutual_client_id,
             min(assigned_on) FILTER (WHERE status = 'ASSIGNED') AS assigned_on,
             arg_min(worker_id, run_date) FILTER (WHERE status = 'ASSIGNED') AS worker_id
      FROM assignments WHERE run_date <= (SELECT last_night FROM span)
      GROUP BY mutual_client_id
    ),
    -- Events about the family after identification, observed up to the last night.
    ev AS (
      SELECT i.mutual_client_id, e.event_type, min(e.run_date) AS first_after
      FROM tmp_m_ident i
      JOIN event_ledger e ON (e.mutual_client_id = i.mutual_client_id OR list_contains(i.case_numbers, e.case_number))
      WHERE e.run_date > i.identified_on AND e.run_date <= (SELECT last_night FROM span)
        AND e.event_type IN ('CWS_CASE_CLOSED', 'NEW_REFERRAL', 'CHILD_REMOVED')
      GROUP BY ALL
    ),
    cured AS (
      SELECT i.mutual_client_id, min(m.run_date) AS cured_on
      FROM tmp_m_ident i JOIN tmp_m_mc m USING (mutual_client_id)
      WHERE i.sanctioned_at_identification AND m.run_date > i.identified_on AND m.wtw_known AND NOT m.sanctioned
      GROUP BY i.mutual_client_id
    )
    SELECT i.mutual_client_id,
           i.identified_on,
           strftime(i.identified_on, '%Y-%m') AS identification_month,
           i.identified_on = span.baseline_night AS baseline,
           CASE WHEN len(i.continues) > 0 THEN i.continues END AS continues,
           i.case_numbers,
           i.calworks_person_ids,
           i.cws_client_ids,
           i.cws_case_ids,
           d.referral_date,
           date_diff('day', d.referral_date, i.identified_on)::INTEGER AS days_from_referral,
           d.case_open_date,
           date_diff('day', d.case_open_date, i.identified_on)::INTEGER AS days_from_case_opening,
           a.assigned_on,
           a.worker_id AS linkages_worker_id,
           greatest(date_diff('day', i.identified_on, a.assigned_on), 0)::INTEGER AS days_to_assignment,
           date_diff('day', i.identified_on, span.last_night)::INTEGER AS days_followed,
           i.identified_on + INTERVAL 6 MONTH <= span.last_night AS followed_6m,
           i.identified_on + INTERVAL 12 MONTH <= span.last_night AS followed_12m,
           i.sanctioned_at_identification,
           -- A windowed flag is known only once the whole window has been followed: NULL before
           -- (an early event is in days_to_*), so a plain mean of the column is the honest rate.
           CASE WHEN i.sanctioned_at_identification AND i.identified_on + INTERVAL 6 MONTH <= span.last_night
                THEN coalesce(c.cured_on <= i.identified_on + INTERVAL 6 MONTH, FALSE) END AS sanction_cured_6m,
           CASE WHEN i.identified_on + INTERVAL 6 MONTH <= span.last_night
                THEN coalesce(cc.first_after <= i.identified_on + INTERVAL 6 MONTH, FALSE) END AS cws_case_closed_6m,
           CASE WHEN i.identified_on + INTERVAL 12 MONTH <= span.last_night
                THEN coalesce(cc.first_after <= i.identified_on + INTERVAL 12 MONTH, FALSE) END AS cws_case_closed_12m,
           CASE WHEN i.identified_on + INTERVAL 12 MONTH <= span.last_night
                THEN coalesce(nr.first_after <= i.identified_on + INTERVAL 12 MONTH, FALSE) END AS new_referral_12m,
           cr.first_after IS NOT NULL AS child_removed_after_identification,
           date_diff('day', i.identified_on, cc.first_after)::INTEGER AS days_to_cws_case_closed,
           date_diff('day', i.identified_on, nr.first_after)::INTEGER AS days_to_new_referral,
           date_diff('day', i.identified_on, cr.first_after)::INTEGER AS days_to_child_removed,
           n.run_id AS identified_run_id,
           span.last_night AS followed_through,
           (SELECT count(*) FROM tmp_m_nights x WHERE x.run_date >= i.identified_on AND x.run_date <= span.last_night)::INTEGER AS nights_observed
    FROM tmp_m_ident i
    CROSS JOIN span
    LEFT JOIN tmp_m_nights n ON n.run_date = i.identified_on
    LEFT JOIN cws_dates d USING (mutual_client_id)
    LEFT JOIN assigned a USING (mutual_client_id)
    LEFT JOIN cured c USING (mutual_client_id)
    LEFT JOIN ev cc ON cc.mutual_client_id = i.mutual_client_id AND cc.event_type = 'CWS_CASE_CLOSED'
    LEFT JOIN ev nr ON nr.mutual_client_id = i.mutual_client_id AND nr.event_type = 'NEW_REFERRAL'
    LEFT JOIN ev cr ON cr.mutual_client_id = i.mutual_client_id AND cr.event_type = 'CHILD_REMOVED'
    ORDER BY i.identified_on, i.mutual_client_id`);
  return db.count(`SELECT count(*) FROM metrics_identification`);
}
