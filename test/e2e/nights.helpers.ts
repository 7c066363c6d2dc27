/**
 * Helpers for the multi-night tests: a generated county with its later
 * nights and truth (src/synth/nights.ts), `linkages run` of a night through
 * the built CLI, and an in-process run where matching is replaced by the
 * true links (so classify, assign and notify are checked without matching
 * errors).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Papa from 'papaparse';
import { defaultConfig } from '../../src/config/load.js';
import type { Db } from '../../src/db/database.js';
import { dateLit, lit } from '../../src/db/sql.js';
import { reexportNight, exportStage } from '../../src/export/index.js';
import { ingestStage } from '../../src/ingest/index.js';
import { normalizeStage } from '../../src/normalize/index.js';
import { classifyStage } from '../../src/classify/index.js';
import { assignStage } from '../../src/assign/index.js';
import { notifyStage } from '../../src/notify/index.js';
import { runPipeline } from '../../src/pipeline/runner.js';
import type { Stage } from '../../src/pipeline/stage.js';
import { silentLogger } from '../../src/runtime/logger.js';
import { noProgress } from '../../src/runtime/progress.js';
import { generate } from '../../src/synth/generate.js';
import { nightDir, writeNights } from '../../src/synth/nights.js';
import { runCli, type CliResult } from '../helpers/cli.js';

export const NIGHT1 = '2026-11-20';
export const NIGHT2 = '2026-11-21';

/** A county of `families` with `nights` nights under `dir`. */
export async function makeNights(dir: string, families: number, seed: number, nights = 2): Promise<string[]> {
  await generate({ families, seed, out: dir, extractDate: NIGHT1 });
  writeNights({ families, seed, out: dir, extractDate: NIGHT1, nights });
  return Array.from({ length: nights }, (_, k) => nightDir(dir, k + 1));
}

export function inputArgs(data: string): string[] {
  return [
    '--calworks',
    join(data, 'calworks.csv'),
    '--cws',
    join(data, 'cws.csv'),
    '--workers',
    join(data, 'workers.csv'),
    '--contacts',
    join(data, 'contacts.csv'),
  ];
}

export function runNight(data: string, db: string, out: string, extra: string[] = [], env: Record<string, string> = {}): CliResult {
  return runCli(['run', ...inputArgs(data), '--db', db, '--out', out, '--log-level', 'error', '--quiet', ...extra], { env });
}

/** Every file under `dir` (relative path -> bytes), run_summary.json without its timing fields. */
export function snapshotFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), name === 'run_summary.json' ? summaryWithoutTimings(p) : readFileSync(p, 'latin1'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/**
 * run_summary.json without the fields that measure the run rather than
 * describe the night: stages[].seconds and .steps, and peak_rss_mb.
 */
export function withoutTimings<T extends { stages: { seconds?: number; steps?: unknown }[]; peak_rss_mb?: number }>(s: T): T {
  for (const st of s.stages) {
    delete st.seconds;
    delete st.steps;
  }
  delete s.peak_rss_mb;
  return s;
}

export function summaryWithoutTimings(path: string): string {
  return JSON.stringify(withoutTimings(JSON.parse(readFileSync(path, 'utf8'))));
}

export function readCsvRows(path: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;
}

/**
 * Stage `match` replaced by the truth: clusters from truth.csv's parent
 * pairs (both records present tonight and not SEALED), one component per
 * real person, id = its smallest CalWORKs person id.
 */
export function truthLinksStage(truthFile: () => string): Stage {
  return {
    name: 'match',
    description: 'true links (tests)',
    built: true,
    async run(ctx) {
      const d = dateLit(ctx.runDate);
      await ctx.db.exec(`
        CREATE OR REPLACE TEMP TABLE tmp_truth_pairs AS
        SELECT t.calworks_person_id AS l, t.cws_client_id AS r
        FROM read_csv(${lit(truthFile())}, header = true, all_varchar = true) t
        WHERE t.role = 'PARENT'
          AND t.calworks_person_id IN (SELECT person_key FROM int_persons WHERE system = 'CALWORKS' AND role = 'PARENT')
          AND t.cws_client_id IN (SELECT person_key FROM int_persons WHERE system = 'CWS' AND role = 'PARENT');
        DELETE FROM clusters WHERE run_date = ${d};
        INSERT INTO clusters
        WITH c AS (SELECT r, min(l) AS m FROM tmp_truth_pairs GROUP BY r),
             id AS (SELECT p.l, min(c.m) AS id FROM tmp_truth_pairs p JOIN c USING (r) GROUP BY p.l)
        SELECT DISTINCT ${d}, 'T' || id.id, 'CALWORKS', id.l FROM id
        UNION
        SELECT DISTINCT ${d}, 'T' || id.id, 'CWS', p.r FROM tmp_truth_pairs p JOIN id USING (l);`);
    },
  };
}

/** One night in-process with the true links instead of matching. */
export async function runNightWithTruthLinks(db: Db, data: string, out: string) {
  const config = defaultConfig();
  return runPipeline({
    db,
    config,
    log: silentLogger,
    progress: noProgress,
    inputs: {
      calworks: join(data, 'calworks.csv'),
      cws: join(data, 'cws.csv'),
      workers: join(data, 'workers.csv'),
      contacts: join(data, 'contacts.csv'),
    },
    outRoot: out,
    stages: [ingestStage, normalizeStage, truthLinksStage(() => join(data, 'truth.csv')), classifyStage, assignStage, notifyStage, exportStage],
    reexport: reexportNight,
  });
}
