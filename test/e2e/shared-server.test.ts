/**
 * Running on a shared server, and upgrading:
 *   - a database made by release 0.1.0 (test/fixtures/db-0.1.0) is migrated on
 *     open by the numbered migrations, records the software and schema
 *     version, and the next night of its county runs on it, its input checks
 *     comparing with the old release's last night;
 *   - LINKAGES_DB, LINKAGES_OUT and LINKAGES_CONFIG stand for the flags;
 *   - output.group_readable opens the night's files and the logs to the group,
 *     and another account in that group can read them;
 *   - an account that may not read the database is told "permission denied"
 *     with the path, not "no database".
 */
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { SCHEMA_VERSION } from '../../src/db/migrate.js';
import { SOFTWARE_VERSION } from '../../src/runtime/version.js';
import { runCli } from '../helpers/cli.js';
import { withTempDir } from '../helpers/db.js';

const FIXTURE = new URL('../fixtures/db-0.1.0/linkages.duckdb.gz', import.meta.url).pathname;
const mode = (p: string) => statSync(p).mode & 0o777;
/** Another account (nobody) in the owner's group, when the tests run as root. */
const asRoot = process.getuid?.() === 0;

describe('a database made by release 0.1.0', () => {
  it('is migrated on open, records the versions, and runs the next night; env vars and group-readable outputs', async () => {
    await withTempDir(async (dir) => {
      const db = join(dir, 'srv', 'linkages.duckdb');
      mkdirSync(join(dir, 'srv'), { mode: 0o700 });
      writeFileSync(db, gunzipSync(readFileSync(FIXTURE)), { mode: 0o600 });

      // status reads without migrating: the old schema, the two nights it ran.
      const before = runCli(['status', '--db', db, '--json']);
      expect(before.code, before.stderr).toBe(0);
      const old = JSON.parse(before.stdout);
      expect(old.schema_version).toBe(1);
      expect(old.nights.map((n: { run_date: string; status: string }) => `${n.run_date} ${n.status}`)).toEqual([
        '2026-11-21 published',
        '2026-11-20 published',
      ]);
      expect(old.nights[0].software_version).toBeNull();

      // Night 3 of the same county, with the environment instead of flags.
      const data = join(dir, 'data');
      expect(runCli(['synth', '--families', '40', '--seed', '3', '--out', data, '--nights', '3']).code).toBe(0);
      const config = join(dir, 'linkages.json');
      writeFileSync(config, JSON.stringify({ output: { group_readable: true } }));
      const out = join(dir, 'out');
      const n3 = join(data, 'night-3');
      const r = runCli(
        [
          'run',
          '--calworks',
          join(n3, 'calworks.csv'),
          '--cws',
          join(n3, 'cws.csv'),
          '--workers',
          join(data, 'workers.csv'),
          '--contacts',
          join(data, 'contacts.csv'),
          '--quiet',
        ],
        {
          env: { LINKAGES_DB: db, LINKAGES_OUT: out, LINKAGES_CONFIG: config },
        },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`database migrated to this release .*from_schema=1 to_schema=${SCHEMA_VERSION}`));
      const summary = JSON.parse(readFileSync(join(out, '2026-11-22', 'run_summary.json'), 'utf8'));
      // The checks compared with the old release's night, from its snapshot.
      expect(summary.input_checks).toEqual({ compared_with: '2026-11-21', reasons: [], accepted: false });

      const conn = await openDatabase(db, { threads: 1, memoryLimit: '1GB' });
      try {
        expect((await conn.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).map((m) => m.version)).toEqual(
          Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1),
        );
        const night = await conn.one<{ software_version: string; schema_version: number }>(
          `SELECT software_version, schema_version FROM run_ledger WHERE run_date = DATE '2026-11-22' AND status = 'published'`,
        );
        expect(night).toEqual({ software_version: SOFTWARE_VERSION, schema_version: SCHEMA_VERSION });
        // The old nights are still there and untouched.
        expect(await conn.count(`SELECT count(*) FROM run_ledger WHERE status = 'published'`)).toBe(3);
      } finally {
        conn.close();
      }

      // output.group_readable: folders 0750, files 0640, logs too.
      expect(mode(out)).toBe(0o750);
      expect(mode(join(out, '2026-11-22'))).toBe(0o750);
      expect(mode(join(out, '2026-11-22', 'links.csv'))).toBe(0o640);
      expect(mode(join(out, 'logs', 'linkages.jsonl'))).toBe(0o640);
      if (asRoot) {
        // A coordinator's account in the service group reads the night's files (the folders above
        // OUT are the administrator's to open to the group, as README says; here the test's own).
        chmodSync(dir, 0o750);
        const cat = spawnSync('cat', [join(out, '2026-11-22', 'tiers.csv')], { uid: 65534, gid: statSync(out).gid, encoding: 'utf8' });
        expect(cat.status, cat.stderr).toBe(0);
        expect(cat.stdout).toMatch(/^case_number,tier/);
        // ...but not the database, whose folder is the service account's alone: said as such.
        const denied = runCli(['status', '--db', db], { uid: 65534, gid: 65534 });
        expect(denied.code).toBe(2);
        expect(denied.stderr).toBe(`linkages: status: permission denied: ${db} (its folder is not open to this account; see README "A shared server")\n`);
      }
      const status = JSON.parse(runCli(['status', '--json'], { env: { LINKAGES_DB: db } }).stdout);
      expect(status.schema_version).toBe(SCHEMA_VERSION);
      expect(status.nights[0]).toMatchObject({
        run_date: '2026-11-22',
        status: 'published',
        software_version: SOFTWARE_VERSION,
        schema_version: SCHEMA_VERSION,
      });
    });
  });

  it('the default output mode stays owner-only', async () => {
    await withTempDir(async (dir) => {
      const data = join(dir, 'data');
      expect(runCli(['synth', '--families', '30', '--seed', '5', '--out', data]).code).toBe(0);
      const out = join(dir, 'out');
      const r = runCli([
        'run',
        '--calworks',
        join(data, 'calworks.csv'),
        '--cws',
        join(data, 'cws.csv'),
        '--db',
        join(dir, 'l.duckdb'),
        '--out',
        out,
        '--quiet',
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(mode(join(out, '2026-11-20', 'links.csv'))).toBe(0o600);
      expect(mode(join(out, '2026-11-20'))).toBe(0o700);
    });
  });
});
