/**
 * `linkages notify send`: a published night's notifications, one e-mail per
 * recipient, through the outbox (outbox.ts), or as .eml files (--dry-run).
 *
 * DuckDB has one writer, so the database is open only to read what to send
 * and, afterwards, to record what happened; while messages go out it is
 * closed, and each outcome is flushed to a journal first (journal.ts). A
 * second `send` meanwhile is refused (exit 3) rather than sending twice.
 */
import { dirname, join, resolve } from 'node:path';
import type { Config } from '../../schemas/config.js';
import { CliError, ExitCode, usageError } from '../runtime/errors.js';
import type { Db } from '../db/database.js';
import { dateLit, lit } from '../db/sql.js';
import { withExistingDatabase } from '../db/existingDatabase.js';
import { ensurePrivateDir, publishDir, stagingDirFor, writeFileAtomic } from '../runtime/files.js';
import type { Logger } from '../runtime/logger.js';
import { deliver, type DeliveryResult } from './deliver.js';
import { coordinatorContact } from './recipients.js';
import { composeMessage, type MailRecipient, type MailRow } from './message.js';
import { dueMessages, messageIdFor, nextAttemptAt, outboxCounts, syncOutbox, type OutboxCounts, type OutboxRow } from './outbox.js';
import { classifyFailure, rawMessage, type OutgoingMail, type Sender, type SmtpClient, type SmtpSettings } from './smtp.js';
import { existsSync, rmSync } from 'node:fs';
import { applyJournal, Journal, journalPath, lockPath, takeSendLock } from './journal.js';

export interface Night {
  runDate: string;
  outDir: string;
}

/** The night's log: the run's own, OUT/logs/linkages.jsonl. */
export const logFileOf = (night: Night) => join(dirname(night.outDir), 'logs', 'linkages.jsonl');

/** The night to send: the given run date, which must be published, or the latest published night. */
export async function publishedNight(db: Db, runDate: string | undefined): Promise<Night> {
  const rows = await db.all<{ d: string; out_dir: string | null }>(`
    SELECT strftime(run_date, '%Y-%m-%d') AS d, out_dir FROM run_ledger
    WHERE status = 'published' ${runDate ? `AND run_date = ${dateLit(runDate)}` : ''}
    ORDER BY run_date DESC, finished_at DESC LIMIT 1`);
  const r = rows[0];
  if (!r) {
    if (!runDate) throw usageError('notify send: the database holds no published night yet; run `linkages run` first');
    const other = await db.one<{ s: string }>(`SELECT status AS s FROM run_ledger WHERE run_date = ${dateLit(runDate)} ORDER BY started_at DESC LIMIT 1`);
    throw usageError(`notify send: night ${runDate} is not published${other ? ` (its last run is ${other.s})` : ' (no run of that date)'}`);
  }
  return { runDate: r.d, outDir: r.out_dir ?? join('out', r.d) };
}

interface RecipientMail {
  recipient: MailRecipient;
  rows: MailRow[];
}

/** The night's notification rows, per recipient (all of them, or the given keys). */
async function mailsOf(db: Db, runDate: string, keys?: string[]): Promise<Map<string, RecipientMail>> {
  const filter = keys ? `AND recipient_key IN (SELECT unnest(${keys.length ? `[${keys.map(lit).join(', ')}]` : '[]::VARCHAR[]'}))` : '';
  const rows = await db.all<MailRow & { recipient_key: string; recipient_file: string; recipient_name: string | null; recipient_email: string | null }>(`
    SELECT recipient_key, recipient_file, recipient_name, nullif(trim(recipient_email), '') AS recipient_email,
           event_id, event_type, priority, strftime(due_date, '%Y-%m-%d') AS due_date, case_number, person_label,
           coalesce(subject_label, subject) AS subject, details, recipient_role
    FROM notifications WHERE run_date = ${dateLit(runDate)} ${filter}
    ORDER BY recipient_key, priority, due_date, event_id`);
  const out = new Map<string, RecipientMail>();
  for (const r of rows) {
    let m = out.get(r.recipient_key);
    if (!m) {
      m = { recipient: { key: r.recipient_key, file: r.recipient_file, name: r.recipient_name, email: r.recipient_email }, rows: [] };
      out.set(r.recipient_key, m);
    }
    m.rows.push(r);
  }
  return out;
}

function outgoing(night: string, m: RecipientMail, messageId: string, sender: Sender, config: Config): OutgoingMail {
  const c = composeMessage(night, m.recipient, m.rows, {
    subjectPrefix: config.notify.mail.subject_prefix,
    coordinator: coordinatorContact(config.notify.coordinator),
  });
  return { from: sender.from, to: m.recipient.email ?? '', subject: c.subject, text: c.text, html: c.html, messageId, runDate: night };
}

export interface DryRunResult {
  night: string;
  dir: string;
  written: number;
  noAddress: number;
}

/** --dry-run: every addressed recipient's message as `<recipient_file>.eml` in OUT/<run-date>/mail/ (replaced whole). */
export async function writeDryRun(
  dbPath: string,
  runDate: string | undefined,
  outRoot: string | undefined,
  sender: Sender,
  config: Config,
  log: Logger,
): Promise<DryRunResult> {
  const { night, mails } = await withExistingDatabase(dbPath, 'notify send', async (db) => {
    const n = await publishedNight(db, runDate);
    log.addFile(logFileOf(n));
    return { night: n, mails: await mailsOf(db, n.runDate) };
  });
  const dir = join(outRoot ? join(outRoot, night.runDate) : night.outDir, 'mail');
  const staging = stagingDirFor(dir);
  rmSync(staging, { recursive: true, force: true });
  ensurePrivateDir(staging);
  let written = 0;
  let noAddress = 0;
  for (const m of mails.values()) {
    if (!m.recipient.email) {
      noAddress++;
      continue;
    }
    const mail = outgoing(night.runDate, m, messageIdFor(night.runDate, m.recipient.key, sender.domain), sender, config);
    writeFileAtomic(join(staging, `${m.recipient.file}.eml`), await rawMessage(mail));
    written++;
  }
  publishDir(staging, dir);
  log.info('notify send --dry-run: messages written', { run_date: night.runDate, messages: written, no_address: noAddress });
  return { night: night.runDate, dir, written, noAddress };
}

export interface SendResult {
  night: string;
  outDir: string;
  tried: number;
  delivery: DeliveryResult;
  counts: OutboxCounts;
}

export async function sendNight(
  dbPath: string,
  runDate: string | undefined,
  smtp: SmtpSettings,
  sender: Sender,
  client: (s: SmtpSettings, connections: number) => SmtpClient,
  config: Config,
  log: Logger,
): Promise<SendResult> {
  const mc = config.notify.mail;
  const file = resolve(dbPath);
  const journalFile = journalPath(file);
  const release = existsSync(file) ? takeSendLock(lockPath(file)) : () => {};
  try {
    // 1. With the database: record what an interrupted call learnt, bring the outbox up to date, read what to send.
    const prep = await withExistingDatabase(dbPath, 'notify send', async (db) => {
      const recovered = await applyJournal(db, journalFile);
      const night = await publishedNight(db, runDate);
      const d = night.runDate;
      await syncOutbox(db, d, sender.domain, new Date());
      const due = await dueMessages(db, d, new Date());
      const mails = await mailsOf(
        db,
        d,
        due.map((r) => r.recipient_key),
      );
      const work = due
        .filter((r) => mails.has(r.recipient_key))
        .map((r) => ({ row: r, mail: outgoing(d, mails.get(r.recipient_key)!, r.message_id, sender, config) }));
      return { night, work, recovered };
    });
    const d = prep.night.runDate;
    log.addFile(logFileOf(prep.night));
    if (prep.recovered) log.info('notify send: recorded the outcomes of an interrupted call', { entries: prep.recovered });
    log.info('notify send: start', { run_date: d, messages: prep.work.length, server: smtp.server });

    // 2. Without it: send, each outcome on disk (the journal) before the slot sends another.
    let delivery: DeliveryResult = { sent: 0, failed: 0, untried: 0, breakerOpen: false, lastFailure: null };
    if (prep.work.length) {
      const smtpc = client(smtp, mc.concurrency);
      const journal = new Journal(journalFile);
      try {
        delivery = await deliver<{ row: OutboxRow; mail: OutgoingMail }>(
          prep.work,
          {
            send: (w) => smtpc.send(w.mail),
            classify: classifyFailure,
            sent: async (w, tries, response) => {
              journal.append({ run_date: d, recipient_key: w.row.recipient_key, outcome: 'sent', tries, text: response, at: new Date().toISOString() });
              log.debug('notify send: accepted', { run_date: d, recipient: w.row.recipient_file, notifications: w.row.notifications });
            },
            failed: async (w, tries, f) => {
              const now = new Date();
              const next = nextAttemptAt(now, w.row.failed_calls + 1, mc.retry_after_minutes);
              journal.append({
                run_date: d,
                recipient_key: w.row.recipient_key,
                outcome: 'failed',
                tries,
                text: f.detail,
                at: now.toISOString(),
                next_at: next.toISOString(),
              });
              log.warn('notify send: not accepted', { run_date: d, recipient: w.row.recipient_file, tries, error: f.code, kind: f.kind });
            },
          },
          { concurrency: mc.concurrency, attempts: mc.attempts, backoffMs: mc.backoff_ms, breakerFailures: mc.breaker_failures },
        );
      } finally {
        journal.close();
        smtpc.close();
      }
    }

    // 3. With the database again: the journal into the outbox.
    let counts: OutboxCounts;
    try {
      counts = await withExistingDatabase(dbPath, 'notify send', async (db) => {
        await applyJournal(db, journalFile);
        return outboxCounts(db, d);
      });
    } catch (err) {
      if (err instanceof CliError && err.exitCode === ExitCode.LOCKED) {
        throw new CliError(
          `notify send: ${delivery.sent} message(s) sent; another linkages process holds the database, so the next notify send records them (nothing is sent twice)`,
          ExitCode.LOCKED,
        );
      }
      throw err;
    }
    if (delivery.breakerOpen) {
      log.error('notify send: stopped after consecutive failures; the rest is left for the next call', {
        run_date: d,
        failures: mc.breaker_failures,
        error: delivery.lastFailure,
        untried: delivery.untried,
      });
    }
    log.info('notify send: done', { run_date: d, sent_now: delivery.sent, ...counts });
    return { night: d, outDir: prep.night.outDir, tried: prep.work.length, delivery, counts };
  } finally {
    release();
  }
}
