/**
 * The mail outbox: one row per night and recipient, the state of that
 * recipient's one e-mail of the night (`linkages notify send`).
 *
 *   pending     to send (never tried, or a call stopped before trying it)
 *   sent        the server accepted it (its reply and when): never sent again
 *   failed      tried and not accepted: attempts, last error, and the earliest
 *               time the next call tries it again
 *   no_address  the recipient has no e-mail address on record; nothing to send
 *
 * The Message-ID is fixed when the row is created, from the night and the
 * recipient, so a message sent again after a crash in the one window no
 * client can close (the server accepted it, the process died before this
 * table said so) carries the same Message-ID and a mail system drops the copy.
 *
 * Times are the wall clock passed in (now() is frozen inside a transaction).
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/database.js';
import { dateLit, lit } from '../db/sql.js';

export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'no_address';

export interface OutboxRow {
  recipient_key: string;
  recipient_file: string;
  recipient_email: string | null;
  message_id: string;
  notifications: number;
  status: OutboxStatus;
  attempts: number;
  failed_calls: number;
}

/** `<night.hash@domain>`: the same for the same night and recipient, whatever the call. */
export function messageIdFor(runDate: string, recipientKey: string, domain: string): string {
  const h = createHash('sha256').update(`${runDate}\u001f${recipientKey}`).digest('hex').slice(0, 24);
  return `<linkages.${runDate}.${h}@${domain}>`;
}

const ts = (d: Date) => `${lit(d.toISOString())}::TIMESTAMPTZ::TIMESTAMP`;

/**
 * Bring the night's outbox in line with its notifications: a row for every
 * recipient (pending, or no_address), the count and address of rows not yet
 * sent refreshed (the night may have been re-run), and unsent rows of
 * recipients the night no longer has removed. Sent rows are never touched.
 */
export async function syncOutbox(db: Db, runDate: string, domain: string, now: Date): Promise<void> {
  const d = dateLit(runDate);
  const recipients = await db.all<{ key: string; file: string; email: string | null; n: number }>(`
    SELECT recipient_key AS key, min(recipient_file) AS file, min(nullif(trim(recipient_email), '')) AS email, count(*)::INTEGER AS n
    FROM notifications WHERE run_date = ${d} GROUP BY recipient_key ORDER BY recipient_key`);
  await db.exec('BEGIN TRANSACTION');
  try {
    await db.exec(`
      DELETE FROM mail_outbox WHERE run_date = ${d} AND status <> 'sent'
        AND recipient_key NOT IN (SELECT recipient_key FROM notifications WHERE run_date = ${d})`);
    const existing = new Set((await db.all<{ k: string }>(`SELECT recipient_key AS k FROM mail_outbox WHERE run_date = ${d}`)).map((r) => r.k));
    const fresh = recipients.filter((r) => !existing.has(r.key));
    for (let i = 0; i < fresh.length; i += 500) {
      const values = fresh.slice(i, i + 500).map(
        (r) =>
          `(${d}, ${lit(r.key)}, ${lit(r.file)}, ${lit(r.email)}, ${lit(messageIdFor(runDate, r.key, domain))}, ${r.n},
            ${lit(r.email ? 'pending' : 'no_address')}, 0, 0, NULL, NULL, NULL, NULL, ${ts(now)}, ${ts(now)})`,
      );
      await db.exec(`INSERT INTO mail_outbox (run_date, recipient_key, recipient_file, recipient_email, message_id, notifications, status, attempts,
        failed_calls, last_error, next_attempt_at, server_response, sent_at, created_at, updated_at) VALUES ${values.join(', ')}`);
    }
    // Rows not sent yet follow the night's current notifications (a re-run may change address or count).
    await db.exec(`
      UPDATE mail_outbox o SET recipient_email = n.email, recipient_file = n.file, notifications = n.n,
             status = CASE WHEN n.email IS NULL THEN 'no_address' WHEN o.status = 'no_address' THEN 'pending' ELSE o.status END,
             updated_at = ${ts(now)}
      FROM (SELECT recipient_key, min(recipient_file) AS file, min(nullif(trim(recipient_email), '')) AS email, count(*)::INTEGER AS n
            FROM notifications WHERE run_date = ${d} GROUP BY recipient_key) n
      WHERE o.run_date = ${d} AND o.recipient_key = n.recipient_key AND o.status <> 'sent'
        AND (o.recipient_email IS DISTINCT FROM n.email OR o.notifications <> n.n OR o.recipient_file <> n.file)`);
    await db.exec('COMMIT');
  } catch (err) {
    await db.exec('ROLLBACK');
    throw err;
  }
}

/** Messages this call should try: pending, and failed ones whose next try has come. */
export async function dueMessages(db: Db, runDate: string, now: Date): Promise<OutboxRow[]> {
  return db.all<OutboxRow>(`
    SELECT recipient_key, recipient_file, recipient_email, message_id, notifications, status, attempts, failed_calls
    FROM mail_outbox
    WHERE run_date = ${dateLit(runDate)} AND status IN ('pending', 'failed') AND recipient_email IS NOT NULL
      AND (next_attempt_at IS NULL OR next_attempt_at <= ${ts(now)})
    ORDER BY recipient_key`);
}

export async function markSent(db: Db, runDate: string, key: string, tries: number, response: string, now: Date): Promise<void> {
  await db.exec(`
    UPDATE mail_outbox SET status = 'sent', attempts = attempts + ${tries}, server_response = ${lit(response.slice(0, 500))},
           last_error = NULL, next_attempt_at = NULL, sent_at = ${ts(now)}, updated_at = ${ts(now)}
    WHERE run_date = ${dateLit(runDate)} AND recipient_key = ${lit(key)} AND status <> 'sent'`);
}

/** When a message that failed `failedCalls` calls in a row may be tried again: doubling, at most 6 hours. */
export function nextAttemptAt(now: Date, failedCalls: number, retryAfterMinutes: number): Date {
  const minutes = Math.min(360, retryAfterMinutes * 2 ** Math.max(0, Math.min(failedCalls, 20) - 1));
  return new Date(now.getTime() + minutes * 60_000);
}

export async function markFailed(db: Db, runDate: string, key: string, tries: number, error: string, nextAt: Date, now: Date): Promise<void> {
  await db.exec(`
    UPDATE mail_outbox SET status = 'failed', attempts = attempts + ${tries}, failed_calls = failed_calls + 1,
           last_error = ${lit(error.slice(0, 500))}, next_attempt_at = ${ts(nextAt)}, updated_at = ${ts(now)}
    WHERE run_date = ${dateLit(runDate)} AND recipient_key = ${lit(key)} AND status <> 'sent'`);
}

export interface OutboxCounts {
  sent: number;
  pending: number;
  failed: number;
  no_address: number;
  /** The earliest next try of a failed message (ISO, UTC), if any. */
  next_attempt_at: string | null;
}

export async function outboxCounts(db: Db, runDate: string): Promise<OutboxCounts> {
  const r = await db.one<Record<string, number | string | null>>(`
    SELECT count(*) FILTER (WHERE status = 'sent')::INTEGER AS sent,
           count(*) FILTER (WHERE status = 'pending')::INTEGER AS pending,
           count(*) FILTER (WHERE status = 'failed')::INTEGER AS failed,
           count(*) FILTER (WHERE status = 'no_address')::INTEGER AS no_address,
           strftime(min(next_attempt_at) FILTER (WHERE status = 'failed'), '%Y-%m-%dT%H:%M:%SZ') AS next_attempt_at
    FROM mail_outbox WHERE run_date = ${dateLit(runDate)}`);
  return {
    sent: Number(r?.sent ?? 0),
    pending: Number(r?.pending ?? 0),
    failed: Number(r?.failed ?? 0),
    no_address: Number(r?.no_address ?? 0),
    next_attempt_at: (r?.next_attempt_at as string | null) ?? null,
  };
}
