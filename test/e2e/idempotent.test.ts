/**
 * Idempotent nights: re-running a night replaces it (tables, files, ledger
 * entries) and writes byte-identical files with the same event_ids;
 * run_summary.json differs only in its timing fields (stages[].seconds,
 * peak_rss_mb). An earlier night than the latest is refused unless --force.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { makeNights, NIGHT1, NIGHT2, readCsvRows, runNight, snapshotFiles, withoutTimings } from './nights.helpers.js';

let tmp: string;
let data: string[];
const db = () => join(tmp, 'l.duckdb');
const out = () => join(tmp, 'out');

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'linkages-idem-'));
  data = await makeNights(join(tmp, 'data'), 600, 4321);
});

afterAll(() => {
  if (process.env.KEEP_TMP !== '1') rmSync(tmp, { recursive: true, force: true });
});

async function ledger(): Promise<string[]> {
  const conn = await openDatabase(db(), { threads: 1, memoryLimit: '1GB' });
  try {
    return (
      await conn.all<{ r: string }>(
        `SELECT strftime(run_date, '%Y-%m-%d') || ' ' || event_id || ' ' || event_type AS r FROM event_ledger ORDER BY run_date, event_id`,
      )
    ).map((x) => x.r);
  } finally {
    conn.close();
  }
}

describe('re-running a night', () => {
  it('replaces it: same files byte for byte, same event_ids, one ledger entry per event', async () => {
    for (const d of data) expect(runNight(d, db(), out()).code).toBe(0);
    const first = snapshotFiles(join(out(), NIGHT2));
    const firstSummary = JSON.parse(readFileSync(join(out(), NIGHT2, 'run_summary.json'), 'utf8'));
    const firstLedger = await ledger();
    expect(firstLedger.length).toBeGreaterThan(0);

    const again = runNight(data[1]!, db(), out());
    expect(again.code, again.stderr).toBe(0);
    expect(snapshotFiles(join(out(), NIGHT2))).toEqual(first);
    expect(await ledger()).toEqual(firstLedger);
    // Only the timing fields differ in run_summary.json.
    const second = JSON.parse(readFileSync(join(out(), NIGHT2, 'run_summary.json'), 'utf8'));
    expect(withoutTimings(second)).toEqual(withoutTimings(firstSummary));
    const ids = readCsvRows(join(out(), NIGHT2, 'notifications.csv')).map((r) => r.event_id);
    expect(ids.length).toBeGreaterThan(0);
  });

  it('refuses an earlier night than the latest unless --force', () => {
    const refused = runNight(data[0]!, db(), out());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/earlier than the latest night.*--force/);
    expect(runNight(data[0]!, db(), out(), ['--force']).code).toBe(0);
    expect(readCsvRows(join(out(), NIGHT1, 'tiers.csv')).length).toBeGreaterThan(0);
  });
});
