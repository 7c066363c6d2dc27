/**
 * Paths and settings that are not what they claim are refused at the start,
 * exit 2 with one line on stderr, before any work (issue 10, cases 3 and 9):
 * a --db that is a data file, some other file or a folder; an --out that is a
 * file; a temp_directory that is a file or cannot be created (under /proc,
 * where a recursive mkdir used to spin forever); an implausible --run-date.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/cli.js';
import { withTempDir } from '../helpers/db.js';

const SHARED = new URL('../fixtures/bad-input/_shared/', import.meta.url).pathname;

interface Scenario {
  name: string;
  setup: (tmp: string) => { args: string[]; config?: object };
  says: string[];
}

const scenarios: Scenario[] = [
  { name: '--db names an existing CSV file', setup: (t) => ({ args: ['--db', file(t, 'calworks_copy.csv', 'a,b\n1,2\n')] }), says: ['--db', 'not a database'] },
  { name: '--db names a Parquet file', setup: (t) => ({ args: ['--db', join(t, 'cws.parquet')] }), says: ['--db', 'not a database'] },
  {
    name: '--db names a file that is not a DuckDB database',
    setup: (t) => ({ args: ['--db', file(t, 'linkages.db', 'hello\n')] }),
    says: ['not a DuckDB database'],
  },
  { name: '--db names a folder', setup: (t) => ({ args: ['--db', dir(t, 'dbdir')] }), says: ['--db', 'is a folder'] },
  { name: '--out names a file', setup: (t) => ({ args: ['--out', file(t, 'out.txt', 'x')] }), says: ['--out', 'is a file, not a folder'] },
  { name: '--out lies under a file', setup: (t) => ({ args: ['--out', join(file(t, 'plain', 'x'), 'nights')] }), says: ['--out', 'is a file, not a folder'] },
  {
    name: 'temp_directory names a file',
    setup: (t) => ({ args: [], config: { database: { temp_directory: file(t, 'spill', 'x') } } }),
    says: ['temp_directory', 'is a file'],
  },
  {
    name: 'temp_directory under /proc',
    setup: () => ({ args: [], config: { database: { temp_directory: '/proc/linkages-spill/tmp' } } }),
    says: ['temp_directory', 'cannot be written'],
  },
  { name: 'memory_limit 1KB', setup: () => ({ args: [], config: { database: { memory_limit: '1KB' } } }), says: ['memory_limit 1KB', 'too small'] },
  {
    name: 'a holiday of 2026-02-30',
    setup: () => ({ args: [], config: { notify: { holidays: ['2026-02-30'] } } }),
    says: ['notify.holidays.0', 'not a calendar date'],
  },
  { name: '--run-date 9999-12-31', setup: () => ({ args: ['--run-date', '9999-12-31'] }), says: ['--run-date 9999-12-31', 'not a plausible night'] },
];

function file(tmp: string, name: string, text: string): string {
  writeFileSync(join(tmp, name), text);
  return join(tmp, name);
}
function dir(tmp: string, name: string): string {
  mkdirSync(join(tmp, name), { recursive: true });
  return join(tmp, name);
}

describe('paths and settings refused at the start', () => {
  it.concurrent.each(scenarios)('$name: exit 2, one line', async ({ setup, says }) => {
    await withTempDir(async (tmp) => {
      const { args, config } = setup(tmp);
      const base = ['run', '--calworks', join(SHARED, 'calworks.csv'), '--cws', join(SHARED, 'cws.csv')];
      if (!args.includes('--db')) base.push('--db', join(tmp, 'db', 'l.duckdb'));
      if (!args.includes('--out')) base.push('--out', join(tmp, 'out'));
      if (config) base.push('--config', file(tmp, 'config.json', JSON.stringify(config)));
      const before = args.includes('--db') ? safeRead(args[args.indexOf('--db') + 1]!) : null;
      const r = await runCliAsync([...base, ...args]);
      expect(r.code, r.stderr).toBe(2);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]!.startsWith('linkages: ')).toBe(true);
      for (const s of says) expect(lines[0]).toContain(s);
      // A file named as the database is left as it was.
      if (before !== null) expect(safeRead(args[args.indexOf('--db') + 1]!)).toBe(before);
    });
  });
});

function safeRead(path: string): string | null {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return null;
  }
}

describe('refusals are one line at the default log level (issue 10, case 13)', () => {
  it('no verb given', async () => {
    const r = await runCliAsync([]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^linkages: no verb given; expected one of run, /)]);
  });

  it('a run date earlier than the latest night, found after the inputs were read', async () => {
    await withTempDir(async (tmp) => {
      const base = [
        'run',
        '--calworks',
        join(SHARED, 'calworks.csv'),
        '--cws',
        join(SHARED, 'cws.csv'),
        '--db',
        join(tmp, 'l.duckdb'),
        '--out',
        join(tmp, 'out'),
      ];
      const first = await runCliAsync([...base, '--run-date', '2026-03-09', '--quiet']);
      expect(first.code, first.stderr).toBe(0);
      // The inputs' own extract_date (2026-03-01) is earlier than the night in the database.
      const r = await runCliAsync(base);
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining('linkages: run date 2026-03-01 is earlier than the latest night')]);
      // The log file still has the whole story.
      expect(readFileSync(join(tmp, 'out', 'logs', 'linkages.jsonl'), 'utf8')).toContain('run started');
    });
  });
});
