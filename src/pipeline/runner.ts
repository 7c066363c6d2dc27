/**
 * Runs the nightly pipeline: takes the database, recovers from a killed run,
 * runs every stage inside one transaction, writes the night's files into a
 * hidden staging folder, commits, then publishes the folder as
 * OUT/<run-date>/. A failure or a kill at any point leaves the previous state
 * visible; the next run finishes or discards what was left.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { CliError, ExitCode, NightHeld } from '../runtime/errors.js';
import type { Db } from '../db/database.js';
import { migrate, SCHEMA_VERSION } from '../db/migrate.js';
import type { Logger } from '../runtime/logger.js';
import { describeError } from '../runtime/logger.js';
import { SOFTWARE_VERSION } from '../runtime/version.js';
import { abandonedStaging, openToGroup, publishDir, recoverPublish, startStagingDir, writeFileAtomic } from '../runtime/files.js';
import type { ProgressFactory } from '../runtime/progress.js';
import type { Config } from '../../schemas/config.js';
import { crashPoint, failPoint } from './faults.js';
import { committedUnpublished, latestNight, ledgerStart, ledgerUpdate, markAbandoned, previousNight } from './ledger.js';
import type { RunContext, RunInputs, Stage } from './stage.js';
import { checkContracts } from '../db/contract.js';
import { scratchNeeded } from '../db/scratch.js';
import { budgetBytes } from '../db/memoryBudget.js';
import { emptySummary, type RunSummary } from './summary.js';

export interface RunOptions {
  db: Db;
  config: Config;
  log: Logger;
  progress: ProgressFactory;
  inputs: RunInputs;
  outRoot: string;
  /** From `--run-date`; otherwise ingest sets it from the latest extract_date. */
  runDate?: string;
  /** Allow a run date earlier than the latest night in the database. */
  force?: boolean;
  stages: readonly Stage[];
  /** Re-export a committed night's files (recovery); supplied by the export stage. */
  reexport?: (db: Db, runDate: string, stagingDir: string) => Promise<void>;
  /** The run's id, when the caller made it (to log with it before the run starts); otherwise a new one. */
  runId?: string;
  /** Publish a night the input checks would hold (`--accept-anomalies`). */
  acceptAnomalies?: boolean;
  /** Called once the night's date is known and accepted (after ingest): no usage refusal comes later. */
  onNightSettled?: () => void;
}

export interface RunResult {
  runId: string;
  runDate: string;
  outDir: string;
  summary: RunSummary;
}

const SUMMARY_FILE = 'run_summary.json';

const summaryText = (summary: RunSummary) => `${JSON.stringify(summary, null, 2)}\n`;

/** Peak resident memory of this process so far, in MiB (Linux reports maxRSS in KiB). */
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function refuseEarlierNight(db: Db, runDate: string, force: boolean | undefined): Promise<void> {
  const latest = await latestNight(db);
  if (latest && runDate < latest && !force) {
    throw new CliError(`run date ${runDate} is earlier than the latest night in the database (${latest}); use --force to run it anyway`, ExitCode.USAGE);
  }
}

/** Finish what a killed run left: abandoned attempts, and committed nights whose files never got published. */
async function recover(opts: RunOptions): Promise<void> {
  const { db, log } = opts;
  const abandoned = await markAbandoned(db);
  if (abandoned) log.warn('recovered: earlier run(s) were killed before committing; nothing of them is visible', { runs: abandoned });
  // Hidden staging folders of killed runs hold personal data: remove them. Only those of processes
  // that are gone: a run on another database may share this output folder and be writing its own.
  // Committed nights are re-exported below.
  const outRoot = resolve(opts.outRoot);
  if (existsSync(outRoot)) {
    for (const name of readdirSync(outRoot)) {
      if (abandonedStaging(name)) rmSync(join(outRoot, name), { recursive: true, force: true });
    }
  }
  for (const night of await committedUnpublished(db)) {
    const finalDir = night.out_dir || join(opts.outRoot, night.run_date);
    recoverPublish(finalDir);
    if (!opts.reexport) continue;
    const staging = startStagingDir(finalDir);
    await opts.reexport(db, night.run_date, staging);
    if (night.summary) writeFileAtomic(join(staging, SUMMARY_FILE), summaryText(JSON.parse(night.summary) as RunSummary));
    publishDir(staging, finalDir);
    if (opts.config.output.group_readable) openToGroup(outRoot, finalDir);
    await ledgerUpdate(db, night.run_id, { status: 'published' });
    log.warn('recovered: published the files of a night committed by a killed run', { run_date: night.run_date });
  }
}

/** Each input's file, checksum and counts, as the ledger keeps them. */
function ledgerInputs(summary: RunSummary): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(summary.inputs).map(([name, s]) => [
      name,
      { file: s!.file, sha256: s!.sha256, read: s!.read, loaded: s!.loaded, quarantined: s!.quarantined },
    ]),
  );
}

const logged = new WeakSet<object>();
const markLogged = (err: unknown) => {
  if (err && typeof err === 'object') logged.add(err);
};
/** True when the runner has already logged this failure (with its run_id and stage). */
export const alreadyLogged = (err: unknown) => !!err && typeof err === 'object' && logged.has(err);

export async function runPipeline(opts: RunOptions): Promise<RunResult> {
  const { db, log } = opts;
  const runId = opts.runId ?? randomUUID();
  // Every line of the run carries its id, from the first (recovery) to the last.
  log.context({ run_id: runId });
  const { from } = await migrate(db);
  if (from && from < SCHEMA_VERSION)
    log.warn('database migrated to this release', { from_schema: from, to_schema: SCHEMA_VERSION, software_version: SOFTWARE_VERSION });
  await recover(opts);
  if (opts.runDate) await refuseEarlierNight(db, opts.runDate, opts.force);

  const summary = emptySummary();
  await ledgerStart(db, runId, opts.inputs);
  await ledgerUpdate(db, runId, { software_version: SOFTWARE_VERSION, schema_version: SCHEMA_VERSION });
  log.info('run started', { run_id: runId, software_version: SOFTWARE_VERSION, schema_version: SCHEMA_VERSION });

  const outRoot = resolve(opts.outRoot);
  // The staging folder is named for the run id until the run date is known.
  let stagingDir = startStagingDir(join(outRoot, `run-${runId}`));
  const ctx: RunContext = {
    db,
    config: opts.config,
    log,
    progress: opts.progress,
    runId,
    runDate: opts.runDate ?? '',
    previousRunDate: null,
    inputs: opts.inputs,
    stagingDir,
    summary,
    stepSeconds: {},
    acceptAnomalies: opts.acceptAnomalies === true,
  };

  let inTransaction = false;
  let committed = false;
  /** The stage running (or preparing) when a failure happens, for the log and the ledger. */
  let stageName = 'start';
  try {
    // Stages' transaction-free work first (see Stage.prepare); its time counts as the stage's.
    // A night too big for memory (src/db/scratch.ts) does all but ingest's inside the transaction,
    // where its working tables go to the database file: in memory, a statewide night's normalize
    // ran out of memory before the transaction.
    const prepared = new Map<string, { seconds: number; steps: Record<string, number> }>();
    const budget = budgetBytes(opts.config.database.memory_limit);
    const inFile = () => scratchNeeded(opts.config.database.working_tables, ctx.stagedRows ?? 0, budget);
    for (const stage of opts.stages) {
      if (!stage.built || !stage.prepare) continue;
      if (stage.name !== 'ingest' && inFile()) continue;
      const started = performance.now();
      ctx.stepSeconds = {};
      stageName = stage.name;
      await stage.prepare(ctx);
      prepared.set(stage.name, { seconds: (performance.now() - started) / 1000, steps: ctx.stepSeconds });
    }
    ctx.workingTablesInFile = inFile();
    await db.exec('BEGIN TRANSACTION');
    inTransaction = true;
    for (const stage of opts.stages) {
      const started = performance.now();
      if (!stage.built) {
        log.info(`stage ${stage.name}: not built yet, skipped`, { stage: stage.name });
        summary.stages.push({ stage: stage.name, status: 'not built', seconds: 0 });
        continue;
      }
      const prep = prepared.get(stage.name);
      ctx.stepSeconds = { ...prep?.steps };
      stageName = stage.name;
      failPoint(`stage:${stage.name}`);
      await stage.run(ctx);
      // what the stage promises about its tables, checked before anything later reads them
      if (stage.writes) await checkContracts(db, stage.writes, ctx.runDate);
      const seconds = Math.round(((performance.now() - started) / 1000 + (prep?.seconds ?? 0)) * 100) / 100;
      const steps = Object.keys(ctx.stepSeconds).length ? { steps: ctx.stepSeconds } : {};
      summary.stages.push({ stage: stage.name, status: 'ok', seconds, ...steps });
      log.info(`stage ${stage.name} done`, { stage: stage.name, seconds });
      crashPoint(`after-stage:${stage.name}`);
      if (stage.name === 'ingest') {
        if (!ctx.runDate) throw new Error('ingest did not set the run date');
        if (!opts.runDate) await refuseEarlierNight(db, ctx.runDate, opts.force);
        ctx.previousRunDate = await previousNight(db, ctx.runDate);
        summary.run_date = ctx.runDate;
        summary.previous_run_date = ctx.previousRunDate;
        summary.baseline = ctx.previousRunDate === null;
        // Now the night is known, stage into its own hidden folder.
        const named = startStagingDir(join(outRoot, ctx.runDate));
        rmSync(stagingDir, { recursive: true, force: true });
        stagingDir = named;
        ctx.stagingDir = named;
        await ledgerUpdate(db, runId, { run_date: ctx.runDate, forced: !!opts.force });
        opts.onNightSettled?.();
        // A night too big for memory keeps the later stages' TEMP tables in the database file (src/db/scratch.ts).
        if (ctx.workingTablesInFile) {
          db.beginScratch();
          log.info('working tables in the database file for this night', {
            staged_rows: ctx.stagedRows ?? 0,
            working_tables: opts.config.database.working_tables,
          });
        }
      }
    }
    for (const stage of opts.stages) if (stage.built && stage.finish) await stage.finish(ctx);
    stageName = 'publish';
    await db.dropScratch();
    const finalDir = join(outRoot, ctx.runDate);
    summary.peak_rss_mb = peakRssMb();
    writeFileAtomic(join(stagingDir, SUMMARY_FILE), summaryText(summary));
    // Earlier attempts at the same night are superseded by this one.
    await db.exec(
      `UPDATE run_ledger SET status = 'superseded' WHERE run_date = DATE '${ctx.runDate}' AND status IN ('committed', 'published') AND run_id <> '${runId}'`,
    );
    await ledgerUpdate(db, runId, {
      status: 'committed',
      stage_seconds: Object.fromEntries(summary.stages.map((s) => [s.stage, s.seconds])),
      out_dir: finalDir,
      summary,
      finished: true,
    });
    crashPoint('before-commit');
    await db.exec('COMMIT');
    inTransaction = false;
    committed = true;
    crashPoint('after-commit');
    publishDir(stagingDir, finalDir);
    if (opts.config.output.group_readable) openToGroup(outRoot, finalDir);
    await ledgerUpdate(db, runId, { status: 'published' });
    log.info('run published', { run_id: runId, run_date: ctx.runDate });
    return { runId, runDate: ctx.runDate, outDir: finalDir, summary };
  } catch (err) {
    const { kind, message } = describeError(err);
    if (committed) {
      // The night is in the database; only publishing failed. Leave it `committed` so the next
      // run re-exports and publishes it (recover), instead of calling a committed night failed.
      log.error('run committed but its files could not be published; the next run publishes them', {
        run_id: runId,
        run_date: ctx.runDate,
        stage: stageName,
        error: kind,
        message,
      });
      markLogged(err);
      throw err;
    }
    if (inTransaction) await db.exec('ROLLBACK').catch(() => undefined);
    db.forgetScratch();
    rmSync(stagingDir, { recursive: true, force: true });
    // The rollback took the night's own ledger updates with it: say again which night and which inputs it was.
    const what = {
      ...(ctx.runDate ? { run_date: ctx.runDate } : {}),
      ...(Object.keys(summary.inputs).length ? { inputs: ledgerInputs(summary) } : {}),
      finished: true,
    };
    if (err instanceof NightHeld) {
      for (const reason of err.reasons) log.warn(`check: held: ${reason}`, { run_id: runId, run_date: ctx.runDate, stage: stageName });
      log.error('run held by the input checks; nothing published (--accept-anomalies publishes it)', {
        run_id: runId,
        run_date: ctx.runDate,
        stage: stageName,
        error: kind,
        reasons: err.reasons.length,
      });
      await ledgerUpdate(db, runId, { ...what, status: 'held', error: err.reasons.join('\n'), input_checks: err.checks }).catch(() => undefined);
    } else {
      log.error(`run failed in stage ${stageName}: ${message}`, { run_id: runId, run_date: ctx.runDate || null, stage: stageName, error: kind });
      await ledgerUpdate(db, runId, {
        ...what,
        status: 'failed',
        error: `${stageName}: ${message.startsWith(kind) ? '' : `${kind}: `}${message}`.slice(0, 1000),
      }).catch(() => undefined);
    }
    markLogged(err);
    throw err;
  }
}
