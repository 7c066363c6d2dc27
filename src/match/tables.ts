/**
 * Persistent tables of the match stage. Nightly marts are keyed by run_date
 * (a re-run deletes and rewrites its night); review_decisions and
 * mutual_client_registry are all-time.
 */
import type { Db } from '../db/database.js';

export async function createMatchTables(db: Db): Promise<void> {
  await db.exec(`
    CREATE TABLE IF NOT EXISTS links (
      run_date DATE NOT NULL,
      calworks_person_id VARCHAR NOT NULL,
      cws_client_id VARCHAR NOT NULL,
      match_probability DOUBLE NOT NULL,
      -- log2 odds of a match: prior_weight + the field weights of explanation
      match_weight DOUBLE NOT NULL,
      decision VARCHAR NOT NULL,              -- AUTO | CONFIRMED
      mutual_client_id VARCHAR NOT NULL,
      -- sum of the weights of the fields that describe the person (not the family)
      identity_weight DOUBLE NOT NULL,
      blocking_rules VARCHAR[] NOT NULL,
      -- {"prior_weight": w, "fields": {"<comparison>": {"level": i, "label": "...", "weight": w}}}
      explanation JSON NOT NULL
    );
    CREATE TABLE IF NOT EXISTS review_queue (
      run_date DATE NOT NULL,
      pair_id VARCHAR NOT NULL,
      calworks_person_id VARCHAR NOT NULL,
      cws_client_id VARCHAR NOT NULL,
      match_probability DOUBLE NOT NULL,
      match_weight DOUBLE NOT NULL,
      identity_weight DOUBLE NOT NULL,
      -- why the pair is not linked automatically
      reason VARCHAR NOT NULL,
      calworks JSON NOT NULL,                 -- display values as recorded
      cws JSON NOT NULL,
      explanation JSON NOT NULL
    );
    CREATE TABLE IF NOT EXISTS clusters (
      run_date DATE NOT NULL,
      mutual_client_id VARCHAR NOT NULL,
      system VARCHAR NOT NULL,                -- CALWORKS | CWS
      person_key VARCHAR NOT NULL
    );
    CREATE TABLE IF NOT EXISTS mutual_client_registry (
      mutual_client_id VARCHAR PRIMARY KEY,
      created_on DATE NOT NULL,
      retired_on DATE,
      retire_reason VARCHAR,                  -- merge | split | dissolved
      predecessors VARCHAR[] NOT NULL,
      successors VARCHAR[]
    );
    CREATE TABLE IF NOT EXISTS model_params (
      run_date DATE NOT NULL,
      comparison VARCHAR NOT NULL,
      level INTEGER NOT NULL,
      label VARCHAR NOT NULL,
      m DOUBLE NOT NULL,
      u DOUBLE NOT NULL,
      weight DOUBLE NOT NULL,
      tf_adjusted BOOLEAN NOT NULL,
      identity_field BOOLEAN NOT NULL,
      "lambda" DOUBLE NOT NULL,             -- prior: true pairs / all possible pairs
      prior_weight DOUBLE NOT NULL,
      link_threshold DOUBLE NOT NULL,
      review_threshold DOUBLE NOT NULL,
      min_identity_weight DOUBLE NOT NULL,
      min_identity_weight_family DOUBLE NOT NULL,
      hold_different_families BOOLEAN NOT NULL,
      tf_max_up DOUBLE NOT NULL,
      tf_max_down DOUBLE NOT NULL,
      em_iterations INTEGER NOT NULL,
      em_converged BOOLEAN NOT NULL,
      candidate_pairs BIGINT NOT NULL,
      u_sample_pairs BIGINT NOT NULL
    );
    CREATE SEQUENCE IF NOT EXISTS review_decision_seq;
    CREATE TABLE IF NOT EXISTS review_decisions (
      decision_id BIGINT NOT NULL DEFAULT nextval('review_decision_seq'),
      calworks_person_id VARCHAR NOT NULL,
      cws_client_id VARCHAR NOT NULL,
      decision VARCHAR NOT NULL CHECK (decision IN ('MATCH', 'NO_MATCH')),
      reviewer VARCHAR,
      decided_at TIMESTAMP NOT NULL,
      source_file VARCHAR
    );
  `);
}

/** The decision in force per pair: its latest row (by decided_at, then insertion). */
export const DECISIONS_IN_FORCE_SQL = `
  SELECT calworks_person_id, cws_client_id, decision, reviewer, decided_at, source_file
  FROM review_decisions
  QUALIFY row_number() OVER (PARTITION BY calworks_person_id, cws_client_id ORDER BY decided_at DESC, decision_id DESC) = 1`;
