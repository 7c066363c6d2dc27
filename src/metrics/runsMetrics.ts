/**
 * metrics_runs: one row per night, measure and category (a tidy table an
 * evaluator pivots as they like), each with the run it comes from.
 *
 *   cases                     open CalWORKs cases, per tier (tiers)
 *   links                     accepted links, per decision AUTO / CONFIRMED (links)
 *   review_pairs              pairs in the review queue (review_queue)
 *   review_decisions          coordinators' decisions first applied by this night's run, per
 *                             decision (review_decisions: made after the previous run started)
 *   mutual_clients            mutual clients (mutual_clients)
 *   new_mutual_clients        of which new tonight
 *   unassigned_mutual_clients mutual clients with no Linkages worker (assignments)
 *   calworks_screening        child-welfare referrals to screen for CalWORKs (calworks_screening)
 *   events                    events emitted, per event type (event_ledger)
 *   notifications             notifications to send (one per event and recipient), per event type
 *
 * Categories with nothing that night are written as 0, so every night has the
 * same rows (a missing row would read as "not measured").
 */
import type { Db } from '../db/database.js';
import { lit } from '../db/sql.js';
import { EVENT_TYPES } from '../../schemas/config.js';
import { TIERS } from '../search/tiersTable.js';

interface Measure {
  measure: string;
  categories: readonly (string | null)[];
  /** SELECT run_date, category, value FROM ... GROUP BY ... */
  sql: string;
}

const MEASURES: Measure[] = [
  { measure: 'cases', categories: TIERS, sql: `SELECT run_date, tier, count(*) FROM tiers GROUP BY ALL` },
  { measure: 'links', categories: ['AUTO', 'CONFIRMED'], sql: `SELECT run_date, decision, count(*) FROM links GROUP BY ALL` },
  { measure: 'review_pairs', categories: [null], sql: `SELECT run_date, NULL, count(*) FROM review_queue GROUP BY ALL` },
  {
    measure: 'review_decisions',
    categories: ['MATCH', 'NO_MATCH'],
    // The night whose run first started after the decision was made.
    sql: `SELECT (SELECT n.run_date FROM tmp_m_nights n WHERE n.started_at > d.decided_at ORDER BY n.started_at LIMIT 1) AS run_date,
                 d.decision, count(*)
          FROM review_decisions d GROUP BY ALL`,
  },
  { measure: 'mutual_clients', categories: [null], sql: `SELECT run_date, NULL, count(DISTINCT mutual_client_id) FROM mutual_clients GROUP BY ALL` },
  {
    measure: 'new_mutual_clients',
    categories: [null],
    sql: `SELECT run_date, NULL, count(DISTINCT mutual_client_id) FILTER (WHERE is_new) FROM mutual_clients GROUP BY ALL`,
  },
  {
    measure: 'unassigned_mutual_clients',
    categories: [null],
    sql: `SELECT run_date, NULL, count(DISTINCT mutual_client_id) FILTER (WHERE status = 'UNASSIGNED') FROM assignments GROUP BY ALL`,
  },
  { measure: 'calworks_screening', categories: [null], sql: `SELECT run_date, NULL, count(DISTINCT referral_id) FROM calworks_screening GROUP BY ALL` },
  { measure: 'events', categories: EVENT_TYPES, sql: `SELECT run_date, event_type, count(*) FROM event_ledger GROUP BY ALL` },
  { measure: 'notifications', categories: EVENT_TYPES, sql: `SELECT run_date, event_type, count(*) FROM notifications GROUP BY ALL` },
];

export const RUN_MEASURES = MEASURES.map((m) => m.measure);

export async function buildRunsMetrics(db: Db): Promise<number> {
  const grid = MEASURES.flatMap((m, order) => m.categories.map((c, k) => `(${lit(m.measure)}, ${lit(c)}, ${order}, ${k})`)).join(', ');
  const counted = MEASURES.map((m) => `SELECT ${lit(m.measure)} AS measure, * FROM (${m.sql}) x(run_date, category, value)`).join('\nUNION ALL ');
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE metrics_runs AS
    WITH grid(measure, category, measure_order, category_order) AS (VALUES ${grid}),
    counted AS (${counted})
    SELECT n.run_date, n.run_id, g.measure, g.category, coalesce(c.value, 0)::BIGINT AS value
    FROM tmp_m_nights n
    CROSS JOIN grid g
    LEFT JOIN counted c ON c.run_date = n.run_date AND c.measure = g.measure AND c.category IS NOT DISTINCT FROM g.category
    WHERE n.in_range
    ORDER BY n.run_date, g.measure_order, g.category_order`);
  return db.count(`SELECT count(*) FROM metrics_runs`);
}
