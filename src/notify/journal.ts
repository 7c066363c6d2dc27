/**
 * What `notify send` learns while the database is closed. DuckDB has one
 * writer: holding the database for the minutes a slow relay takes would
 * lock out the nightly run and the coordinators. So a call reads what to
 * send, closes the database, sends, and writes each outcome here first:
 *
 *   <db>.mail-journal.jsonl  one line per outcome, flushed to disk (fsync)
 *                            before the slot sends another message; applied
 *                            to the outbox at the end of the call, or by the
 *                            next call when this one was killed
 *   <db>.mail-lock           one `send` at a time (the database lock no
 *                            longer does it); a lock left by a killed call
 *                            (its process is gone) is taken over
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { CliError, ExitCode } from '../runtime/errors.js';
import type { Db } from '../db/database.js';
import { markFailed, markSent } from './outbox.js';

export interface JournalEntry {
  run_date: string;
  recipient_key: string;
  outcome: 'sent' | 'failed';
  tries: number;
  /** sent: the server's reply; failed: the error. */
  text: string;
  at: string;
  /** failed: the earliest next try. */
  next_at?: string;
}

export const journalPath = (dbPath: string) => `${dbPath}.mail-journal.jsonl`;
export const lockPath = (dbPath: string) => `${dbPath}.mail-lock`;

export class Journal {
  private fd: number;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'a', 0o600);
  }
  /** Durable before it returns: a kill after this line cannot lose the outcome. */
  append(e: JournalEntry): void {
    writeSync(this.fd, `${JSON.stringify(e)}\n`);
    fsyncSync(this.fd);
  }
  close(): void {
    closeSync(this.fd);
  }
}

/** Entries of a journal; a last line cut short by a kill is ignored. */
export function readJournal(path: string): JournalEntry[] {
  if (!existsSync(path)) return [];
  const out: JournalEntry[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as JournalEntry);
    } catch {
      // torn last line: its message was not recorded, so it is sent again (same Message-ID)
    }
  }
  return out;
}

/** Apply a journal to the outbox in one transaction, then remove it. A sent row is never changed back. */
export async function applyJournal(db: Db, path: string): Promise<number> {
  const entries = readJournal(path);
  if (entries.length) {
    await db.exec('BEGIN TRANSACTION');
    try {
      for (const e of entries) {
        if (e.outcome === 'sent') await markSent(db, e.run_date, e.recipient_key, e.tries, e.text, new Date(e.at));
        else await markFailed(db, e.run_date, e.recipient_key, e.tries, e.text, new Date(e.next_at ?? e.at), new Date(e.at));
      }
      await db.exec('COMMIT');
    } catch (err) {
      await db.exec('ROLLBACK');
      throw err;
    }
  }
  rmSync(path, { force: true });
  return entries.length;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take the send lock or fail with exit 3; returns its release. */
export function takeSendLock(path: string): () => void {
  for (let i = 0; i < 2; i++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new CliError(`another notify send (process ${pid}) is sending; try again when it finishes`, ExitCode.LOCKED);
      }
      rmSync(path, { force: true }); // left by a killed call
    }
  }
  throw new CliError('cannot take the notify send lock', ExitCode.LOCKED);
}
