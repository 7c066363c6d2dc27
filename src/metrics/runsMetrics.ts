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
 *   new_mutual_clients        families identified for the first time tonight (as metrics_identification)
 *   returning_mutual_clients  new again tonight after time off the list (notified, not a new family)
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
import { TIERS } from '../classify/rules.js';

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
    // One definition, the one metrics_identification and metrics_outcomes count: families
    // identified for the first time that night (a re-issued id is not a new family).
    measure: 'new_mutual_clients',
    categories: [null],
    sql: `SELECT identified_on, NULL, count(*) FROM metrics_identification WHERE continues IS NULL GROUP BY ALL`,
  },
  {
    // New again that night after a night or more off the list: notified, but not a new family.
    measure: 'returning_mutual_clients',
    categories: [null],
    sql: `SELECT run_date, NULL, count(DISTINCT mutual_client_id) FROM (
            SELECT run_date, mutual_client_id, is_new,
                   min(run_date) FILTER (WHERE is_new) OVER (PARTITION BY mutual_client_id) AS first_new
            FROM mutual_clients) WHERE is_new AND run_date > first_new GROUP BY ALL`,
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

/** The measures as the codebook lists them. */
export const RUN_MEASURES_DOC: { measure: string; category: string; meaning: string }[] = [
  { measure: 'cases', category: 'tier', meaning: "open CalWORKs cases in the tier (equals that night's tiers.csv)" },
  { measure: 'links', category: 'AUTO, CONFIRMED', meaning: 'accepted links (links.csv)' },
  { measure: 'review_pairs', category: '', meaning: 'pairs left for review (review_queue.csv)' },
  { measure: 'review_decisions', category: 'MATCH, NO_MATCH', meaning: "coordinators' decisions first applied by this night's run" },
  { measure: 'mutual_clients', category: '', meaning: 'mutual clients (families) that night' },
  {
    measure: 'new_mutual_clients',
    category: '',
    meaning:
      'families identified for the first time that night: the rows of metrics_identification with that identified_on (each family once); on the first night in the database, everyone already mutual',
  },
  {
    measure: 'returning_mutual_clients',
    category: '',
    meaning: 'mutual clients new again that night after time off the list: notified again, not a new family',
  },
  { measure: 'unassigned_mutual_clients', category: '', meaning: 'mutual clients without a Linkages worker' },
  { measure: 'calworks_screening', category: '', meaning: 'child-welfare referrals listed for CalWORKs screening' },
  { measure: 'events', category: 'event type', meaning: 'events emitted' },
  { measure: 'notifications', category: 'event type', meaning: 'notifications to send (one per event and recipient)' },
];
