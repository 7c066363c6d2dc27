/**
 * The run ledger: one row per attempt of `linkages run`, with its inputs and
 * their checksums, its timings and how it ended. Statuses:
 *   running    - started; a row still `running` when the next run starts was killed (-> abandoned)
 *   committed  - the night is in the database; its files are not yet published
 *   published  - the night's files are in OUT/<run-date>/
 *   failed     - stopped with an error; nothing of it is visible
 *   abandoned  - killed; nothing of it is visible
 *   held       - stopped by an input check (src/checks/); nothing of it is visible; reasons in `error`
 *   superseded - a published night run again; the later attempt replaced it
 */
import type { Db } from '../db/database.js';
import type { TableContract } from '../db/contract.js';
import { dateLit, lit } from '../db/sql.js';

export async function ledgerStart(db: Db, runId: string, inputs: unknown): Promise<void> {
  await db.exec(
    `INSERT INTO run_ledger (run_id, status, started_at, inputs) VALUES (${lit(runId)}, 'running', now()::TIMESTAMP, ${lit(JSON.stringify(inputs))})`,
  );
}

export async function ledgerUpdate(
  db: Db,
  runId: string,
  fields: {
    status?: string;
    run_date?: string;
    stage_seconds?: unknown;
    out_dir?: string;
    forced?: boolean;
    error?: string;
    finished?: boolean;
    inputs?: unknown;
    summary?: unknown;
    input_checks?: unknown;
    software_version?: string;
    schema_version?: number;
  },
): Promise<void> {
  const sets: string[] = [];
  if (fields.status) sets.push(`status = ${lit(fields.status)}`);
  if (fields.run_date) sets.push(`run_date = ${dateLit(fields.run_date)}`);
  if (fields.stage_seconds !== undefined) sets.push(`stage_seconds = ${lit(JSON.stringify(fields.stage_seconds))}`);
  if (fields.inputs !== undefined) sets.push(`inputs = ${lit(JSON.stringify(fields.inputs))}`);
  if (fields.summary !== undefined) sets.push(`summary = ${lit(JSON.stringify(fields.summary))}`);
  if (fields.input_checks !== undefined) sets.push(`input_checks = ${lit(JSON.stringify(fields.input_checks))}`);
  if (fields.software_version) sets.push(`software_version = ${lit(fields.software_version)}`);
  if (fields.schema_version !== undefined) sets.push(`schema_version = ${lit(fields.schema_version)}`);
  if (fields.out_dir) sets.push(`out_dir = ${lit(fields.out_dir)}`);
  if (fields.forced !== undefined) sets.push(`forced = ${lit(fields.forced)}`);
  if (fields.error !== undefined) sets.push(`error = ${lit(fields.error)}`);
  // now() is frozen at the start of a transaction, and the runner updates the ledger inside one: use the clock.
  if (fields.finished) sets.push(`finished_at = ${lit(new Date().toISOString())}::TIMESTAMPTZ::TIMESTAMP`);
  if (!sets.length) return;
  await db.exec(`UPDATE run_ledger SET ${sets.join(', ')} WHERE run_id = ${lit(runId)}`);
}

/** Runs that were killed: nobody else can be running, since we hold the database lock. */
export async function markAbandoned(db: Db): Promise<number> {
  const n = await db.count(`SELECT count(*) FROM run_ledger WHERE status = 'running'`);
  if (n) await db.exec(`UPDATE run_ledger SET status = 'abandoned', finished_at = now()::TIMESTAMP WHERE status = 'running'`);
  return n;
}

/** Nights committed to the database whose files were never published (killed between the two). */
export async function committedUnpublished(db: Db): Promise<{ run_id: string; run_date: string; out_dir: string; summary: string | null }[]> {
  return db.all(
    `SELECT run_id, strftime(run_date, '%Y-%m-%d') AS run_date, out_dir, summary::VARCHAR AS summary
       FROM run_ledger WHERE status = 'committed' ORDER BY run_date`,
  );
}

/** The nights the database holds: the latest successful run per run date. */
export async function latestNight(db: Db): Promise<string | null> {
  const row = await db.one<{ d: string | null }>(`SELECT strftime(max(run_date), '%Y-%m-%d') AS d FROM run_ledger WHERE status IN ('committed', 'published')`);
  return row?.d ?? null;
}

export async function previousNight(db: Db, runDate: string): Promise<string | null> {
  const row = await db.one<{ d: string | null }>(
    `SELECT strftime(max(run_date), '%Y-%m-%d') AS d FROM run_ledger WHERE status IN ('committed', 'published') AND run_date < ${dateLit(runDate)}`,
  );
  return row?.d ?? null;
}

/** The ledger's promise (src/db/contract.ts): one row per attempt, in one of the statuses above. */
export const LEDGER_TABLES: readonly TableContract[] = [
  {
    table: 'run_ledger',
    nightly: false,
    grain: ['run_id'],
    allowed: { status: ['running', 'committed', 'published', 'failed', 'abandoned', 'held', 'superseded'] },
  },
  { table: 'schema_migrations', nightly: false, grain: ['version'] },
];
