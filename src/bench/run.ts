/**
 * `make bench`: speed and memory of the pipeline on synthetic county data,
 * against a floor measured in the same run (DuckDB's own read_csv of the same
 * files), so a slow or busy machine shows in both numbers and not in the ratio.
 *
 * Each scenario is a function returning rows for the printed table; every
 * measured thing runs in its own child process (child.ts) so its peak RSS is
 * its own. Add a scenario (matching figures, a 4x scaling run) by adding a
 * function to `scenarios`. Scenario `degenerate` runs the four degenerate
 * counties of degenerate.ts at full size (its own data; the main county is
 * generated only when a scenario asks for ctx.data).
 *
 * Environment: BENCH_FAMILIES (default 300000), BENCH_SEED (default 1),
 * BENCH_ONLY (comma-separated scenario names, e.g. `BENCH_ONLY=degenerate make bench`).
 */
import { formatCount } from '../runtime/progress.js';
import { measure } from './measure.js';
import { degenerateData, synthData, type BenchData } from './synthData.js';
import type { DegenerateKind } from './degenerate.js';
import type { ChildResult } from './child.js';

export interface BenchRow {
  scenario: string;
  data: string;
  rows: number;
  seconds: number;
  peakRssMb: number;
  /** Seconds over the floor's seconds on the same data, when there is a floor. */
  ratio?: number;
  note?: string;
}

export interface BenchContext {
  /** The county of BENCH_FAMILIES families, generated when a scenario first asks for it. */
  readonly data: BenchData;
  seed: number;
  /** Extra tables a scenario prints after the main one (already formatted). */
  tables: string[];
  /** The floor of this data set, measured once per bench run (see floor()). */
  floor(): Promise<ChildResult>;
  /** The whole night on this data set, measured once per bench run. */
  fullRun(): Promise<ChildResult>;
}

export type Scenario = (ctx: BenchContext) => Promise<BenchRow[]>;

const row = (scenario: string, ctx: BenchContext, r: ChildResult, floor?: ChildResult, note?: string): BenchRow => ({
  scenario,
  data: ctx.data.label,
  rows: r.rows,
  seconds: r.seconds,
  peakRssMb: r.peak_rss_mb,
  ...(floor ? { ratio: r.seconds / floor.seconds } : {}),
  ...(note ? { note } : {}),
});

export const scenarios: Record<string, Scenario> = {
  async floor(ctx) {
    return [row('duckdb read_csv (floor)', ctx, await ctx.floor(), undefined, 'CREATE TABLE AS SELECT * FROM read_csv, each input file')];
  },
  async ingest(ctx) {
    const floor = await ctx.floor();
    const r = await measure('ingest', ctx.data.inputs);
    return [row('ingest', ctx, r, floor, 'stage ingest through the runner, commit included; goal: ratio <= 3, RSS < 2048 MiB')];
  },
  /** Normalize and match (after ingest, in one process): their seconds, the candidate pairs, the peak RSS. */
  async match(ctx) {
    const r = await measure('match', ctx.data.inputs);
    const stages = (r.detail?.stages as { stage: string; seconds: number }[] | undefined) ?? [];
    const sec = (name: string) => stages.find((s) => s.stage === name)?.seconds ?? 0;
    const pairs = Number(r.detail?.candidate_pairs ?? 0).toLocaleString('en-US');
    const links = Number(r.detail?.links ?? 0).toLocaleString('en-US');
    const peak = `peak RSS of ingest+normalize+match`;
    return [
      { scenario: 'normalize', data: ctx.data.label, rows: r.rows, seconds: sec('normalize'), peakRssMb: r.peak_rss_mb, note: peak },
      {
        scenario: 'match',
        data: ctx.data.label,
        rows: r.rows,
        seconds: sec('match'),
        peakRssMb: r.peak_rss_mb,
        note: `${pairs} candidate pairs, ${links} links; ${peak}`,
      },
    ];
  },
  /** Near-linear? The whole night on a quarter of the families against the full size (goal: at most 4.4x the time for 4x). */
  async scaling(ctx) {
    const quarter = synthData(Math.round(ctx.data.families / 4), ctx.seed);
    const small = await measure('run', quarter.inputs);
    const full = await ctx.fullRun();
    const ratio = full.seconds / small.seconds;
    return [
      { scenario: 'linkages run', data: quarter.label, rows: small.rows, seconds: small.seconds, peakRssMb: small.peak_rss_mb },
      {
        scenario: 'linkages run',
        data: ctx.data.label,
        rows: full.rows,
        seconds: full.seconds,
        peakRssMb: full.peak_rss_mb,
        note: `${ratio.toFixed(2)}x the time for ${(full.rows / small.rows).toFixed(2)}x the rows (goal <= 4.4x for 4x)`,
      },
    ];
  },
  /**
   * Cores: every stage's seconds at threads 1 and 2, side by side, next to DuckDB's own read_csv of the
   * same files at 1 and 2 threads. Goal: the night's 2/1 ratio no worse than the read's. On the bench's
   * county (its 2-thread floor and night are the ones the other scenarios measure), or on a county of
   * BENCH_THREADS_FAMILIES. A county's size matters here: DuckDB splits work by row groups of 122,880
   * rows, so a small county's tables give a second thread little to do.
   */
  async threads(ctx) {
    const own = process.env.BENCH_THREADS_FAMILIES ? synthData(Number(process.env.BENCH_THREADS_FAMILIES), ctx.seed) : undefined;
    const data = own ?? ctx.data;
    const floor1 = await measure('duckdb-read-csv', data.inputs, { threads: 1 });
    const floor2 = own ? await measure('duckdb-read-csv', data.inputs, { threads: 2 }) : await ctx.floor();
    const run1 = await measure('run', data.inputs, { threads: 1 });
    const run2 = own ? await measure('run', data.inputs, { threads: 2 }) : await ctx.fullRun();
    const stagesOf = (r: ChildResult) => (r.detail?.stages as { stage: string; status: string; seconds: number }[] | undefined) ?? [];
    const lines: [string, number, number][] = [['duckdb read_csv (floor)', floor1.seconds, floor2.seconds]];
    for (const s of stagesOf(run1)) {
      const two = stagesOf(run2).find((x) => x.stage === s.stage);
      if (two) lines.push([`  ${s.stage}`, s.seconds, two.seconds]);
    }
    lines.push(['linkages run (whole night)', run1.seconds, run2.seconds]);
    ctx.tables.push(threadsTable(data.label, lines, run1.seconds / floor1.seconds, run2.seconds / floor2.seconds));
    const ratio = (a: ChildResult, b: ChildResult) => (b.seconds / a.seconds).toFixed(2);
    const on = { data } as BenchContext;
    return [
      row('duckdb read_csv, threads 1', on, floor1),
      row('duckdb read_csv, threads 2', on, floor2, undefined, `2/1 threads: ${ratio(floor1, floor2)}`),
      row('linkages run, threads 1', on, run1, floor1),
      row('linkages run, threads 2', on, run2, floor2, `2/1 threads: ${ratio(run1, run2)} (goal: no worse than read_csv's ${ratio(floor1, floor2)})`),
    ];
  },
  /** The night on a harder county of the same size: 4x the look-alike families, most at one address (BENCH_LOOKALIKES). */
  async lookalikes(ctx) {
    const k = Number(process.env.BENCH_LOOKALIKES ?? 4);
    const data = synthData(Number(process.env.BENCH_FAMILIES ?? 300_000), ctx.seed, '.bench', k);
    const floor = await measure('duckdb-read-csv', data.inputs);
    const r = await measure('run', data.inputs);
    const on = { data } as BenchContext;
    return [
      row('duckdb read_csv (floor)', on, floor),
      row(
        'linkages run',
        on,
        r,
        floor,
        `${Number(r.detail?.links ?? 0).toLocaleString('en-US')} links, ${Number(r.detail?.review_pairs ?? 0).toLocaleString('en-US')} to review; goal: RSS < 2560 MiB, <= 8x floor`,
      ),
    ];
  },
  /** The same night run again into the same database (after a crash, after a correction): the second run's seconds. */
  async rerun(ctx) {
    const floor = await ctx.floor();
    const r = await measure('run', ctx.data.inputs, { rerun: true });
    return [row('linkages run, the same night again', ctx, r, floor, 'the night re-run over itself (undo and redo of its mutual-client ids)')];
  },
  async run(ctx) {
    const floor = await ctx.floor();
    const r = await ctx.fullRun();
    const stages = (r.detail?.stages as { stage: string; status: string; seconds: number }[] | undefined) ?? [];
    const built = stages
      .filter((s) => s.status === 'ok')
      .map((s) => `${s.stage} ${s.seconds}s`)
      .join(', ');
    const disk = `peak temp space ${Number(r.detail?.peak_temp_mb ?? 0).toLocaleString('en-US')} MiB, database ${Number(r.detail?.db_mb ?? 0).toLocaleString('en-US')} MiB`;
    return [row('linkages run', ctx, r, floor, `${built}; ${disk}; goal: RSS < 2560 MiB, <= 8x floor`)];
  },
  /**
   * The four degenerate counties of issue 9 at full size, each a whole `linkages run`
   * (default config): seconds, peak RSS (goal < 2560 MiB) and what the night capped.
   */
  async degenerate(ctx) {
    const cases: [DegenerateKind, number, number?][] = [
      ['shelter', 20_000],
      ['namesakes', 30_000],
      ['big_referral', 5_000, 2_000],
      ['placeholder_ssn', 50_000],
    ];
    const rows: BenchRow[] = [];
    for (const [kind, families, size] of cases) {
      const data = degenerateData(kind, families, ctx.seed, size);
      process.stderr.write(`bench: degenerate ${kind} ...\n`);
      const r = await measure('run', data.inputs);
      const caps = (r.detail?.caps as { cap: string; count: number }[] | undefined) ?? [];
      const links = Number(r.detail?.links ?? 0).toLocaleString('en-US');
      const capped = caps.map((c) => `${c.cap} ${c.count.toLocaleString('en-US')}`).join(', ') || 'nothing capped';
      rows.push({
        scenario: `degenerate ${kind}`,
        data: kind === 'big_referral' ? `${data.label}, ${size!.toLocaleString('en-US')} clients on one referral` : data.label,
        rows: r.rows,
        seconds: r.seconds,
        peakRssMb: r.peak_rss_mb,
        note: `${links} links, ${Number(r.detail?.review_pairs ?? 0).toLocaleString('en-US')} to review; capped: ${capped}`,
      });
    }
    return rows;
  },
};

function threadsTable(label: string, lines: [string, number, number][], x1: number, x2: number): string {
  const head = ['stage', 'threads 1 (s)', 'threads 2 (s)', '2/1 ratio'];
  const body = lines.map(([name, a, b]) => [name, a.toFixed(2), b.toFixed(2), a > 0 ? (b / a).toFixed(2) : '']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return `\nthreads 1 and 2, ${label}: seconds per stage (the night over the floor: ${x1.toFixed(2)}x at 1 thread, ${x2.toFixed(2)}x at 2)\n${fmt(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${body.map(fmt).join('\n')}\n`;
}

function printTable(rows: BenchRow[]): void {
  const head = ['scenario', 'data', 'rows', 'seconds', 'rows/s', 'peak RSS MiB', 'x floor', 'note'];
  const body = rows.map((r) => [
    r.scenario,
    r.data,
    formatCount(r.rows),
    r.seconds.toFixed(2),
    formatCount(r.rows / r.seconds),
    String(r.peakRssMb),
    r.ratio === undefined ? '' : r.ratio.toFixed(2),
    r.note ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 6 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  process.stdout.write(`${fmt(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${body.map(fmt).join('\n')}\n`);
}

async function main(): Promise<void> {
  const families = Number(process.env.BENCH_FAMILIES ?? 300_000);
  const seed = Number(process.env.BENCH_SEED ?? 1);
  const only = process.env.BENCH_ONLY?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  let data: BenchData | undefined;
  let floorRun: Promise<ChildResult> | undefined;
  let fullRun: Promise<ChildResult> | undefined;
  const ctx: BenchContext = {
    get data() {
      return (data ??= synthData(families, seed));
    },
    seed,
    tables: [],
    floor: () => (floorRun ??= measure('duckdb-read-csv', ctx.data.inputs)),
    fullRun: () => (fullRun ??= measure('run', ctx.data.inputs)),
  };
  const rows: BenchRow[] = [];
  for (const [name, scenario] of Object.entries(scenarios)) {
    if (only && !only.includes(name)) continue;
    process.stderr.write(`bench: ${name} ...\n`);
    rows.push(...(await scenario(ctx)));
  }
  const about = data ? `${data.label} (seed ${seed}), ${(data.bytes / 1e6).toFixed(0)} MB of extracts` : `seed ${seed}`;
  process.stdout.write(`\nlinkages bench: ${about}\n`);
  printTable(rows);
  for (const t of ctx.tables) process.stdout.write(t);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
