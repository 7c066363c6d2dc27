/**
 * Persistent tables of the match stage. Nightly marts are keyed by run_date
 * (a re-run deletes and rewrites its night); review_decisions and
 * mutual_client_registry are all-time.
 */
import type { TableContract } from '../db/contract.js';

/** The decision in force per pair: its latest row (by decided_at, then insertion). */
export const DECISIONS_IN_FORCE_SQL = `
  SELECT calworks_person_id, cws_client_id, decision, reviewer, decided_at, source_file
  FROM review_decisions
  QUALIFY row_number() OVER (PARTITION BY calworks_person_id, cws_client_id ORDER BY decided_at DESC, decision_id DESC) = 1`;

/** The tables match writes, and what it promises about them (src/db/contract.ts). */
export const MATCH_TABLES: readonly TableContract[] = [
  {
    table: 'links',
    nightly: true,
    grain: ['calworks_person_id', 'cws_client_id'],
    allowed: { decision: ['AUTO', 'CONFIRMED'] },
  },
  { table: 'review_queue', nightly: true, grain: ['pair_id'] },
  // one mutual-client id per record: two ids for one record would give the person two Linkages workers
  { table: 'clusters', nightly: true, grain: ['system', 'person_key'], allowed: { system: ['CALWORKS', 'CWS'] } },
  { table: 'mutual_client_registry', nightly: false, grain: ['mutual_client_id'], allowed: { retire_reason: ['merge', 'split', 'dissolved'] } },
  { table: 'model_params', nightly: true, grain: ['comparison', 'level'] },
  { table: 'review_decisions', nightly: false, grain: ['decision_id'], allowed: { decision: ['MATCH', 'NO_MATCH'] } },
];
