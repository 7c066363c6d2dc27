/**
 * Migration 3: the review page's tables (src/review/page/): review_page_ops,
 * the applied actions, so a journal replayed after a crash applies nothing
 * twice; review_notes; audit_verdicts.
 */
import type { Db } from '../database.js';

export async function up(db: Db): Promise<void> {
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
