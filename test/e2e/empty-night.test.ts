/**
 * An empty night is a valid night with no links (issue 10, case 8): extracts
 * with no PARENT row on one side or both (a child-welfare file of children
 * only, header-only files) run every stage and publish, exit 0.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { withTempDir } from '../helpers/db.js';

const SHARED = new URL('../fixtures/bad-input/_shared/', import.meta.url).pathname;

function night(tmp: string, calworks: string, cws: string, extra: string[] = []) {
  const out = join(tmp, 'out');
  const r = runCli([
    'run',
    '--calworks',
    calworks,
    '--cws',
    cws,
    '--db',
    join(tmp, 'db', 'l.duckdb'),
    '--out',
    out,
    '--quiet',
    '--log-level',
    'error',
    ...extra,
  ]);
  return { ...r, out };
}

function onlyRows(src: string, dest: string, keep: (line: string) => boolean): string {
  const [header, ...rows] = readFileSync(src, 'utf8').trimEnd().split('\n');
  writeFileSync(dest, [header, ...rows.filter(keep)].join('\n') + '\n');
  return dest;
}

describe('a night with no parents to match', () => {
  it.each([
    ['a child-welfare file of children only', { cws: (l: string) => l.includes(',CHILD,') }],
    ['a CalWORKs file of children only', { calworks: (l: string) => l.includes(',CHILD,') }],
    ['both files header-only (with --run-date)', { calworks: () => false, cws: () => false }],
  ])('publishes %s with no links, exit 0', async (_name, keep: { calworks?: (l: string) => boolean; cws?: (l: string) => boolean }) => {
    await withTempDir(async (tmp) => {
      const calworks = onlyRows(join(SHARED, 'calworks.csv'), join(tmp, 'calworks.csv'), keep.calworks ?? (() => true));
      const cws = onlyRows(join(SHARED, 'cws.csv'), join(tmp, 'cws.csv'), keep.cws ?? (() => true));
      const r = night(tmp, calworks, cws, ['--run-date', '2026-03-01']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const summary = JSON.parse(readFileSync(join(r.out, '2026-03-01', 'run_summary.json'), 'utf8'));
      expect(summary.match.links).toBe(0);
      expect(
        readFileSync(join(r.out, '2026-03-01', 'links.csv'), 'utf8')
          .trim()
          .split('\n'),
      ).toHaveLength(1);
      if (!_name.startsWith('a child-welfare')) return;
      // The next night, with parents on both sides, links as usual (the CalWORKs file is the same one
      // again, which the input checks hold until an operator accepts it).
      const next = night(tmp, join(SHARED, 'calworks.csv'), join(SHARED, 'cws.csv'), ['--run-date', '2026-03-02', '--accept-anomalies']);
      expect(next.code, next.stderr).toBe(0);
    });
  });
});
