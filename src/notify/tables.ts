/**
 * Persistent tables of the notify stage:
 *   event_ledger   every event ever emitted, with the night that emitted it;
 *                  event_id is derived from the event's type, subject and
 *                  cause, so a re-run of a night gives the same ids and an id
 *                  already in the ledger from an earlier night is never emitted again
 *   notifications  per run_date: one row per event and recipient
 *   mail_outbox    per run_date and recipient: the e-mail of `notify send` (outbox.ts)
 * A re-run of a night deletes that night's rows of both first.
 */
import type { Db } from '../db/database.js';
import { dateLit } from '../db/sql.js';
import { createOutboxTable } from './outbox.js';

export async function createNotifyTables(db: Db): Promise<void> {
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

export async function deleteNotifyNight(db: Db, runDate: string): Promise<void> {
  const d = dateLit(runDate);
  await db.exec(`DELETE FROM event_ledger WHERE run_date = ${d}; DELETE FROM notifications WHERE run_date = ${d};`);
}
