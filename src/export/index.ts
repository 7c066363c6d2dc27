/**
 * Stage `export`: writes the night's output files (export/outputs.ts) into the
 * run's staging folder, and refreshes the coordinators' search index so the
 * first `linkages search` after a night answers at once. The runner publishes
 * the folder as OUT/<run-date>/ once the night is committed.
 */
import type { Db } from '../db/database.js';
import { recordStep, type RunContext, type Stage } from '../pipeline/stage.js';
import { crashPoint } from '../pipeline/faults.js';
import { outputFiles } from './outputs.js';
import { buildSearchIndex, prepareSearchIndex, SEARCH_TABLES } from '../search/buildIndex.js';
import { stepProgress } from '../runtime/progress.js';
import { Background } from '../runtime/files.js';

/** The night's files into `dir`; what a writer leaves running finishes in `background` (awaited here when absent). */
export async function writeOutputs(
  db: Db,
  runDate: string,
  dir: string,
  onStep?: (step: string, seconds: number) => void,
  onStart?: (step: string) => void,
  background?: Background,
): Promise<void> {
  const own = background ?? new Background();
  for (const output of outputFiles) {
    const t = performance.now();
    onStart?.(output.file);
    await output.write(db, runDate, dir, own);
    onStep?.(output.file, (performance.now() - t) / 1000);
    crashPoint(`after-file:${output.file}`);
  }
  if (!background) await own.done();
}

/** Recovery: the files of a night already committed, from the database. */
export async function reexportNight(db: Db, runDate: string, dir: string): Promise<void> {
  await writeOutputs(db, runDate, dir);
}

/** The runs whose prepare staged the search index. */
const indexPrepared = new WeakSet<RunContext>();

export const exportStage: Stage = {
  name: 'export',
  description: 'write the output files of the night (links, review queue, tiers, notifications, quarantine...) and refresh the search index',
  built: true,
  writes: SEARCH_TABLES,
  // What the search index takes from the night's persons alone, before the night's transaction (Stage.prepare).
  async prepare(ctx) {
    if (!(await ctx.db.tableExists('int_persons'))) return;
    const t = performance.now();
    await prepareSearchIndex(ctx.db);
    indexPrepared.add(ctx);
    recordStep(ctx, 'search_index_prepare', (performance.now() - t) / 1000);
  },
  async run(ctx) {
    const step = (name: string, seconds: number) => recordStep(ctx, name, seconds);
    // Partial pipelines (tests of ingest alone) have no persons to index.
    const index = await ctx.db.tableExists('int_persons');
    const bar = stepProgress(ctx.progress, 'export', outputFiles.length + (index ? 1 : 0));
    // The last recipients' lists are written while the files after notifications.csv are.
    const background = new Background();
    await writeOutputs(ctx.db, ctx.runDate, ctx.stagingDir, step, (file) => bar.step(file), background);
    ctx.log.info('export: files written', { files: outputFiles.length });
    if (index) {
      bar.step('search index');
      const t = performance.now();
      const built = await buildSearchIndex(ctx.db, ctx.runId, ctx.runDate, ctx.config.match.max_cluster_records, indexPrepared.delete(ctx));
      step('search_index', (performance.now() - t) / 1000);
      ctx.log.info('export: search index refreshed', { persons: built.persons });
    }
    await background.done();
    bar.done();
  },
};
