/**
 * The search index's persons are built in slices of sids (src/search/buildIndex.ts), so a
 * statewide night never holds every person's case list at once: sliced, the index is the
 * same, row for row and in sid order, as built in one statement.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { openDatabase } from '../../src/db/database.js';
import { runPipeline } from '../../src/pipeline/runner.js';
import type { Stage } from '../../src/pipeline/stage.js';
import { silentLogger } from '../../src/runtime/logger.js';
import { noProgress } from '../../src/runtime/progress.js';
import { buildSearchIndex, prepareSearchIndex } from '../../src/search/buildIndex.js';
import { generate } from '../../src/synth/generate.js';
import { nightly } from '../../pipelines/nightly.js';

const tmp = mkdtempSync(join(tmpdir(), 'linkages-search-slices-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

it('builds the same search_persons in slices of 97 persons as in one slice', async () => {
  const data = join(tmp, 'in');
  await generate({ families: 300, seed: 11, out: data, extractDate: '2026-11-20' });
  const db = await openDatabase(':memory:', { threads: 1, memoryLimit: '1GB' });
  const persons = (slice: number) => async (ctx: Parameters<Stage['run']>[0]) => {
    await prepareSearchIndex(ctx.db, slice);
    await buildSearchIndex(ctx.db, ctx.runId, ctx.runDate, ctx.config.match.max_cluster_records, true);
    return ctx.db.all<{ sid: number; hit: string }>(`SELECT sid, hit FROM search_persons`); // as stored: the order too
  };
  let whole: unknown[] = [];
  let sliced: unknown[] = [];
  const compare: Stage = {
    name: 'export',
    description: 'the index both ways',
    built: true,
    async run(ctx) {
      whole = await persons(1_000_000)(ctx);
      sliced = await persons(97)(ctx);
    },
  };
  try {
    await runPipeline({
      db,
      config: defaultConfig(),
      log: silentLogger,
      progress: noProgress,
      inputs: { calworks: join(data, 'calworks.csv'), cws: join(data, 'cws.csv'), workers: join(data, 'workers.csv'), contacts: join(data, 'contacts.csv') },
      outRoot: join(tmp, 'out'),
      stages: [...nightly.filter((s) => s.name !== 'export'), compare],
    });
  } finally {
    db.close();
  }
  expect(whole.length).toBeGreaterThan(1000);
  expect(sliced).toEqual(whole);
  expect(whole.some((r) => (r as { hit: string }).hit.includes('"cases":["'))).toBe(true);
});
