/**
 * Steps 2-3 of ingest: every input file to its raw_<input> (all text) and
 * rej_<input> (structural rejects) tables, then the caller's validation. A
 * plain CSV file DuckDB reads itself (plainCsv.ts); other CSV files parse at
 * the same time in worker threads, and DuckDB loads each intermediate file as
 * soon as it is written (one statement at a time on the one connection).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PQueue from 'p-queue';
import { usageError } from '../runtime/errors.js';
import type { RunContext } from '../pipeline/stage.js';
import { sha256File } from '../runtime/files.js';
import type { Progress } from '../runtime/progress.js';
import { readArrowToRaw } from './arrowReader.js';
import { parseCsv } from './csvParse.js';
import { loadParquetRaw } from './parquetReader.js';
import type { Prepared } from './preflight.js';
import { maskPlan } from './mask.js';
import { dropRawTables, loadIntermediate } from './rawTable.js';
import { loadPlainCsv, scanPlainCsv } from './plainCsv.js';

export interface ReadOutcome {
  sha256: string;
  /** Records read (header and blank lines excluded). */
  read: number;
  blankLines: number;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Where intermediate files go: DuckDB's temp directory (private to the owner).
 * They hold personal data, so folders left by a killed run are removed here.
 */
export function workRoot(ctx: RunContext): string {
  const root = ctx.config.database.temp_directory ?? (ctx.db.path === ':memory:' ? tmpdir() : `${ctx.db.path}.tmp`);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  for (const name of readdirSync(root)) {
    const m = /^linkages-ingest-(\d+)-/.exec(name);
    if (m && !alive(Number(m[1]))) rmSync(join(root, name), { recursive: true, force: true });
  }
  return mkdtempSync(join(root, `linkages-ingest-${process.pid}-`));
}

/**
 * Inputs parsed at the same time, each on its own worker thread: as many as the
 * night may use cores (`database.threads`), so a county that sets threads 1 to
 * leave a core to other work gets one parser, and a bigger server parses every
 * extract at once.
 */
export const fileConcurrency = (threads: number): number => Math.max(1, Math.floor(threads));

/**
 * Statements on the one connection run one at a time (concurrent statements on
 * one connection have crashed the client); readers queue their loads here.
 */
function serial(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>) => {
    const next = tail.then(fn);
    tail = next.catch(() => undefined);
    return next;
  };
}

/** One progress bar for all inputs, sized once the first chunk shows how long a record is. */
function sharedProgress(ctx: RunContext, totalBytes: number) {
  let bar: Progress | undefined;
  return {
    tick(records: number, bytes: number) {
      if (!bar && records > 0 && bytes > 0) bar = ctx.progress.start('ingest', Math.round((totalBytes * records) / bytes));
      bar?.tick(records);
    },
    done() {
      bar?.done();
    },
  };
}

/** One input: its raw_<input> and rej_<input> tables. */
async function readInput(
  ctx: RunContext,
  p: Prepared,
  work: string,
  onDb: ReturnType<typeof serial>,
  progress: ReturnType<typeof sharedProgress>,
): Promise<ReadOutcome> {
  const { spec, path } = p;
  const rowsPath = join(work, `${spec.name}.rows`);
  const rejectsPath = join(work, `${spec.name}.rejects`);
  const width = p.plan.columns.length;
  const mask = maskPlan(spec, p.plan);
  if (p.format === 'parquet') {
    const read = await onDb(() => loadParquetRaw(ctx.db, spec, path, p.parquet!, p.plan));
    return { sha256: await sha256File(path), read, blankLines: 0 };
  }
  if (p.format === 'arrow') {
    const r = await readArrowToRaw({
      flag: spec.flag,
      path,
      encoding: ctx.config.input.encoding,
      rowsPath,
      rejectsPath,
      mask,
      ssnColumns: p.plan.columns.filter((c) => spec.fields.find((f) => f.name === c.field)?.meta.kind === 'ssn').map((c) => c.position),
      onProgress: (records) => progress.tick(records, 0),
    });
    await onDb(() => loadIntermediate(ctx.db, spec.name, width, rowsPath, rejectsPath, r));
    return { sha256: await sha256File(path), read: r.read, blankLines: 0 };
  }
  const scan = await scanPlainCsv(path, width, ctx.config.input.encoding);
  if (scan.plain && scan.sha256) {
    // DuckDB reads the file itself (plainCsv.ts); the careful reader below takes any other, and
    // this one too should DuckDB read it otherwise than the scan expects.
    const read = await onDb(() => loadPlainCsv(ctx.db, spec.name, width, path, scan.trim)).catch(() => -1);
    if (read === scan.records) {
      progress.tick(read, p.bytes);
      return { sha256: scan.sha256, read, blankLines: 0 };
    }
    ctx.log.info('ingest: the extract did not read as plain CSV; read record by record instead', { input: spec.name });
    await onDb(() => dropRawTables(ctx.db, spec.name));
  }
  const r = await parseCsv({
    path,
    encoding: ctx.config.input.encoding,
    rowsPath,
    rejectsPath,
    mask,
    onProgress: (records, bytes) => progress.tick(records, bytes),
  });
  if (!r.header) throw usageError(`${spec.flag} ${path}: the file is empty (no header row)`);
  if (r.header.length !== width) throw new Error(`${spec.name}: the header changed while reading`);
  await onDb(() => loadIntermediate(ctx.db, spec.name, width, rowsPath, rejectsPath, r));
  rmSync(rowsPath, { force: true });
  return { sha256: r.sha256, read: r.read, blankLines: r.blankLines };
}

/**
 * Read every input, and run `afterLoad` on each as soon as its raw table is
 * loaded (on the database queue, so the validation of a small file overlaps
 * the parsing of a large one). Results are in the order of `prepared`.
 */
export async function readInputs<T>(
  ctx: RunContext,
  prepared: Prepared[],
  work: string,
  afterLoad: (p: Prepared, outcome: ReadOutcome) => Promise<T>,
): Promise<T[]> {
  const onDb = serial();
  const progress = sharedProgress(
    ctx,
    prepared.reduce((a, p) => a + p.bytes, 0),
  );
  // Files fan out (parsing one while DuckDB loads another), bounded so a county
  // with many inputs does not hold every file's buffers at once.
  const files = new PQueue({ concurrency: fileConcurrency(ctx.config.database.threads) });
  const settled = await Promise.allSettled(
    prepared.map((p) =>
      files.add(async () => {
        const outcome = await readInput(ctx, p, work, onDb, progress);
        return onDb(() => afterLoad(p, outcome));
      }),
    ),
  );
  progress.done();
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
