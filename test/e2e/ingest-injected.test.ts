/**
 * `linkages run` over a generated county with bad records injected at known
 * lines: every input balances (read = loaded + quarantined) and quarantine.csv
 * names exactly the injected lines, each with its reason.
 */
import { copyFileSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { withTempDir } from '../helpers/db.js';
import { BAD_KINDS, injectBadRows } from '../helpers/injectBadRows.js';

describe('ingest over a generated extract with injected bad rows', () => {
  it('balances every input and quarantines exactly the injected lines, each with a reason', async () => {
    await withTempDir(async (tmp) => {
      const synth = runCli(['synth', '--families', '250', '--seed', '11', '--out', join(tmp, 'synth')]);
      expect(synth.code, synth.stderr).toBe(0);
      const { files, injected } = injectBadRows(
        { calworks: join(tmp, 'synth', 'calworks.csv'), cws: join(tmp, 'synth', 'cws.csv') },
        tmp,
        2 * BAD_KINDS.length,
        5,
      );
      expect(new Set(injected.map((i) => i.kind)).size).toBe(BAD_KINDS.length);
      for (const roster of ['workers', 'contacts']) copyFileSync(join(tmp, 'synth', `${roster}.csv`), join(tmp, `${roster}.csv`));

      const r = runCli([
        'run',
        '--calworks',
        files.calworks,
        '--cws',
        files.cws,
        '--workers',
        join(tmp, 'workers.csv'),
        '--contacts',
        join(tmp, 'contacts.csv'),
        '--db',
        join(tmp, 'db', 'linkages.duckdb'),
        '--out',
        join(tmp, 'out'),
        '--log-level',
        'warn',
      ]);
      expect(r.code, r.stderr).toBe(0);

      const night = readdirSync(join(tmp, 'out')).find((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))!;
      const summary = JSON.parse(readFileSync(join(tmp, 'out', night, 'run_summary.json'), 'utf8'));
      for (const name of ['calworks', 'cws', 'workers', 'contacts']) {
        const s = summary.inputs[name];
        expect(s.read, name).toBe(s.loaded + s.quarantined);
      }
      expect(summary.inputs.calworks.quarantined + summary.inputs.cws.quarantined).toBe(injected.length);

      const rows = Papa.parse<Record<string, string>>(readFileSync(join(tmp, 'out', night, 'quarantine.csv'), 'utf8'), {
        header: true,
        skipEmptyLines: true,
      }).data;
      expect(rows.map((q) => `${q.input}:${q.line}`)).toEqual(injected.map((i) => `${i.input}:${i.line}`));
      rows.forEach((q, i) => {
        expect(q.reason, `${injected[i]!.kind} at ${q.input}:${q.line}`).toContain(injected[i]!.reason);
        expect(q.source_file).toBe(`${q.input}.csv`);
        expect(q.raw_row!.length).toBeGreaterThan(0);
      });
    });
  });
});
