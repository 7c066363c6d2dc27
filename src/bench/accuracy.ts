/**
 * `make bench-accuracy`: how well matching finds the true mutual clients, on
 * data with known truth, next to the exact-match rule counties use today
 * (exact valid SSN, or exact first name + last name + date of birth).
 *
 * Datasets, each also with the child-welfare SSNs removed:
 *   county   `linkages synth` (ACCURACY_FAMILIES, default 5,000) on several
 *            seeds (ACCURACY_SEEDS, default 424242,1001,1002,1003,1004,1005; none
 *            is the seed of sample-data/), each scored, then their mean and the
 *            worst seed per figure; truth = PARENT pairs of truth.csv, SEALED
 *            clients left out (they are never matched)
 *   second   an independent generator (secondCounty.ts): the look-alikes written
 *            a second way, straight into CSV (ACCURACY_SECOND_SIZES, default 50,000)
 *   febrl4   dataset4a as CalWORKs parents, dataset4b as child-welfare parents
 *   febrl3   dataset3 originals as CalWORKs, duplicates as child welfare
 * (see febrl.ts for how FEBRL records become interface extracts).
 *
 * Each runs the pipeline's stages ingest, normalize, match and export through
 * the runner with the default configuration, into a fresh database, and is
 * scored on the AUTO/CONFIRMED links: precision, recall, F1; the review queue
 * is reported as pairs, as % of true pairs, and how many of them are true.
 *
 * ACCURACY_ONLY=county,febrl4,... limits the datasets.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Db } from '../db/database.js';
import { lit } from '../db/sql.js';
import { runPipeline } from '../pipeline/runner.js';
import { ingestStage } from '../ingest/index.js';
import { normalizeStage } from '../normalize/index.js';
import { matchStage } from '../match/index.js';
import { exportStage } from '../export/index.js';
import { silentLogger } from '../runtime/logger.js';
import { noProgress } from '../runtime/progress.js';
import { defaultConfig } from '../config/load.js';
import { febrl3, febrl4 } from './febrl.js';
import { countWrongLinks, WRONG_KINDS, type WrongLinkCounts } from './wrongKinds.js';
import { writeSecondCounty } from './secondCounty.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

interface Dataset {
  name: string;
  /** Writes calworks.csv, cws.csv and truth.csv (calworks_person_id, cws_client_id) into dir. */
  make(dir: string, dropCwsSsn: boolean): void;
}

export interface AccuracyRow {
  dataset: string;
  truePairs: number;
  links: number;
  precision: number;
  recall: number;
  f1: number;
  review: number;
  reviewTrue: number;
  /** Denominator of the review share when it differs from truePairs (summary rows: the worst seed's true pairs). */
  truePairsForReview?: number;
  baseline: { precision: number; recall: number; f1: number };
  /** Wrong links by kind of look-alike (wrongKinds.ts). */
  wrong: WrongLinkCounts;
  /** The night's learned m and u per comparison level (model_params). */
  params?: { comparison: string; label: string; m: number; u: number; weight: number }[];
  seconds: number;
}

const f1 = (p: number, r: number) => (p + r ? (2 * p * r) / (p + r) : 0);

function writeTruth(dir: string, pairs: [string, string][]): void {
  writeFileSync(join(dir, 'truth.csv'), `calworks_person_id,cws_client_id\n${pairs.map(([a, b]) => `${a},${b}`).join('\n')}\n`);
}

/** Rewrite a CSV with one column blanked (all text kept as written). */
async function blankColumn(file: string, column: string): Promise<void> {
  const db = await openDatabase(':memory:', { threads: 2, memoryLimit: '2GB' });
  try {
    const tmp = `${file}.tmp`;
    await db.exec(
      `COPY (SELECT * REPLACE (NULL::VARCHAR AS ${column}) FROM read_csv(${lit(file)}, all_varchar = true, header = true))
       TO ${lit(tmp)} (FORMAT csv, HEADER true)`,
    );
    const { renameSync } = await import('node:fs');
    renameSync(tmp, file);
  } finally {
    db.close();
  }
}

const county = (families: number, seed: number): Dataset => ({
  name: `county ${families.toLocaleString('en-US')} families (seed ${seed})`,
  make(dir) {
    const r = spawnSync(process.execPath, [CLI, 'synth', '--families', String(families), '--seed', String(seed), '--out', dir], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`linkages synth failed (exit ${r.status})`);
  },
});

/** The independent generator (secondCounty.ts): look-alikes written a second way. */
const secondCounty = (families: number, seed: number): Dataset => ({
  name: `second generator ${families.toLocaleString('en-US')} families (seed ${seed})`,
  make(dir) {
    writeSecondCounty(dir, families, seed);
  },
});

const febrl = (name: string, fn: typeof febrl4): Dataset => ({
  name,
  make(dir, dropCwsSsn) {
    writeTruth(dir, fn(dir, { dropCwsSsn }).truth);
  },
});

/** Truth pairs as loaded into `truth (l, r)`: county truth.csv has a role column and SEALED clients to leave out. */
async function loadTruth(db: Db, dir: string): Promise<void> {
  const file = lit(join(dir, 'truth.csv'));
  const cols = await db.all<{ column_name: string }>(`DESCRIBE SELECT * FROM read_csv(${file}, all_varchar = true, header = true)`);
  const hasRole = cols.some((c) => c.column_name === 'role');
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE truth AS
    SELECT DISTINCT calworks_person_id AS l, cws_client_id AS r
    FROM read_csv(${file}, all_varchar = true, header = true)
    WHERE ${hasRole ? "role = 'PARENT'" : 'TRUE'}
      AND cws_client_id NOT IN (SELECT client_id FROM stg_cws WHERE sensitivity = 'SEALED')`);
}

/** The counties' rule today, on the same staged extracts: exact valid SSN, or exact first + last + DOB. */
async function baseline(db: Db): Promise<AccuracyRow['baseline']> {
  await db.exec(`
    CREATE OR REPLACE TEMP MACRO b_name(s) AS nullif(upper(trim(s)), '');
    CREATE OR REPLACE TEMP MACRO b_ssn(s) AS
      CASE WHEN s NOT IN ('000000000', '999999999', '123456789') AND substr(s, 1, 3) NOT IN ('000', '666')
            AND substr(s, 1, 1) <> '9' AND substr(s, 4, 2) <> '00' AND substr(s, 6, 4) <> '0000' THEN s END;
    CREATE OR REPLACE TEMP TABLE b_l AS SELECT DISTINCT person_id AS id, b_name(first_name) AS f, b_name(last_name) AS n, dob AS d, b_ssn(ssn) AS s
      FROM stg_calworks WHERE person_role = 'PARENT';
    CREATE OR REPLACE TEMP TABLE b_r AS SELECT DISTINCT client_id AS id, b_name(first_name) AS f, b_name(last_name) AS n, dob AS d, b_ssn(ssn) AS s
      FROM stg_cws WHERE client_role = 'PARENT' AND coalesce(sensitivity, 'NONE') <> 'SEALED';
    CREATE OR REPLACE TEMP TABLE b_links AS
      SELECT x.id AS l, y.id AS r FROM b_l x JOIN b_r y ON x.s = y.s
      UNION SELECT x.id, y.id FROM b_l x JOIN b_r y ON x.f = y.f AND x.n = y.n AND x.d = y.d;`);
  const c = await db.one<Record<string, number | string>>(`
    SELECT (SELECT count(*) FROM b_links) AS links, (SELECT count(*) FROM b_links JOIN truth USING (l, r)) AS tp,
           (SELECT count(*) FROM truth) AS truth`);
  const links = Number(c?.links ?? 0);
  const tp = Number(c?.tp ?? 0);
  const truth = Number(c?.truth ?? 0);
  const precision = links ? tp / links : 0;
  const recall = truth ? tp / truth : 0;
  return { precision, recall, f1: f1(precision, recall) };
}

export async function scoreDataset(name: string, dir: string, workDir: string): Promise<AccuracyRow> {
  const db = await openDatabase(join(workDir, 'bench.duckdb'), { threads: 2, memoryLimit: '2GB' });
  try {
    const started = performance.now();
    await runPipeline({
      db,
      config: defaultConfig(),
      log: silentLogger,
      progress: noProgress,
      inputs: { calworks: join(dir, 'calworks.csv'), cws: join(dir, 'cws.csv') },
      outRoot: join(workDir, 'out'),
      stages: [ingestStage, normalizeStage, matchStage, exportStage],
    });
    const seconds = (performance.now() - started) / 1000;
    await loadTruth(db, dir);
    const c = await db.one<Record<string, number | string>>(`
      SELECT (SELECT count(*) FROM truth) AS truth,
             (SELECT count(*) FROM links) AS links,
             (SELECT count(*) FROM links k JOIN truth t ON t.l = k.calworks_person_id AND t.r = k.cws_client_id) AS tp,
             (SELECT count(*) FROM review_queue) AS review,
             (SELECT count(*) FROM review_queue q JOIN truth t ON t.l = q.calworks_person_id AND t.r = q.cws_client_id) AS review_tp`);
    const n = (k: string) => Number(c?.[k] ?? 0);
    const precision = n('links') ? n('tp') / n('links') : 0;
    const recall = n('truth') ? n('tp') / n('truth') : 0;
    return {
      dataset: name,
      truePairs: n('truth'),
      links: n('links'),
      precision,
      recall,
      f1: f1(precision, recall),
      review: n('review'),
      reviewTrue: n('review_tp'),
      baseline: await baseline(db),
      wrong: await countWrongLinks(db),
      params: (
        await db.all<{ comparison: string; label: string; m: number; u: number; weight: number }>(
          `SELECT comparison, label, m, u, weight FROM model_params ORDER BY comparison, level`,
        )
      ).map((p) => ({ ...p, m: Number(p.m), u: Number(p.u), weight: Number(p.weight) })),
      seconds,
    };
  } finally {
    db.close();
  }
}

/**
 * Mean and worst over the county seeds (worst per figure: lowest precision,
 * recall and F1, largest review share), so one lucky seed cannot carry a claim.
 */
export function seedSummary(label: string, rows: AccuracyRow[]): AccuracyRow[] {
  if (rows.length < 2) return [];
  const mean = (f: (r: AccuracyRow) => number) => rows.reduce((a, r) => a + f(r), 0) / rows.length;
  const min = (f: (r: AccuracyRow) => number) => Math.min(...rows.map(f));
  const reviewShare = (r: AccuracyRow) => r.review / Math.max(r.truePairs, 1);
  const worstReview = rows.reduce((a, r) => (reviewShare(r) > reviewShare(a) ? r : a));
  const base = (f: (b: AccuracyRow['baseline']) => number, agg: typeof mean) => agg((r) => f(r.baseline));
  const summary = (name: string, agg: typeof mean, review: AccuracyRow): AccuracyRow => ({
    dataset: `${label}: ${name} of ${rows.length} seeds`,
    truePairs: Math.round(mean((r) => r.truePairs)),
    links: Math.round(mean((r) => r.links)),
    precision: agg((r) => r.precision),
    recall: agg((r) => r.recall),
    f1: agg((r) => r.f1),
    review: review.review,
    reviewTrue: review.reviewTrue,
    truePairsForReview: review.truePairs,
    baseline: { precision: base((b) => b.precision, agg), recall: base((b) => b.recall, agg), f1: base((b) => b.f1, agg) },
    wrong: Object.fromEntries(
      WRONG_KINDS.map((k) => [k, agg === mean ? Math.round(mean((r) => r.wrong[k])) : Math.max(...rows.map((r) => r.wrong[k]))]),
    ) as unknown as WrongLinkCounts,
    seconds: mean((r) => r.seconds),
  });
  const meanReview: AccuracyRow = {
    ...rows[0]!,
    review: Math.round(mean((r) => r.review)),
    reviewTrue: Math.round(mean((r) => r.reviewTrue)),
    truePairs: Math.round(mean((r) => r.truePairs)),
  };
  return [summary('mean', mean, meanReview), summary('worst', min, worstReview)];
}

function printTable(rows: AccuracyRow[]): void {
  const head = [
    'dataset',
    'true pairs',
    'links',
    'precision',
    'recall',
    'F1',
    'review',
    'review %',
    'review true',
    'wrong: twin/jr-sr/namesake/other',
    'exact P',
    'exact R',
    'exact F1',
    'seconds',
  ];
  const body = rows.map((r) => [
    r.dataset,
    String(r.truePairs),
    String(r.links),
    r.precision.toFixed(4),
    r.recall.toFixed(4),
    r.f1.toFixed(4),
    String(r.review),
    ((100 * r.review) / Math.max(r.truePairsForReview ?? r.truePairs, 1)).toFixed(2),
    String(r.reviewTrue),
    WRONG_KINDS.map((k) => r.wrong[k]).join('/'),
    r.baseline.precision.toFixed(4),
    r.baseline.recall.toFixed(4),
    r.baseline.f1.toFixed(4),
    r.seconds.toFixed(1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  process.stdout.write(`${fmt(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${body.map(fmt).join('\n')}\n`);
}

/** m and u of each comparison level, one column pair per run (learned per night, so per size). */
function printParams(runs: { label: string; row: AccuracyRow }[]): void {
  const withParams = runs.filter((r) => r.row.params?.length);
  if (!withParams.length) return;
  const keys = withParams[0]!.row.params!.map((p) => `${p.comparison}: ${p.label}`);
  const head = ['comparison: level', ...withParams.flatMap((r) => [`m ${r.label}`, `u ${r.label}`, `w ${r.label}`])];
  const body = keys.map((key, i) => [
    key,
    ...withParams.flatMap((r) => {
      const p = r.row.params![i];
      return p ? [p.m.toExponential(2), p.u.toExponential(2), p.weight.toFixed(1)] : ['', '', ''];
    }),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  process.stdout.write(
    `\nlearned m, u and weight (bits) per level, by county size\n${fmt(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${body.map(fmt).join('\n')}\n`,
  );
}

/**
 * Sizes (ACCURACY_SIZES, default 5,000, 50,000 and 300,000 families): the
 * smallest on every seed of ACCURACY_SEEDS (mean and worst shown), the larger
 * on the first seed. The variant without child-welfare SSNs runs on sizes up
 * to ACCURACY_NOSSN_MAX (default 50,000) families.
 */
async function main(): Promise<void> {
  const sizes = (process.env.ACCURACY_SIZES ?? process.env.ACCURACY_FAMILIES ?? '5000,50000,300000')
    .split(',')
    .map((s) => Number(s.trim()))
    .sort((a, b) => a - b);
  const seeds = (process.env.ACCURACY_SEEDS ?? process.env.ACCURACY_SEED ?? '424242,1001,1002').split(',').map((s) => Number(s.trim()));
  const noSsnMax = Number(process.env.ACCURACY_NOSSN_MAX ?? 50000);
  const only = process.env.ACCURACY_ONLY?.split(',').map((s) => s.trim());
  const root = mkdtempSync(join(tmpdir(), 'linkages-accuracy-'));
  const rows: AccuracyRow[] = [];
  const paramRuns: { label: string; row: AccuracyRow }[] = [];
  const run = async (key: string, ds: Dataset, dropCwsSsn: boolean, tag: string): Promise<AccuracyRow> => {
    const name = `${ds.name}${dropCwsSsn ? ', no child-welfare SSNs' : ''}`;
    process.stderr.write(`bench-accuracy: ${name} ...\n`);
    const dir = join(root, `${key}-${tag}${dropCwsSsn ? '-nossn' : ''}`);
    const work = join(dir, 'work');
    mkdirSync(work, { recursive: true });
    ds.make(dir, dropCwsSsn);
    if (dropCwsSsn && key === 'county') await blankColumn(join(dir, 'cws.csv'), 'ssn');
    const row = await scoreDataset(name, dir, work);
    if (process.env.KEEP_TMP !== '1') rmSync(dir, { recursive: true, force: true });
    return row;
  };
  try {
    if (!only || only.includes('county')) {
      for (const [si, families] of sizes.entries()) {
        const sizeSeeds = si === 0 ? seeds : seeds.slice(0, 1);
        const countyRows: AccuracyRow[][] = [[], []];
        for (const dropCwsSsn of families <= noSsnMax ? [false, true] : [false]) {
          for (const seed of sizeSeeds) {
            const row = await run('county', county(families, seed), dropCwsSsn, `${families}-${seed}`);
            countyRows[dropCwsSsn ? 1 : 0]!.push(row);
            if (!dropCwsSsn && seed === sizeSeeds[0]) paramRuns.push({ label: `${families / 1000}k`, row });
          }
        }
        const label = `county ${families.toLocaleString('en-US')} families`;
        rows.push(
          ...countyRows[0]!,
          ...seedSummary(label, countyRows[0]!),
          ...countyRows[1]!,
          ...seedSummary(`${label}, no child-welfare SSNs`, countyRows[1]!),
        );
      }
    }
    const secondSizes = (process.env.ACCURACY_SECOND_SIZES ?? '50000')
      .split(',')
      .map((x) => Number(x.trim()))
      .filter((x) => x > 0);
    const others: [string, Dataset][] = [
      ...secondSizes.map((n): [string, Dataset] => ['second', secondCounty(n, 77)]),
      ['febrl4', febrl('FEBRL 4 (4a CalWORKs, 4b child welfare)', febrl4)],
      ['febrl3', febrl('FEBRL 3 split (originals CalWORKs, duplicates child welfare)', febrl3)],
    ];
    for (const [n, [key, ds]] of others.entries()) {
      if (only && !only.includes(key)) continue;
      for (const dropCwsSsn of key === 'second' ? [false] : [false, true]) rows.push(await run(key, ds, dropCwsSsn, `${key}-${n}`));
    }
  } finally {
    if (process.env.KEEP_TMP !== '1') rmSync(root, { recursive: true, force: true });
  }
  process.stdout.write('\nlinkages bench-accuracy: AUTO and CONFIRMED links against truth, default configuration\n');
  printTable(rows);
  printParams(paramRuns);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench-accuracy failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
