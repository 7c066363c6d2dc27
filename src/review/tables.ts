/**
 * Tables of the coordinators' review page (src/review/page/). The decisions
 * themselves go into review_decisions exactly as `review import` writes them;
 * these keep what the page adds around them:
 *
 *   review_page_ops   every page action applied (decision, undo, audit verdict, note), by the
 *                     id the browser gave it: a journal replayed after a crash applies nothing twice,
 *                     and an undo finds the decision row it takes back
 *   review_notes      a coordinator's note on a pair
 *   audit_verdicts    the check of a sampled AUTO link: CONFIRMED or REJECTED (a rejection is also
 *                     a NO_MATCH decision), per night, for the precision estimate
 */
import type { Db } from '../db/database.js';

export async function createReviewTables(db: Db): Promise<void> {
  await db.exec(`
    CREATE TABLE IF NOT EXISTS review_page_ops (
      op_id VARCHAR PRIMARY KEY,
      kind VARCHAR NOT NULL,                  -- decision | undo | audit | note
      decision_id BIGINT,                     -- the review_decisions row it wrote (decision, audit rejection)
      applied_at TIMESTAMP NOT NULL
    );
    CREATE TABLE IF NOT EXISTS review_notes (
      calworks_person_id VARCHAR NOT NULL,
      cws_client_id VARCHAR NOT NULL,
      note VARCHAR NOT NULL,
      reviewer VARCHAR,
      noted_at TIMESTAMP NOT NULL,
      op_id VARCHAR
    );
    CREATE TABLE IF NOT EXISTS audit_verdicts (
      run_date DATE NOT NULL,
      calworks_person_id VARCHAR NOT NULL,
      cws_client_id VARCHAR NOT NULL,
      verdict VARCHAR NOT NULL CHECK (verdict IN ('CONFIRMED', 'REJECTED')),
      reviewer VARCHAR,
      decided_at TIMESTAMP NOT NULL,
      op_id VARCHAR
    );
  `);
}
