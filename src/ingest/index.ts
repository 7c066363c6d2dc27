/**
 * Stage `ingest`: load tonight's extracts into DuckDB so that nothing is lost
 * and every rejected row is explained.
 *
 * Steps 1-3 run in `prepare`, before the night's transaction; 4-5 in `run`.
 *
 *   1. check every input before reading any in full: file type, empty file,
 *      header against the schema (header.ts); problems are exit 2, one line
 *   2. read: a plain CSV file (plainCsv.ts: one record per LF line, quotes
 *      around whole fields, UTF-8; what counties send) and Parquet by DuckDB
 *      itself; any other CSV record by record (csvRecords.ts) in worker threads
 *      and Arrow with apache-arrow, into intermediate files bulk-loaded by DuckDB
 *      -> raw_<input> (all text) and rej_<input> (structural rejects)
 *   3. validate in SQL compiled from the zod schemas -> val_<input>: typed
 *      values and a reason list per row (validate.ts); stg_<input> are TEMP
 *      views of its valid rows, for the other stages' prepare (tables.ts);
 *      the run date (latest extract_date unless given)
 *   4. persist the night:
 *      quarantine and snap_<input> keyed by run_date, snapshot retention;
 *      stg_<input> become views of tonight's snapshot (while the working tables
 *      are in memory, the TEMP views of step 3 shadow them until the night
 *      ends: `finish`)
 *   5. run_summary inputs, ledger checksums, one log line per input (counts only)
 */
import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import { dateLit } from '../db/sql.js';
import { conflictingIdsSql, decideRunDate, otherExtractDatesSql } from './runDate.js';
import { ledgerUpdate } from '../pipeline/ledger.js';
import type { RunContext, Stage } from '../pipeline/stage.js';
import type { InputSummary } from '../pipeline/summary.js';
import { INPUT_NAMES, type InputName, type InputSpec } from './inputs.js';
import { parquetColumns } from './parquetReader.js';
import { prepare, type Prepared } from './preflight.js';
import { dropRawTables } from './rawTable.js';
import { readInputs, workRoot, type ReadOutcome } from './readInputs.js';
import { pruneSnapshots, writeSnapshot } from './snapshots.js';
import { endStagingPreview, previewStaging, publishStaging, INGEST_TABLES } from './tables.js';
import { quarantineRowsSql, validateInput, validatedTable, type ValidationCounts } from './validate.js';

const TONIGHT_QUARANTINE = 'ingest_quarantine_tonight';

interface Loaded {
  prepared: Prepared[];
  results: { outcome: ReadOutcome; counts: ValidationCounts; quarantined: number }[];
  summaries: Map<InputName, InputSummary>;
}

/** What `prepare` read, for `run` (one entry per run context). */
const loaded = new WeakMap<RunContext, Loaded>();

/**
 * Steps 1-3, before the night's transaction: the raw and validated tables are
 * TEMP scratch, and DuckDB frees a dropped TEMP table's memory at once only
 * outside a transaction (see Stage.prepare).
 */
async function readAndValidate(ctx: RunContext): Promise<void> {
  const { db, log } = ctx;
  const started = performance.now();
  const given = INPUT_NAMES.filter((n) => ctx.inputs[n]);
  const prepared: Prepared[] = [];
  const describe = (spec: InputSpec, path: string) => parquetColumns(ctx.db, spec, path);
  for (const name of given) prepared.push(await prepare(name, ctx.inputs[name]!, ctx.config, describe));

  const work = workRoot(ctx);
  try {
    // Steps 2-3: parse every file at once (worker threads); DuckDB loads and validates each as soon as it is parsed.
    await db.exec(`CREATE OR REPLACE TEMP TABLE ${TONIGHT_QUARANTINE} (input VARCHAR, source_file VARCHAR, line BIGINT, reason VARCHAR, raw_row VARCHAR)`);
    const results = await readInputs(ctx, prepared, work, async (p, o) => {
      const counts = await validateInput(db, p.spec, p.plan);
      await db.exec(`INSERT INTO ${TONIGHT_QUARANTINE} ${quarantineRowsSql(p.spec, p.plan, basename(p.path), counts.invalid > 0)}`);
      const quarantined = await db.count(`SELECT count(*) FROM ${TONIGHT_QUARANTINE} WHERE input = '${p.spec.name}'`);
      await dropRawTables(db, p.spec.name);
      if (o.read !== counts.loaded + quarantined) {
        throw new Error(`ingest accounting broke for ${p.spec.name}: read ${o.read}, loaded ${counts.loaded}, quarantined ${quarantined}`);
      }
      return { outcome: o, counts, quarantined };
    });
    const summaries = new Map<InputName, InputSummary>();
    for (const [i, p] of prepared.entries()) {
      const { outcome: o, counts, quarantined } = results[i]!;
      summaries.set(p.spec.name, {
        file: p.path,
        format: p.format,
        sha256: o.sha256,
        read: o.read,
        loaded: counts.loaded,
        quarantined,
        unknown_values: counts.unknownValues,
      });
      const unknown = Object.values(counts.unknownValues).reduce((a, b) => a + b, 0);
      log.info(`ingest: ${p.spec.name}${o.read === 0 ? ' (header only: 0 rows)' : ''}`, {
        input: p.spec.name,
        format: p.format,
        read: o.read,
        loaded: counts.loaded,
        quarantined,
        unknown_values: unknown,
        ...(o.blankLines ? { blank_lines_skipped: o.blankLines } : {}),
      });
    }
    log.debug('ingest: validated', { seconds: secondsSince(started) });
    for (const name of INPUT_NAMES) await previewStaging(db, name, summaries.has(name) ? validatedTable(name) : undefined);
    ctx.stagedRows = (summaries.get('calworks')?.loaded ?? 0) + (summaries.get('cws')?.loaded ?? 0);
    // The night's date, from the validated rows: known before the transaction, so later prepares can use it.
    ctx.runDate ||= await decideRunDate(
      db,
      prepared.filter((p) => p.spec.person).map((p) => p.spec.name),
    );
    loaded.set(ctx, { prepared, results, summaries });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Steps 4-5, inside the night's transaction: the run date, quarantine, snapshots, summary. */
async function persistNight(ctx: RunContext): Promise<void> {
  const { db, log } = ctx;
  const started = performance.now();
  const state = loaded.get(ctx);
  if (!state) throw new Error('ingest: run before prepare');
  loaded.delete(ctx);
  const { prepared, results, summaries } = state;

  // Step 4: the night (its date decided in prepare).
  for (const p of prepared.filter((q) => q.spec.person)) {
    const s = summaries.get(p.spec.name)!;
    s.other_extract_dates = await db.count(otherExtractDatesSql(p.spec.name, ctx.runDate));
    s.conflicting_ids = await db.count(conflictingIdsSql(p.spec.name));
    if (s.conflicting_ids) {
      log.warn('ingest: ids whose rows disagree on a name, DOB or SSN (the latest row is used)', { input: p.spec.name, ids: s.conflicting_ids });
    }
    if (s.other_extract_dates) {
      log.warn('ingest: rows with an extract_date other than the night (loaded as they are)', { input: p.spec.name, rows: s.other_extract_dates });
    }
  }
  const night = dateLit(ctx.runDate);
  await db.exec(`DELETE FROM quarantine WHERE run_date = ${night}`);
  await db.exec(`INSERT INTO quarantine BY NAME SELECT ${night} AS run_date, * FROM ${TONIGHT_QUARANTINE} ORDER BY input, line`);
  await db.exec(`DROP TABLE ${TONIGHT_QUARANTINE}`);
  // While the working tables are in memory, the validated rows stay (as stg_<input>) until the night ends.
  const keepPreview = !ctx.workingTablesInFile;
  for (const name of INPUT_NAMES) {
    const read = summaries.has(name);
    await writeSnapshot(db, name, ctx.runDate, read ? validatedTable(name) : undefined);
    await publishStaging(db, name, ctx.runDate, keepPreview);
    if (read && !keepPreview) await db.exec(`DROP TABLE ${validatedTable(name)}`);
    const pruned = await pruneSnapshots(db, name, ctx.runDate, ctx.config.retention.snapshot_nights);
    if (pruned) log.info('ingest: snapshot nights beyond retention removed', { input: name, nights: pruned });
  }
  log.debug('ingest: snapshots written', { seconds: secondsSince(started) });

  // Step 5: what the night read.
  for (const [name, s] of summaries) ctx.summary.inputs[name] = s;
  await ledgerUpdate(db, ctx.runId, {
    inputs: Object.fromEntries(prepared.map((p, i) => [p.spec.name, { file: p.path, sha256: results[i]!.outcome.sha256, bytes: p.bytes }])),
  });
}

const secondsSince = (t: number) => Math.round((performance.now() - t) / 10) / 100;

export const ingestStage: Stage = {
  name: 'ingest',
  description: 'load and validate the extracts; quarantine bad rows; keep a snapshot per night',
  built: true,
  writes: INGEST_TABLES,
  prepare: readAndValidate,
  run: persistNight,
  finish: (ctx) => endStagingPreview(ctx.db, validatedTable),
};
