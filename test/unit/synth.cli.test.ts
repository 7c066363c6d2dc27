import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { runCli } from '../helpers/cli.js';
import { withConnection, withTempDir } from '../helpers/db.js';

describe('linkages synth (built CLI)', () => {
  it('prints its usage with --help', () => {
    const r = runCli(['synth', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--families N');
    expect(r.stdout).toContain('--format');
  });

  it.each([
    [['synth', '--seed', '1', '--out', 'x'], /--families is required/],
    [['synth', '--families', 'ten', '--seed', '1', '--out', 'x'], /--families must be a whole number/],
    [['synth', '--families', '0', '--seed', '1', '--out', 'x'], /--families must be a whole number >= 1/],
    [['synth', '--families', '5', '--out', 'x'], /--seed is required/],
    [['synth', '--families', '5', '--seed', '1'], /--out is required/],
    [['synth', '--families', '5', '--seed', '1', '--out', 'x', '--format', 'xml'], /--format must be one of csv, parquet, arrow/],
    [['synth', '--families', '5', '--seed', '1', '--out', 'x', '--extract-date', '2026-02-30'], /--extract-date must be a date/],
    [['synth', '--families', '5', '--seed', '1', '--out', 'x', '--colour'], /Unknown option '--colour'/],
  ])('%j is a usage error (exit 2, one line)', (args, message) => {
    const r = runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses an --out that is a file', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'f.txt');
      writeFileSync(file, 'x');
      const r = runCli(['synth', '--families', '5', '--seed', '1', '--out', file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--out must be a folder/);
    });
  });

  it('writes the files and prints a one-line summary (and the baseline when asked)', async () => {
    await withTempDir(async (dir) => {
      const r = runCli(['synth', '--families', '120', '--seed', '3', '--out', dir, '--extract-date', '2026-06-30']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim().split('\n')).toHaveLength(1);
      const b = runCli(['synth', '--families', '120', '--seed', '3', '--out', join(dir, 'b'), '--baseline']);
      expect(b.stdout.trim().split('\n')[1]).toMatch(/exact-match baseline .* recall 0\.\d+ .* precision [01]\.\d+/);
      expect(r.stdout).toMatch(/120 families .* calworks \d+ rows, cws \d+ rows/);
      expect(readFileSync(join(dir, 'calworks.csv'), 'utf8').split('\n')[1]).toMatch(/^(2026-06-30|06\/30\/2026),/);
      expect(readFileSync(join(dir, 'README.txt'), 'utf8')).toContain('truth.csv');
    });
  });

  it('writes the same bytes on one thread or on worker threads', async () => {
    await withTempDir(async (dir) => {
      const args = (out: string) => ['synth', '--families', '4500', '--seed', '21', '--out', join(dir, out)];
      expect(runCli(args('one'), { env: { LINKAGES_SYNTH_THREADS: '1' } }).code).toBe(0);
      expect(runCli(args('two'), { env: { LINKAGES_SYNTH_THREADS: '2' } }).code).toBe(0);
      for (const f of ['calworks.csv', 'cws.csv', 'truth.csv', 'truth_persons.csv', 'workers.csv', 'contacts.csv', 'README.txt']) {
        expect(readFileSync(join(dir, 'two', f)).equals(readFileSync(join(dir, 'one', f))), f).toBe(true);
      }
    });
  });

  it('writes Parquet and Arrow extracts with the same rows as CSV', async () => {
    await withTempDir(async (dir) => {
      for (const format of ['csv', 'parquet', 'arrow']) {
        const r = runCli(['synth', '--families', '150', '--seed', '8', '--out', join(dir, format), '--format', format]);
        expect(r.code, r.stderr).toBe(0);
      }
      await withConnection(async (db) => {
        for (const name of ['calworks', 'cws']) {
          const csv = `read_csv('${join(dir, 'csv', `${name}.csv`)}', header = true, all_varchar = true)`;
          const pq = `read_parquet('${join(dir, 'parquet', `${name}.parquet`)}')`;
          expect(await db.count(`SELECT count(*) FROM (SELECT * FROM ${csv} EXCEPT ALL SELECT * FROM ${pq})`)).toBe(0);
          expect(await db.count(`SELECT count(*) FROM ${pq}`)).toBe(await db.count(`SELECT count(*) FROM ${csv}`));
          const table = tableFromIPC(readFileSync(join(dir, 'arrow', `${name}.arrow`)));
          expect(table.numRows).toBe(await db.count(`SELECT count(*) FROM ${csv}`));
          const cols = await db.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${csv}`);
          expect(table.schema.fields.map((f) => f.name)).toEqual(cols.map((c) => c.column_name));
        }
      });
    });
  });
});
