/**
 * A night that looks wrong is held, a night that failed says why (docs/interface.md
 * 2.5, `linkages status`), through the built CLI on a generated county:
 *   - a cut extract (a third of the rows), an empty-but-valid extract where
 *     yesterday's had rows, and yesterday's file delivered again are each held
 *     with exit 4 and their reasons, and nothing of them is published;
 *   - --accept-anomalies publishes a held night; the same night with the right
 *     extract publishes, and ordinary generated nights are never held;
 *   - a night failed on purpose logs its stage and cause with its run_id, and
 *     keeps personal values out while keeping paths and dates;
 *   - `linkages status` and `--json` show the nights, the held ones with their
 *     reasons and the failed one with its cause;
 *   - --quiet prints warnings and errors only; every log line carries a run_id.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { inputArgs, makeNights, NIGHT1, NIGHT2 } from './nights.helpers.js';

const NIGHT3 = '2026-11-22';
let tmp: string;
let nights: string[];
let db: string;
let out: string;

function run(data: string, extra: string[] = [], env: Record<string, string> = {}): CliResult {
  return runCli(['run', ...inputArgs(data), '--db', db, '--out', out, ...extra], { env });
}

/** Night 2's files with calworks.csv replaced by `calworks` (text). */
function nightWith(name: string, calworks: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  for (const f of ['cws.csv', 'workers.csv', 'contacts.csv']) copyFileSync(join(nights[1]!, f), join(dir, f));
  writeFileSync(join(dir, 'calworks.csv'), calworks);
  return dir;
}

const statusJson = () => {
  const r = runCli(['status', '--db', db, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as {
    nights: {
      run_date: string;
      status: string;
      reasons: string[];
      error: string | null;
      inputs: Record<string, { rows: number; sha256: string }>;
      software_version: string;
    }[];
    schema_version: number;
  };
};

const heldStderr = (r: CliResult) => r.stderr.split('\n').filter((l) => l.startsWith('linkages: '));

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'linkages-checks-'));
  nights = await makeNights(join(tmp, 'data'), 300, 4242, 3);
  db = join(tmp, 'db', 'linkages.duckdb');
  out = join(tmp, 'out');
  const r = run(nights[0]!, ['--quiet', '--log-level', 'warn']);
  expect(r.code, r.stderr).toBe(0);
});

afterAll(() => {
  if (process.env.KEEP_TMP !== '1') rmSync(tmp, { recursive: true, force: true });
});

describe('input checks hold a night that looks wrong', () => {
  it('holds a cut extract (a third of the rows) with exit 4, its reasons, and nothing published', () => {
    const lines = readFileSync(join(nights[1]!, 'calworks.csv'), 'utf8').trimEnd().split('\n');
    const third = lines.slice(0, 1 + Math.floor((lines.length - 1) / 3));
    const r = run(nightWith('cut', `${third.join('\n')}\n`), ['--quiet']);
    expect(r.code, r.stderr).toBe(4);
    const said = heldStderr(r);
    expect(said[0]).toBe(
      `linkages: night ${NIGHT2} held by the input checks, nothing published; if the extracts are right after all, run it again with --accept-anomalies`,
    );
    expect(said.slice(1)).toEqual([
      expect.stringMatching(/^linkages: held: calworks: [\d,]+ rows tonight, [\d,]+ on 2026-11-20: a fall of 6\d\.\d% \(more than 20% is held\)$/),
      expect.stringMatching(/^linkages: held: calworks: [\d,]+ persons tonight/),
      expect.stringMatching(/^linkages: held: calworks: [\d,]+ parents tonight/),
    ]);
    expect(existsSync(join(out, NIGHT2))).toBe(false);
    expect(r.stdout).toBe('');
  });

  it('holds an empty-but-valid extract where the night before had rows', () => {
    const header = readFileSync(join(nights[1]!, 'calworks.csv'), 'utf8').split('\n')[0]!;
    const r = run(nightWith('empty', `${header}\n`), ['--quiet']);
    expect(r.code, r.stderr).toBe(4);
    expect(heldStderr(r).slice(1)).toEqual([expect.stringMatching(/^linkages: held: calworks: 0 rows tonight, [\d,]+ on 2026-11-20: a fall of 100% /)]);
    expect(existsSync(join(out, NIGHT2))).toBe(false);
  });

  it("holds yesterday's file delivered again", () => {
    const r = run(nightWith('again', readFileSync(join(nights[0]!, 'calworks.csv'), 'utf8')), ['--quiet']);
    expect(r.code, r.stderr).toBe(4);
    expect(heldStderr(r).slice(1)).toEqual([
      'linkages: held: calworks: the file is byte-identical to the one of 2026-11-20 (the same extract delivered again?)',
    ]);
    expect(existsSync(join(out, NIGHT2))).toBe(false);
  });

  it('status shows the held nights with their reasons, and the published one', () => {
    const s = statusJson();
    expect(s.nights.map((n) => `${n.run_date} ${n.status}`)).toEqual([`${NIGHT2} held`, `${NIGHT2} held`, `${NIGHT2} held`, `${NIGHT1} published`]);
    expect(s.nights[0]!.reasons).toEqual([expect.stringContaining('byte-identical')]);
    expect(s.nights[2]!.reasons).toHaveLength(3);
    expect(s.nights[2]!.inputs.calworks!.rows).toBeGreaterThan(0);
    expect(s.nights[3]!.inputs.calworks!.sha256).toMatch(/^[0-9a-f]{64}$/);
    const text = runCli(['status', '--db', db]).stdout;
    expect(text).toContain(`${NIGHT2}  HELD`);
    expect(text).toContain('held: calworks: the file is byte-identical to the one of 2026-11-20');
    expect(text).toMatch(new RegExp(`${NIGHT1}  PUBLISHED[^\\n]*\\n  calworks +[\\d,]+ rows  sha256 [0-9a-f]{16}`));
  });

  it('publishes a held night with --accept-anomalies, keeping what was accepted', () => {
    const r = run(join(tmp, 'cut'), ['--quiet', '--accept-anomalies']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, NIGHT2, 'run_summary.json'), 'utf8'));
    expect(summary.input_checks.accepted).toBe(true);
    expect(summary.input_checks.reasons[0]).toMatch(/^calworks: [\d,]+ rows tonight/);
    expect(r.stderr).toContain('check: accepted with --accept-anomalies: calworks:');
  });

  it('publishes the same night with the right extract, and the next ordinary night, never held', () => {
    for (const [data, night] of [
      [nights[1]!, NIGHT2],
      [nights[2]!, NIGHT3],
    ] as const) {
      const r = run(data, ['--quiet']);
      expect(r.code, r.stderr).toBe(0);
      // --quiet: no summary on stdout, no info lines on stderr.
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toMatch(/ info /);
      const summary = JSON.parse(readFileSync(join(out, night, 'run_summary.json'), 'utf8'));
      expect(summary.input_checks).toEqual({ compared_with: night === NIGHT2 ? NIGHT1 : NIGHT2, reasons: [], accepted: false });
    }
  });
});

describe('a night that failed says why', () => {
  it('logs the stage and the cause with the run_id, keeps paths and dates, drops personal values', () => {
    const message = `Conversion Error: Could not convert string 'ROSA MARTINEZ' to DATE reading '/srv/in/cws.csv' for ${NIGHT3} (1,234 rows)`;
    const r = run(nights[2]!, ['--quiet', '--force'], { LINKAGES_FAIL_AT: 'stage:match', LINKAGES_FAIL_MESSAGE: message });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('ROSA');
    expect(r.stderr).toContain(
      `linkages: run failed: Conversion Error: Could not convert string '…' to DATE reading '/srv/in/cws.csv' for ${NIGHT3} (1,234 rows)`,
    );

    const log = readFileSync(join(out, 'logs', 'linkages.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(log.every((l) => typeof l.run_id === 'string' && (l.run_id as string).length === 36)).toBe(true);
    const failure = log.findLast((l) => l.level === 'error')!;
    expect(failure).toMatchObject({ stage: 'match', error: 'Conversion Error', run_date: NIGHT3 });
    expect(failure.message).toBe(
      `run failed in stage match: Conversion Error: Could not convert string '…' to DATE reading '/srv/in/cws.csv' for ${NIGHT3} (1,234 rows)`,
    );
    const lines = log.filter((l) => l.run_id === failure.run_id);
    expect(lines.length).toBeGreaterThan(5);
    expect(JSON.stringify(log)).not.toContain('ROSA');

    const s = statusJson();
    expect(s.nights[0]).toMatchObject({ run_date: NIGHT3, status: 'failed' });
    expect(s.nights[0]!.error).toBe(`match: Conversion Error: Could not convert string '…' to DATE reading '/srv/in/cws.csv' for ${NIGHT3} (1,234 rows)`);
    expect(s.nights[1]).toMatchObject({ run_date: NIGHT3, status: 'published' });
    expect(runCli(['status', '--db', db]).stdout).toContain(`${NIGHT3}  FAILED`);
  });
});
