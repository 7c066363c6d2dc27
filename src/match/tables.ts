/**
 * Persistent tables of the match stage. Nightly marts are keyed by run_date
 * (a re-run deletes and rewrites its night); review_decisions and
 * mutual_client_registry are all-time.
 */
import type { Db } from '../db/database.js';

/** The decision in force per pair: its latest row (by decided_at, then insertion). */
export const DECISIONS_IN_FORCE_SQL = `
  SELECT calworks_person_id, cws_client_id, decision, reviewer, decided_at, source_file
  FROM review_decisions
  QUALIFY row_number() OVER (PARTITION BY calworks_person_id, cws_client_id ORDER BY decided_at DESC, decision_id DESC) = 1`;
