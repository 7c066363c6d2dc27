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
import type { TableContract } from '../db/contract.js';
import { EVENT_TYPES } from './rules.js';
import { dateLit } from '../db/sql.js';

export async function deleteNotifyNight(db: Db, runDate: string): Promise<void> {
  const d = dateLit(runDate);
  await db.exec(`DELETE FROM event_ledger WHERE run_date = ${d}; DELETE FROM notifications WHERE run_date = ${d};`);
}

/**
 * The tables notify writes, and what it promises about them (src/db/contract.ts): an
 * event once, ever; a recipient told once per event (one reached in several roles has
 * them all in recipient_role, joined by ';').
 */
export const NOTIFY_TABLES: readonly TableContract[] = [
  { table: 'event_ledger', nightly: false, grain: ['event_id'], allowed: { event_type: EVENT_TYPES } },
  {
    table: 'notifications',
    nightly: true,
    grain: ['event_id', 'recipient_key'],
    allowed: { event_type: EVENT_TYPES },
  },
  { table: 'mail_outbox', nightly: true, grain: ['recipient_key'], allowed: { status: ['pending', 'sent', 'failed', 'no_address'] } },
];
