/**
 * Nights: snapshots keyed by run date, re-runs replace a night (same files,
 * byte for byte), retention keeps the latest nights and never the one before
 * tonight; stg_* show tonight's rows; the ledger keeps each input's checksum.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { openDatabase, type Db } from '../../src/db/database.js';
import { exportStage } from '../../src/export/index.js';
import { ingestStage } from '../../src/ingest/index.js';
import { runPipeline } from '../../src/pipeline/runner.js';
import { silentLogger } from '../../src/runtime/logger.js';
import { noProgress } from '../../src/runtime/progress.js';
import { withTempDir } from '../helpers/db.js';

const FIX = new URL('../fixtures/bad-input/', import.meta.url).pathname;
const inputs = { calworks: join(FIX, 'invalid-enum', 'calworks.csv'), cws: join(FIX, '_shared', 'cws.csv') };

async function night(db: Db, out: string, runDate: string, keep = 3, force = false) {
  const config = defaultConfig();
  config.retention.snapshot_nights = keep;
  return runPipeline({ db, config, log: silentLogger, progress: noProgress, inputs, outRoot: out, runDate, force, stages: [ingestStage, exportStage] });
}

const nights = async (db: Db, table: string) =>
  (await db.all<{ d: string; n: number }>(`SELECT strftime(run_date, '%Y-%m-%d') AS d, count(*)::INTEGER AS n FROM ${table} GROUP BY 1 ORDER BY 1`)).map(
    (r) => `${r.d}:${r.n}`,
  );

describe('snapshots and nights', () => {
  it('replaces a re-run night, keeps retention, and points stg_* at tonight', async () => {
    await withTempDir(async (tmp) => {
      const db = await openDatabase(join(tmp, 'l.duckdb'), { threads: 1, memoryLimit: '1GB' });
      const out = join(tmp, 'out');
      try {
        const first = await night(db, out, '2026-03-01');
        const q1 = readFileSync(join(first.outDir, 'quarantine.csv'));
        const again = await night(db, out, '2026-03-01');
        expect(readFileSync(join(again.outDir, 'quarantine.csv')).equals(q1)).toBe(true);
        expect(await nights(db, 'snap_calworks')).toEqual(['2026-03-01:3']);
        expect(await nights(db, 'quarantine')).toEqual(['2026-03-01:1']);

        for (const d of ['2026-03-02', '2026-03-03', '2026-03-04']) await night(db, out, d);
        expect(await nights(db, 'snap_calworks')).toEqual(['2026-03-02:3', '2026-03-03:3', '2026-03-04:3']);
        expect(await nights(db, 'snap_cws')).toEqual(['2026-03-02:4', '2026-03-03:4', '2026-03-04:4']);

        // Re-running an older night keeps the latest nights, tonight, and the night before tonight.
        await night(db, out, '2026-03-03', 2, true);
        expect(await nights(db, 'snap_calworks')).toEqual(['2026-03-02:3', '2026-03-03:3', '2026-03-04:3']);
        await night(db, out, '2026-03-05', 2);
        expect(await nights(db, 'snap_calworks')).toEqual(['2026-03-04:3', '2026-03-05:3']);

        expect(await db.count('SELECT count(*) FROM stg_calworks')).toBe(3);
        expect(await db.count('SELECT count(*) FROM stg_workers')).toBe(0);
        const cols = await db.all<{ column_name: string; column_type: string }>('DESCRIBE stg_calworks');
        expect(cols[0]).toMatchObject({ column_name: 'source_line', column_type: 'INTEGER' });
        expect(cols.at(-1)).toMatchObject({ column_name: 'extra_columns', column_type: 'JSON' });
        expect(cols.find((c) => c.column_name === 'dob')?.column_type).toBe('DATE');

        const ledger = await db.one<{ inputs: string }>(`SELECT inputs FROM run_ledger WHERE run_date = DATE '2026-03-05'`);
        const recorded = JSON.parse(ledger!.inputs);
        expect(recorded.calworks).toMatchObject({ file: inputs.calworks, bytes: readFileSync(inputs.calworks).length });
        expect(recorded.calworks.sha256).toMatch(/^[0-9a-f]{64}$/);
      } finally {
        db.close();
      }
    });
  });
});
