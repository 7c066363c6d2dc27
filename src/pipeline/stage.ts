/**
 * What a pipeline stage is: a named step with one entry point that reads and
 * writes DuckDB tables through the run context. Stages run in the order
 * declared in pipelines/nightly.ts, inside the run's single transaction
 * (after every stage's optional `prepare`, which runs before it opens).
 */
import type { Db } from '../db/database.js';
import type { TableContract } from '../db/contract.js';
import type { Logger } from '../runtime/logger.js';
import type { ProgressFactory } from '../runtime/progress.js';
import type { Config } from '../../schemas/config.js';
import type { RunSummary } from './summary.js';

export const STAGE_NAMES = ['ingest', 'check', 'normalize', 'match', 'classify', 'assign', 'notify', 'export'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export interface RunInputs {
  calworks: string;
  cws: string;
  workers?: string;
  contacts?: string;
}

export interface RunContext {
  db: Db;
  config: Config;
  log: Logger;
  progress: ProgressFactory;
  runId: string;
  /** YYYY-MM-DD. Set from `--run-date`, or by ingest from the latest extract_date. */
  runDate: string;
  /** The latest earlier night in the database, or null on the baseline run. */
  previousRunDate: string | null;
  inputs: RunInputs;
  /** Folder the run writes its output files into; published as OUT/<run-date>/ on success. */
  stagingDir: string;
  /** CalWORKs and child-welfare rows that passed validation (set by ingest's prepare); the runner sizes the night by it. */
  stagedRows?: number;
  /** The night's working tables go to the database file (src/db/scratch.ts); set by the runner before the transaction. */
  workingTablesInFile?: boolean;
  summary: RunSummary;
  /**
   * Seconds per step of the running stage, for diagnosis. The runner files
   * them under the stage's entry in `summary.stages`, with the other timings,
   * so the rest of run_summary.json stays identical between re-runs.
   */
  stepSeconds: Record<string, number>;
  /** `--accept-anomalies`: publish a night the input checks would hold (src/checks/). */
  acceptAnomalies?: boolean;
}

export interface Stage {
  name: StageName;
  /** One line for `--help` and the README. */
  description: string;
  /** False for a stage that is declared but not implemented yet; the runner says so. */
  built: boolean;
  /**
   * Work that publishes nothing (connection-local TEMP tables: ingest's
   * validated rows, normalize's persons, match's scored pairs; or tables of the
   * database file no reader looks at until the night swaps them in: the search
   * index's `_next` tables), run before the night's transaction opens, every
   * stage's in order. Two reasons: DuckDB scans
   * a table made inside a transaction on one thread only (duckdb/duckdb#18074;
   * 300,000 families: 97 s a night with this work inside, 86 s outside), and
   * it keeps the memory of a TEMP table dropped inside a transaction until the
   * transaction ends, while work done here is freed at once. A night too big for
   * memory skips every prepare but ingest's: its run does the work inside the
   * transaction, with the TEMP tables in the database file (src/db/scratch.ts).
   * So a stage's run must do its prepare's work when prepare did not run.
   */
  prepare?(ctx: RunContext): Promise<void>;
  run(ctx: RunContext): Promise<void>;
  /** After every stage's run, inside the night's transaction: drop what the stage kept for the later stages. */
  finish?(ctx: RunContext): Promise<void>;
  /**
   * The tables the stage writes (marts and hand-off tables) with their
   * contracts; the runner checks them right after `run` (src/db/contract.ts).
   */
  writes?: readonly TableContract[];
}

/** A step's seconds in run_summary.json, to the millisecond (ctx.stepSeconds). */
export function recordStep(ctx: RunContext, name: string, seconds: number): void {
  ctx.stepSeconds[name] = Math.round(seconds * 1000) / 1000;
}
