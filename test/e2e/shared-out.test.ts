/**
 * Two runs on two databases may share one --out (issue 10, case 10): a run's
 * start-up cleanup removes the staging folders of runs that are gone, never
 * the live staging folder of another run.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { openDatabase } from '../../src/db/database.js';
import { exportStage } from '../../src/export/index.js';
import { ingestStage } from '../../src/ingest/index.js';
import { runPipeline } from '../../src/pipeline/runner.js';
import { silentLogger } from '../../src/runtime/logger.js';
import { noProgress } from '../../src/runtime/progress.js';
import { withTempDir } from '../helpers/db.js';

const SHARED = new URL('../fixtures/bad-input/_shared/', import.meta.url).pathname;

describe('an output folder shared by runs on two databases', () => {
  it("keeps another live run's staging folder and removes those of runs that are gone", async () => {
    await withTempDir(async (tmp) => {
      const out = join(tmp, 'out');
      // Another run, alive (its process is this child), staging a night; a dead run's and an old-style leftover.
      const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
      try {
        const live = join(out, `.2026-02-27.${other.pid}.partial`);
        const dead = join(out, '.2026-02-26.999999999.partial');
        const legacy = join(out, '.2026-02-25.partial');
        for (const d of [live, dead, legacy]) {
          mkdirSync(d, { recursive: true });
          writeFileSync(join(d, 'links.csv'), 'x\n');
        }
        const db = await openDatabase(join(tmp, 'b.duckdb'), { threads: 1, memoryLimit: '1GB' });
        try {
          await runPipeline({
            db,
            config: loadConfig(undefined),
            log: silentLogger,
            progress: noProgress,
            inputs: { calworks: join(SHARED, 'calworks.csv'), cws: join(SHARED, 'cws.csv') },
            outRoot: out,
            stages: [ingestStage, exportStage],
          });
        } finally {
          db.close();
        }
        expect(existsSync(join(out, '2026-03-01', 'run_summary.json'))).toBe(true);
        expect(existsSync(join(live, 'links.csv'))).toBe(true);
        expect(existsSync(dead)).toBe(false);
        expect(existsSync(legacy)).toBe(false);
      } finally {
        other.kill();
      }
    });
  });
});
