/**
 * One measured task, run in a child process of the bench so that its peak
 * RSS is its own: `node dist/src/bench/child.js <task> <json args>`. Prints
 * one JSON line: { seconds, rows, peak_rss_mb, ... }.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db/database.js';
import { lit } from '../db/sql.js';
import { runPipeline } from '../pipeline/runner.js';
import { ingestStage } from '../ingest/index.js';
import { normalizeStage } from '../normalize/index.js';
import { matchStage } from '../match/index.js';
import { silentLogger } from '../runtime/logger.js';
import { noProgress } from '../runtime/progress.js';
import { defaultConfig } from '../config/load.js';
import { cli } from '../cli/app.js';
import type { RunInputs } from '../pipeline/stage.js';

export interface ChildResult {
  seconds: number;
  rows: number;
  peak_rss_mb: number;
  detail?: Record<string, unknown>;
}

/** The config of a measured task: the default, with BENCH_THREADS when the bench sets it. */
function benchConfig() {
  const config = defaultConfig();
  const threads = Number(process.env.BENCH_THREADS);
  if (threads > 0) config.database.threads = threads;
  return config;
}

/**
 * The most disk DuckDB's spill files took at once under `dir` (its temp_directory), sampled every
 * half second while a task runs: the temp space a county must leave free.
 */
function sampleSpill(dir: string): { stop(): number } {
  let peak = 0;
  const size = () => {
    try {
      return readdirSync(dir).reduce((a, f) => a + statSync(join(dir, f)).size, 0);
    } catch {
      return 0;
    }
  };
  const timer = setInterval(() => (peak = Math.max(peak, size())), 500);
  return {
    stop() {
      clearInterval(timer);
      return Math.round(Math.max(peak, size()) / 2 ** 20);
    },
  };
}

type Task = (args: { inputs: RunInputs; workDir: string }) => Promise<Omit<ChildResult, 'peak_rss_mb'>>;

const rowsOf = (summary: { inputs: Record<string, { read: number } | undefined> }) => Object.values(summary.inputs).reduce((a, s) => a + (s?.read ?? 0), 0);

const tasks: Record<string, Task> = {
  /** The floor: DuckDB's own read_csv of each input file into a fresh database file. */
  async 'duckdb-read-csv'({ inputs, workDir }) {
    const { database } = benchConfig();
    const db = await openDatabase(join(workDir, 'floor.duckdb'), { threads: database.threads, memoryLimit: database.memory_limit });
    const files = [inputs.calworks, inputs.cws, inputs.workers, inputs.contacts].filter((f): f is string => !!f);
    const started = performance.now();
    let rows = 0;
    for (const [i, file] of files.entries()) {
      await db.exec(`CREATE TABLE t${i} AS SELECT * FROM read_csv(${lit(file)})`);
      rows += await db.count(`SELECT count(*) FROM t${i}`);
    }
    const seconds = (performance.now() - started) / 1000;
    db.close();
    return { seconds, rows };
  },

  /** Stage ingest alone, through the runner (transaction, commit), on a fresh database. */
  async ingest({ inputs, workDir }) {
    const config = benchConfig();
    const db = await openDatabase(join(workDir, 'ingest.duckdb'), { threads: config.database.threads, memoryLimit: config.database.memory_limit });
    const started = performance.now();
    const result = await runPipeline({
      db,
      config,
      log: silentLogger,
      progress: noProgress,
      inputs,
      outRoot: join(workDir, 'out'),
      stages: [ingestStage],
    });
    const seconds = (performance.now() - started) / 1000;
    db.close();
    return { seconds, rows: rowsOf(result.summary), detail: { stages: result.summary.stages } };
  },

  /** Stages ingest, normalize and match through the runner: the matching stages' seconds, candidate pairs, RSS. */
  async match({ inputs, workDir }) {
    const config = benchConfig();
    const db = await openDatabase(join(workDir, 'match.duckdb'), { threads: config.database.threads, memoryLimit: config.database.memory_limit });
    const started = performance.now();
    const result = await runPipeline({
      db,
      config,
      log: silentLogger,
      progress: noProgress,
      inputs,
      outRoot: join(workDir, 'out'),
      stages: [ingestStage, normalizeStage, matchStage],
    });
    const seconds = (performance.now() - started) / 1000;
    db.close();
    const match = result.summary.match as { candidate_pairs: number; links: number };
    const matchSteps = result.summary.stages.find((s) => s.stage === 'match')?.steps;
    return {
      seconds,
      rows: rowsOf(result.summary),
      detail: { stages: result.summary.stages, candidate_pairs: match.candidate_pairs, links: match.links, match_seconds: matchSteps },
    };
  },

  /** The whole `linkages run` as a user runs it (every stage built so far). */
  async run({ inputs, workDir }) {
    const args = ['run', '--calworks', inputs.calworks, '--cws', inputs.cws];
    if (inputs.workers) args.push('--workers', inputs.workers);
    if (inputs.contacts) args.push('--contacts', inputs.contacts);
    args.push('--db', join(workDir, 'run.duckdb'), '--out', join(workDir, 'out'), '--log-level', 'warn', '--quiet');
    if (process.env.BENCH_THREADS) {
      const path = join(workDir, 'config.json');
      writeFileSync(path, JSON.stringify({ database: { threads: Number(process.env.BENCH_THREADS) } }));
      args.push('--config', path);
    }
    // BENCH_RERUN=1: the night run a second time into the same database (a re-run after a crash or
    // a correction), and that second run measured: it undoes and redoes the night's registry ids.
    if (process.env.BENCH_RERUN === '1') {
      await cli(args);
      if (process.exitCode) throw new Error(`linkages run exited ${process.exitCode}`);
    }
    const spill = sampleSpill(join(workDir, 'run.duckdb.tmp'));
    const started = performance.now();
    await cli(args);
    const seconds = (performance.now() - started) / 1000;
    const peakTempMb = spill.stop();
    if (process.exitCode) throw new Error(`linkages run exited ${process.exitCode}`);
    const { readFileSync } = await import('node:fs');
    const night = readdirSync(join(workDir, 'out')).find((d) => /^\d{4}-\d{2}-\d{2}$/.test(d));
    const summary = JSON.parse(readFileSync(join(workDir, 'out', night!, 'run_summary.json'), 'utf8'));
    return {
      seconds,
      rows: rowsOf(summary),
      detail: {
        stages: summary.stages,
        caps: summary.caps ?? [],
        links: summary.match?.links,
        review_pairs: summary.match?.review_pairs,
        peak_temp_mb: peakTempMb,
        db_mb: Math.round(statSync(join(workDir, 'run.duckdb')).size / 2 ** 20),
      },
    };
  },
};

async function main(): Promise<void> {
  const [name, json] = process.argv.slice(2);
  const task = name ? tasks[name] : undefined;
  if (!task || !json) throw new Error(`usage: child.js <${Object.keys(tasks).join('|')}> <json>`);
  const workDir = mkdtempSync(join(process.env.BENCH_TMP ?? tmpdir(), `bench-${name}-`));
  try {
    const r = await task({ inputs: JSON.parse(json) as RunInputs, workDir });
    const out: ChildResult = { ...r, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench child failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
