/**
 * `linkages metrics` after two generated nights: the tier counts per night
 * equal each night's tiers.csv; the tables open in DuckDB (CSV, Parquet) and
 * in apache-arrow (Arrow IPC) with the same rows and proper types; every row
 * names the runs it covers; a coordinator's decision is counted on the night
 * that applied it; --from/--to narrow the nights.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { lit } from '../../src/db/sql.js';
import { runCli, ok } from '../helpers/cli.js';

type Row = Record<string, string>;
const readRows = (path: string): Row[] => Papa.parse<Row>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;

describe('metrics over two nights', () => {
  let tmp: string;
  let db: string;
  let out: string;
  let nights: string[];
  let rejected: Row;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'linkages-metrics-'));
    db = join(tmp, 'linkages.duckdb');
    out = join(tmp, 'out');
    const synth = join(tmp, 'in');
    ok(['synth', '--families', '1500', '--seed', '21', '--out', synth, '--nights', '2']);
    const run = (dir: string) =>
      ok([
        'run',
        '--calworks',
        join(dir, 'calworks.csv'),
        '--cws',
        join(dir, 'cws.csv'),
        '--workers',
        join(synth, 'workers.csv'),
        '--contacts',
        join(synth, 'contacts.csv'),
        '--db',
        db,
        '--out',
        out,
        '--quiet',
        '--log-level',
        'error',
      ]);
    run(synth);
    // A coordinator rejects one automatic link between the nights.
    const first = readdirSync(out).find((n) => /^\d{4}-/.test(n))!;
    rejected = readRows(join(out, first, 'links.csv')).find((l) => l.decision === 'AUTO')!;
    const file = join(tmp, 'reject.csv');
    writeFileSync(file, Papa.unparse([{ ...rejected, decision: 'NO_MATCH' }]));
    ok(['review', 'import', file, '--db', db]);
    run(join(synth, 'night-2'));
    nights = readdirSync(out)
      .filter((n) => /^\d{4}-\d{2}-\d{2}$/.test(n))
      .sort();
    // Exact counts to compare with the nightly files: internal use, no suppression (metrics-suppression.test.ts checks it).
    for (const format of ['csv', 'parquet', 'arrow']) ok(['metrics', '--db', db, '--out', join(tmp, format), '--format', format, '--no-suppression']);
  }, 240_000);

  afterAll(() => {
    if (process.env.KEEP_TMP !== '1') rmSync(tmp, { recursive: true, force: true });
  });

  it('counts each night’s tiers exactly as that night’s tiers.csv', () => {
    expect(nights).toHaveLength(2);
    const runs = readRows(join(tmp, 'csv', 'metrics_runs.csv'));
    for (const night of nights) {
      const fromFile: Record<string, number> = { MUTUAL: 0, EARLY_INTERVENTION: 0, PREVENTION: 0 };
      for (const t of readRows(join(out, night, 'tiers.csv'))) fromFile[t.tier!] = (fromFile[t.tier!] ?? 0) + 1;
      const fromMetrics = Object.fromEntries(runs.filter((r) => r.run_date === night && r.measure === 'cases').map((r) => [r.category, Number(r.value)]));
      expect(fromMetrics, night).toEqual(fromFile);
      expect(fromFile.MUTUAL).toBeGreaterThan(0);
    }
  });

  it('counts links, the review queue and the decision applied between the nights', () => {
    const runs = readRows(join(tmp, 'csv', 'metrics_runs.csv'));
    const value = (night: string, measure: string, category = '') =>
      Number(runs.find((r) => r.run_date === night && r.measure === measure && r.category === category)?.value);
    for (const night of nights) {
      const links = readRows(join(out, night, 'links.csv'));
      expect(value(night, 'links', 'AUTO') + value(night, 'links', 'CONFIRMED')).toBe(links.length);
      expect(value(night, 'review_pairs')).toBe(readRows(join(out, night, 'review_queue.csv')).length);
      const notes = readRows(join(out, night, 'notifications.csv'));
      expect(value(night, 'notifications', 'NEW_MUTUAL_CLIENT')).toBe(notes.filter((n) => n.event_type === 'NEW_MUTUAL_CLIENT').length);
    }
    expect(value(nights[0]!, 'review_decisions', 'NO_MATCH')).toBe(0);
    expect(value(nights[1]!, 'review_decisions', 'NO_MATCH')).toBe(1);
    expect(value(nights[1]!, 'new_mutual_clients')).toBeGreaterThan(0);
  });

  it('names the runs behind every row', () => {
    for (const r of readRows(join(tmp, 'csv', 'metrics_runs.csv'))) expect(r.run_id).toMatch(/^[0-9a-f-]{36}$/);
    const ident = readRows(join(tmp, 'csv', 'metrics_identification.csv'));
    expect(ident.length).toBeGreaterThan(0);
    for (const r of ident) {
      expect(r.identified_run_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.followed_through).toBe(nights[1]);
    }
    expect(ident.filter((r) => r.baseline === 'false').every((r) => r.identified_on === nights[1])).toBe(true);
    const outcomes = readRows(join(tmp, 'csv', 'metrics_outcomes.csv'));
    expect(outcomes.map((o) => o.cohort).sort()).toEqual(['baseline', 'new']);
    for (const o of outcomes) {
      expect(Number(o.runs)).toBeGreaterThan(0);
      expect(o.covers_to).toBe(nights[1]);
    }
    // The outcome counts are sums of the identification rows.
    const base = outcomes.find((o) => o.cohort === 'baseline')!;
    expect(Number(base.mutual_clients)).toBe(ident.filter((r) => r.baseline === 'true').length);
  });

  it('writes files that open in DuckDB and in apache-arrow, with the same rows and types', async () => {
    const conn = await openDatabase(':memory:', { threads: 1, memoryLimit: '1GB' });
    try {
      for (const t of ['metrics_runs', 'metrics_identification', 'metrics_outcomes', 'metrics_survival']) {
        const csvRows = readRows(join(tmp, 'csv', `${t}.csv`)).length;
        expect(await conn.count(`SELECT count(*) FROM read_csv(${lit(join(tmp, 'csv', `${t}.csv`))})`)).toBe(csvRows);
        expect(await conn.count(`SELECT count(*) FROM read_parquet(${lit(join(tmp, 'parquet', `${t}.parquet`))})`)).toBe(csvRows);
        const arrow = tableFromIPC(readFileSync(join(tmp, 'arrow', `${t}.arrow`)));
        expect(arrow.numRows).toBe(csvRows);
      }
      const types = await conn.all<{ column_name: string; column_type: string }>(
        `DESCRIBE SELECT * FROM read_parquet(${lit(join(tmp, 'parquet', 'metrics_runs.parquet'))})`,
      );
      expect(Object.fromEntries(types.map((c) => [c.column_name, c.column_type]))).toMatchObject({ run_date: 'DATE', value: 'BIGINT', measure: 'VARCHAR' });
    } finally {
      conn.close();
    }
    const arrow = tableFromIPC(readFileSync(join(tmp, 'arrow', 'metrics_runs.arrow')));
    expect(String(arrow.schema.fields.find((f) => f.name === 'run_date')!.type)).toBe('Date32<DAY>');
    expect(String(arrow.schema.fields.find((f) => f.name === 'value')!.type)).toBe('Int64');
    const mutual = arrow.toArray().filter((r) => r.measure === 'cases' && r.category === 'MUTUAL');
    expect(mutual.map((r) => Number(r.value))).toEqual(nights.map((n) => readRows(join(out, n, 'tiers.csv')).filter((t) => t.tier === 'MUTUAL').length));
  });

  it('keeps the files private to their owner', () => {
    for (const format of ['csv', 'parquet', 'arrow']) {
      for (const f of readdirSync(join(tmp, format))) expect(statSync(join(tmp, format, f)).mode & 0o077, `${format}/${f}`).toBe(0);
    }
  });

  it('narrows to --from/--to, and refuses bad flags with exit 2', () => {
    ok(['metrics', '--db', db, '--out', join(tmp, 'second'), '--from', nights[1]!, '--no-suppression']);
    const runs = readRows(join(tmp, 'second', 'metrics_runs.csv'));
    expect(new Set(runs.map((r) => r.run_date))).toEqual(new Set([nights[1]]));
    expect(readRows(join(tmp, 'second', 'metrics_identification.csv')).every((r) => r.identified_on === nights[1])).toBe(true);
    for (const args of [
      ['--format', 'xlsx'],
      ['--from', nights[1]!, '--to', nights[0]!],
      ['--to', '2026-13-01'],
      ['--suppress-below', '1'],
      ['--suppress-below', '5', '--no-suppression'],
    ]) {
      const r = runCli(['metrics', '--db', db, '--out', join(tmp, 'bad'), ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const none = runCli(['metrics', '--db', db, '--out', join(tmp, 'none'), '--from', '2030-01-01']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no night/);
  });
});
