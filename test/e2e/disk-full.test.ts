/**
 * A full disk under --out (issue 10, case 11): the night fails (exit 1),
 * nothing is published, and the one line says "No space left on device"
 * (it used to say "Current transaction is aborted"). The disk is a small
 * tmpfs; where this process may not mount one (not root), the test is
 * skipped with a notice.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { withTempDir } from '../helpers/db.js';

const SAMPLE = new URL('../../sample-data/', import.meta.url).pathname;

function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = spawnSync('sh', ['-c', 'd=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs "$d" && umount "$d"; r=$?; rmdir "$d"; exit $r']);
  return probe.status === 0;
}

const mountable = canMount();
if (!mountable) console.warn('disk-full.test.ts: SKIPPED (needs root to mount a small tmpfs as a full disk)');

describe('a full disk under --out', () => {
  it.skipIf(!mountable).each(['400k'])(
    'at %s (full while writing the notification lists): exit 1, "No space left on device", nothing published',
    async (size) => {
      await withTempDir(async (tmp) => {
        const out = join(tmp, 'out');
        mkdirSync(out);
        expect(spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', out]).status).toBe(0);
        try {
          const r = runCli([
            'run',
            '--calworks',
            join(SAMPLE, 'calworks.csv'),
            '--cws',
            join(SAMPLE, 'cws.csv'),
            '--db',
            join(tmp, 'db', 'l.duckdb'),
            '--out',
            out,
            '--quiet',
            '--log-level',
            'error',
          ]);
          expect(r.code).toBe(1);
          const last = r.stderr.trimEnd().split('\n').at(-1)!;
          expect(last).toMatch(/^linkages: run failed: .*No space left on device/);
          expect(readdirSync(out).filter((f) => /^\d{4}-\d{2}-\d{2}$/.test(f))).toEqual([]);
        } finally {
          spawnSync('umount', [out]);
        }
      });
    },
  );
});
