/**
 * Migration 1: the tables of release 0.1.0, and the tables added since that
 * need no data change (CREATE ... IF NOT EXISTS, ALTER ... IF NOT EXISTS). It
 * runs on every open, before the numbered migrations, so a table added later
 * appears in an older database. The DDL lives here, not in the stages: a
 * stage declares which tables it owns and their contracts (its tables.ts),
 * the schema itself is db's (the layers point one way: db imports no stage).
 */
import type { Db } from '../database.js';
import { ident } from '../sql.js';
import { SQL_TYPE } from '../fieldTypes.js';
import type { FieldSpec } from '../../../schemas/fields.js';
import { calworksFields } from '../../../schemas/calworks.js';
import { cwsFields } from '../../../schemas/cws.js';
import { contactsFields, workersFields } from '../../../schemas/rosters.js';

/** The extracts' snapshot tables (ingest's `snap_<input>`): run_date, then the staging columns from the zod schemas. */
const SNAPSHOT_FIELDS: Record<string, FieldSpec[]> = {
  calworks: calworksFields,
  cws: cwsFields,
  workers: workersFields,
  contacts: contactsFields,
};

async function createIngestTables(db: Db): Promise<void> {
  for (const [input, fields] of Object.entries(SNAPSHOT_FIELDS)) {
    const cols = ['source_line INTEGER', ...fields.map((f) => `${ident(f.name)} ${SQL_TYPE[f.meta.kind]}`), 'extra_columns JSON'].join(',\n  ');
    await db.exec(`CREATE TABLE IF NOT EXISTS snap_${input} (\n  run_date DATE NOT NULL,\n  ${cols}\n)`);
  }
  await db.exec(`
    CREATE TABLE IF NOT EXISTS quarantine (
      run_date DATE NOT NULL,
      input VARCHAR NOT NULL,
      source_file VARCHAR NOT NULL,
      line BIGINT,
      reason VARCHAR NOT NULL,
      raw_row VARCHAR
    )`);
}

async function createLedgerTables(db: Db): Promise<void> {
  await db.exec(`
    CREATE TABLE IF NOT EXISTS run_ledger (
      run_id VARCHAR NOT NULL,
      run_date DATE,
      status VARCHAR NOT NULL,
      started_at TIMESTAMP NOT NULL,
      finished_at TIMESTAMP,
      inputs JSON,
      stage_seconds JSON,
      out_dir VARCHAR,
      summary JSON,
      forced BOOLEAN DEFAULT FALSE,
      error VARCHAR
    )`);
}

async function createMatchTables(db: Db): Promise<void> {
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

async function createClassifyTables(db: Db): Promise<void> {
  await db.exec(`
    CREATE TABLE IF NOT EXISTS classify_nights (
      run_date DATE NOT NULL,
      lookback_days INTEGER NOT NULL,
      sealed_cws_clients INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS tiers (
      run_date DATE NOT NULL,
      case_number VARCHAR NOT NULL,
      tier VARCHAR NOT NULL,                 -- MUTUAL | EARLY_INTERVENTION | PREVENTION
      reasons VARCHAR NOT NULL,
      previous_tier VARCHAR,                 -- the case's tier on the previous night (NULL: none)
      office VARCHAR,
      calworks_worker_id VARCHAR,
      calworks_worker_name VARCHAR,
      calworks_worker_email VARCHAR
    );
    CREATE TABLE IF NOT EXISTS mutual_clients (
      run_date DATE NOT NULL,
      mutual_client_id VARCHAR NOT NULL,
      case_number VARCHAR NOT NULL,          -- a CalWORKs case whose tier is MUTUAL
      calworks_person_id VARCHAR NOT NULL,   -- a parent on it, linked
      cws_client_ids VARCHAR[] NOT NULL,     -- every child-welfare client of the linked component
      cws_case_ids VARCHAR[] NOT NULL,       -- open cases (mutual components) the parent is on
      fr_services BOOLEAN NOT NULL,
      sensitive BOOLEAN NOT NULL,
      wtw_status VARCHAR,
      wtw_hours DOUBLE,
      cfs_hours DOUBLE,
      required_hours INTEGER NOT NULL,
      over_scheduled BOOLEAN NOT NULL,
      -- 1 Family Reunification, 2 WTW SANCTIONED, 3 WTW NONCOMPLIANCE, 4 others (assignment order)
      priority_group INTEGER NOT NULL,
      primary_language VARCHAR,
      office VARCHAR,
      cws_worker_id VARCHAR,
      cws_worker_name VARCHAR,
      cws_worker_email VARCHAR,
      -- not a mutual client the night before, by id, lineage or shared records
      is_new BOOLEAN NOT NULL,
      -- last night's mutual-client ids this one continues (itself, retired predecessors, shared records)
      previous_ids VARCHAR[] NOT NULL
    );
    CREATE TABLE IF NOT EXISTS calworks_screening (
      run_date DATE NOT NULL,
      referral_id VARCHAR NOT NULL,
      client_id VARCHAR NOT NULL,
      referral_date DATE,
      first_name VARCHAR,
      last_name VARCHAR,
      street_address VARCHAR,
      city VARCHAR,
      zip VARCHAR,
      phone VARCHAR,
      primary_language VARCHAR,
      worker_name VARCHAR,
      worker_email VARCHAR,
      office VARCHAR,
      sensitive BOOLEAN NOT NULL
    );
  `);
}

async function createAssignTables(db: Db): Promise<void> {
  await db.exec(`
    CREATE TABLE IF NOT EXISTS assignments (
      run_date DATE NOT NULL,
      mutual_client_id VARCHAR NOT NULL,
      status VARCHAR NOT NULL,               -- ASSIGNED | UNASSIGNED
      how VARCHAR NOT NULL,                  -- KEPT | INHERITED | FAMILY | MATCHED | UNASSIGNED
      worker_id VARCHAR,
      worker_name VARCHAR,
      worker_email VARCHAR,
      worker_office VARCHAR,
      assigned_on DATE,                      -- the night the worker got this mutual client
      waiting_since DATE,                    -- unassigned: the first night it waited
      reason VARCHAR NOT NULL,
      priority_group INTEGER NOT NULL,
      assign_order INTEGER NOT NULL          -- tonight's order (0: kept from an earlier night)
    );
  `);
}

async function createNotifyTables(db: Db): Promise<void> {
  await db.exec(`
    CREATE TABLE IF NOT EXISTS event_ledger (
      event_id VARCHAR NOT NULL,
      run_date DATE NOT NULL,                -- the night that emitted it
      event_type VARCHAR NOT NULL,
      priority INTEGER NOT NULL,
      due_date DATE NOT NULL,
      case_number VARCHAR NOT NULL,          -- the CalWORKs case the event is about
      subject VARCHAR NOT NULL,              -- person, referral, case... (see src/notify/README.md)
      mutual_client_id VARCHAR,
      cause VARCHAR NOT NULL,                -- the change that caused it (part of the id)
      details VARCHAR NOT NULL,
      sensitive BOOLEAN NOT NULL,
      baseline BOOLEAN NOT NULL
    );
    CREATE TABLE IF NOT EXISTS notifications (
      run_date DATE NOT NULL,
      event_id VARCHAR NOT NULL,
      event_type VARCHAR NOT NULL,
      priority INTEGER NOT NULL,
      due_date DATE NOT NULL,
      recipient_role VARCHAR NOT NULL,       -- CALWORKS_WORKER | REGIONAL_CONTACT | CWS_WORKER | LINKAGES_WORKER | LINKAGES_COORDINATOR
      recipient_key VARCHAR NOT NULL,
      recipient_id VARCHAR,
      recipient_name VARCHAR,
      recipient_email VARCHAR,
      recipient_file VARCHAR NOT NULL,       -- notifications/<recipient_file>.csv
      mutual_client_id VARCHAR,
      case_number VARCHAR NOT NULL,
      subject VARCHAR NOT NULL,
      details VARCHAR NOT NULL,
      person_label VARCHAR,                  -- the CalWORKs parent(s) by name, and the case number
      subject_label VARCHAR,                 -- readable subject: 'referral R1', 'child-welfare case K1', 'address'...
      subject_key VARCHAR                    -- the event's subject as the ledger has it ('' when withheld from the recipient)
    );
    ALTER TABLE notifications ADD COLUMN IF NOT EXISTS person_label VARCHAR;
    ALTER TABLE notifications ADD COLUMN IF NOT EXISTS subject_label VARCHAR;
    ALTER TABLE notifications ADD COLUMN IF NOT EXISTS subject_key VARCHAR;
  `);
  await createOutboxTable(db);
}

async function createOutboxTable(db: Db): Promise<void> {
  await db.exec(`
    CREATE TABLE IF NOT EXISTS mail_outbox (
      run_date DATE NOT NULL,
      recipient_key VARCHAR NOT NULL,        -- notifications.recipient_key
      recipient_file VARCHAR NOT NULL,       -- notifications/<recipient_file>.csv: the recipient's list
      recipient_email VARCHAR,
      message_id VARCHAR NOT NULL,           -- stable per (run_date, recipient_key)
      notifications INTEGER NOT NULL,
      status VARCHAR NOT NULL,               -- pending | sent | failed | no_address
      attempts INTEGER NOT NULL,             -- tries, over all calls
      failed_calls INTEGER NOT NULL,         -- calls that ended with it failed (spaces out the next try)
      last_error VARCHAR,
      next_attempt_at TIMESTAMP,             -- failed: not tried again before this
      server_response VARCHAR,               -- sent: the server's reply
      sent_at TIMESTAMP,
      created_at TIMESTAMP NOT NULL,
      updated_at TIMESTAMP NOT NULL
    )`);
}

export async function up(db: Db): Promise<void> {
  await createLedgerTables(db);
  await createIngestTables(db);
  await createMatchTables(db);
  await createClassifyTables(db);
  await createAssignTables(db);
  await createNotifyTables(db);
}
