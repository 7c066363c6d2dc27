/**
 * A night killed with SIGKILL at any point leaves nothing half-written
 * visible, and the next run's files equal a clean run's. Kill points are
 * injected with LINKAGES_CRASH_AT (src/pipeline/faults.ts): during ingest,
 * match and notify (their transaction open), in the middle of export, and
 * right after COMMIT before the files are published; plus
 * kills at arbitrary moments from outside.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { inputArgs, makeNights, NIGHT1, NIGHT2, runNight, snapshotFiles } from './nights.helpers.js';

let tmp: string;
let data: string[];
let reference: Map<string, string>;
let night1: Map<string, string>;

/** A database and output folder holding night 1 (a copy of the clean run's, taken before night 2). */
function afterNight1(name: string): { db: string; out: string } {
  const dir = join(tmp, name);
  cpSync(join(tmp, 'night1'), dir, { recursive: true });
  return { db: join(dir, 'l.duckdb'), out: join(dir, 'out') };
}

const hidden = (out: string) => readdirSync(out).filter((n) => n.startsWith('.'));

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'linkages-kill-'));
  data = await makeNights(join(tmp, 'data'), 400, 777);
  const first = runNight(data[0]!, join(tmp, 'night1', 'l.duckdb'), join(tmp, 'night1', 'out'));
  expect(first.code, first.stderr).toBe(0);
  const clean = afterNight1('clean');
  const r = runNight(data[1]!, clean.db, clean.out);
  expect(r.code, r.stderr).toBe(0);
  reference = snapshotFiles(join(clean.out, NIGHT2));
  night1 = snapshotFiles(join(clean.out, NIGHT1));
});

afterAll(() => {
  if (process.env.KEEP_TMP !== '1') rmSync(tmp, { recursive: true, force: true });
});

const POINTS = ['after-stage:ingest', 'after-stage:match', 'after-stage:notify', 'after-file:tiers.csv', 'after-commit'];

describe('SIGKILL during a night', () => {
  for (const point of POINTS) {
    it(`at ${point}: nothing half-written is visible, and the next run equals a clean run`, () => {
      const { db, out } = afterNight1(point.replace(/[^a-z]/g, '_'));
      const killed = runNight(data[1]!, db, out, [], { LINKAGES_CRASH_AT: point });
      expect(killed.code, 'the run was killed').toBe(-1);
      // Night 2 is not visible (its files are published only after COMMIT); night 1 is intact.
      expect(existsSync(join(out, NIGHT2))).toBe(false);
      expect(snapshotFiles(join(out, NIGHT1))).toEqual(night1);

      if (point === 'after-commit') {
        // The night is committed: the next run publishes it before anything else (killed here in ingest).
        const next = runNight(data[1]!, db, out, [], { LINKAGES_CRASH_AT: 'after-stage:ingest' });
        expect(next.code).toBe(-1);
        expect(snapshotFiles(join(out, NIGHT2))).toEqual(reference);
      }
      const again = runNight(data[1]!, db, out);
      expect(again.code, again.stderr).toBe(0);
      expect(snapshotFiles(join(out, NIGHT2))).toEqual(reference);
      expect(snapshotFiles(join(out, NIGHT1))).toEqual(night1);
      expect(hidden(out)).toEqual([]);
    });
  }

  it('killed from outside at arbitrary moments, the next run still equals a clean run', async () => {
    const { db, out } = afterNight1('timed');
    for (const ms of [900, 2600]) {
      const child = spawn(process.execPath, [CLI, 'run', ...inputArgs(data[1]!), '--db', db, '--out', out, '--log-level', 'error', '--quiet'], {
        stdio: 'ignore',
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      await new Promise((resolve) => child.on('exit', resolve));
      clearTimeout(timer);
      // Either the night was published whole, or not at all.
      if (existsSync(join(out, NIGHT2))) expect(snapshotFiles(join(out, NIGHT2))).toEqual(reference);
    }
    const again = runNight(data[1]!, db, out);
    expect(again.code, again.stderr).toBe(0);
    expect(snapshotFiles(join(out, NIGHT2))).toEqual(reference);
    expect(hidden(out)).toEqual([]);
  });
});
