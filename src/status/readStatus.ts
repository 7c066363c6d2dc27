/**
 * What `linkages status` reports, read from the run ledger: the latest
 * attempts at a night, each with its state and why (a failed night's stage and
 * cause, a held night's reasons), its inputs' rows and checksums, links,
 * review queue, notifications and seconds, and which software and schema
 * version ran it. Counts, ids, dates and paths only.
 */
import type { Db } from '../db/database.js';
import { schemaVersion, SCHEMA_VERSION } from '../db/migrate.js';
import { SOFTWARE_VERSION } from '../runtime/version.js';

export interface NightInput {
  file: string | null;
  rows: number | null;
  sha256: string | null;
}

export interface NightStatus {
  run_id: string;
  run_date: string | null;
  status: string;
  started_at: string;
  finished_at: string | null;
  seconds: number | null;
  inputs: Record<string, NightInput>;
  links: number | null;
  review_queue: number | null;
  mutual_clients: number | null;
  notifications: number | null;
  /** The night's e-mail outbox (`notify send`): messages per state; null before any send. */
  outbox: { sent: number; pending: number; failed: number; no_address: number } | null;
  /** A failed night: the stage, the kind of error and its message. */
  error: string | null;
  /** A held night: why. A night published with --accept-anomalies: what was accepted. */
  reasons: string[];
  accepted_anomalies: boolean;
  software_version: string | null;
  schema_version: number | null;
}

export interface StatusReport {
  database: string;
  software_version: string;
  /** The schema version of the database, and the one this software writes. */
  schema_version: number;
  software_schema_version: number;
  /** The latest published night, if any. */
  latest_published: string | null;
  nights: NightStatus[];
}

interface LedgerRow {
  run_id: string;
  run_date: string | null;
  status: string;
  started_at: string;
  finished_at: string | null;
  inputs: string | null;
  stage_seconds: string | null;
  summary: string | null;
  error: string | null;
  input_checks: string | null;
  software_version: string | null;
  schema_version: number | null;
}

type Json = Record<string, unknown>;
const parse = (s: string | null): Json => (s ? (JSON.parse(s) as Json) : {});
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});

function night(row: LedgerRow): NightStatus {
  const summary = parse(row.summary);
  const inputsRecorded = parse(row.inputs);
  const summaryInputs = obj(summary.inputs);
  const checks = parse(row.input_checks);
  const profiles = obj(checks.profiles);
  const inputs: Record<string, NightInput> = {};
  for (const [name, v] of Object.entries(inputsRecorded)) {
    // Before ingest records the inputs, the ledger holds the paths given on the command line.
    const recorded = typeof v === 'string' ? { file: v } : obj(v);
    const s = obj(summaryInputs[name]);
    inputs[name] = {
      file: (recorded.file as string | undefined) ?? null,
      rows: num(s.read) ?? num(recorded.read) ?? num(obj(profiles[name]).rows),
      sha256: (recorded.sha256 as string | undefined) ?? null,
    };
  }
  const stageSeconds = Object.values(parse(row.stage_seconds)).filter((x): x is number => typeof x === 'number');
  const wall = row.finished_at && row.started_at ? (Date.parse(`${row.finished_at}Z`) - Date.parse(`${row.started_at}Z`)) / 1000 : null;
  const seconds = stageSeconds.length ? stageSeconds.reduce((a, b) => a + b, 0) : wall;
  const notify = obj(summary.notify);
  const reasons =
    row.status === 'held' ? (row.error ?? '').split('\n').filter(Boolean) : ((checks.reasons as { message: string }[] | undefined) ?? []).map((r) => r.message);
  return {
    run_id: row.run_id,
    run_date: row.run_date,
    status: row.status,
    started_at: row.started_at,
    finished_at: row.finished_at,
    seconds: seconds === null ? null : Math.round(seconds * 100) / 100,
    inputs,
    links: num(obj(summary.match).links),
    review_queue: num(obj(summary.match).review_pairs),
    mutual_clients: num(obj(summary.classify).mutual_clients),
    notifications: num(notify.notifications),
    outbox: null,
    error: row.status === 'held' ? null : row.error,
    reasons,
    accepted_anomalies: checks.accepted === true,
    software_version: row.software_version,
    schema_version: row.schema_version,
  };
}

export async function readStatus(db: Db, limit: number): Promise<StatusReport> {
  if (!(await db.tableExists('run_ledger'))) {
    return {
      database: db.path,
      software_version: SOFTWARE_VERSION,
      schema_version: 0,
      software_schema_version: SCHEMA_VERSION,
      latest_published: null,
      nights: [],
    };
  }
  const hasChecks = await db.count(`SELECT count(*) FROM duckdb_columns() WHERE table_name = 'run_ledger' AND column_name = 'input_checks'`);
  const extra = hasChecks
    ? `input_checks::VARCHAR AS input_checks, software_version, schema_version`
    : `NULL AS input_checks, NULL AS software_version, NULL AS schema_version`;
  const rows = await db.all<LedgerRow>(`
    SELECT run_id, strftime(run_date, '%Y-%m-%d') AS run_date, status,
           strftime(started_at, '%Y-%m-%dT%H:%M:%S') AS started_at,
           strftime(finished_at, '%Y-%m-%dT%H:%M:%S') AS finished_at,
           inputs::VARCHAR AS inputs, stage_seconds::VARCHAR AS stage_seconds, summary::VARCHAR AS summary, error, ${extra}
    FROM run_ledger ORDER BY started_at DESC, run_id LIMIT ${Math.max(1, Math.floor(limit))}`);
  const latest = await db.one<{ d: string | null }>(`SELECT strftime(max(run_date), '%Y-%m-%d') AS d FROM run_ledger WHERE status = 'published'`);
  const nights = rows.map(night);
  if (await db.tableExists('mail_outbox')) {
    const boxes = await db.all<{ d: string; status: string; n: number | bigint }>(
      `SELECT strftime(run_date, '%Y-%m-%d') AS d, status, count(*) AS n FROM mail_outbox GROUP BY ALL`,
    );
    for (const nt of nights) {
      const mine = boxes.filter((b) => b.d === nt.run_date && nt.status === 'published');
      if (!mine.length) continue;
      const count = (st: string) => Number(mine.find((b) => b.status === st)?.n ?? 0);
      nt.outbox = { sent: count('sent'), pending: count('pending'), failed: count('failed'), no_address: count('no_address') };
    }
  }
  return {
    database: db.path,
    software_version: SOFTWARE_VERSION,
    schema_version: await schemaVersion(db),
    software_schema_version: SCHEMA_VERSION,
    latest_published: latest?.d ?? null,
    nights,
  };
}
