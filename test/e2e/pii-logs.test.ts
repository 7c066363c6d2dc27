/**
 * Personal data never reaches a log: a whole `linkages run` at debug level,
 * over a generated county plus bad rows (so quarantine runs too), and no
 * name, SSN or date of birth from the inputs appears in the log file, on
 * stderr, on stdout (where the summary carries counts only) or in quarantine.csv.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { withTempDir } from '../helpers/db.js';
import { injectBadRows } from '../helpers/injectBadRows.js';

/** The personal values of an extract worth searching for (long enough not to be a word of a log message). */
function personalValues(file: string): Set<string> {
  const rows = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true }).data;
  const out = new Set<string>();
  for (const r of rows) {
    for (const col of ['first_name', 'last_name', 'middle_name', 'street_address']) {
      const v = (r[col] ?? '').trim();
      if (v.length >= 5) out.add(v);
    }
    const ssn = (r.ssn ?? '').trim();
    if (/^\d{3}-?\d{2}-?\d{4}$/.test(ssn)) {
      out.add(ssn);
      out.add(ssn.replace(/-/g, ''));
      out.add(`${ssn.replace(/-/g, '').slice(0, 3)}-${ssn.replace(/-/g, '').slice(3, 5)}-${ssn.replace(/-/g, '').slice(5)}`);
    }
    // Birth dates, in both written forms (skip recent ones, which could be a run date or a timestamp).
    const dob = (r.dob ?? '').trim();
    if (/^(19|200)/.test(dob) || /\/(19|200)\d$/.test(dob) || /\/19\d\d$/.test(dob)) out.add(dob);
  }
  return out;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f));
}

describe('personal data in logs', () => {
  it('keeps names, SSNs and birth dates out of every log at debug level', async () => {
    await withTempDir(async (tmp) => {
      expect(runCli(['synth', '--families', '150', '--seed', '23', '--out', join(tmp, 'synth')]).code).toBe(0);
      const { files } = injectBadRows({ calworks: join(tmp, 'synth', 'calworks.csv'), cws: join(tmp, 'synth', 'cws.csv') }, tmp, 9, 3);
      const secrets = new Set([...personalValues(files.calworks), ...personalValues(files.cws)]);
      expect(secrets.size).toBeGreaterThan(500);

      const out = join(tmp, 'out');
      const r = runCli(['run', '--calworks', files.calworks, '--cws', files.cws, '--db', join(tmp, 'db', 'l.duckdb'), '--out', out, '--log-level', 'debug']);
      expect(r.code, r.stderr).toBe(0);

      const logFiles = filesUnder(out).filter((f) => /\.(jsonl|log)$/.test(f));
      expect(logFiles.length).toBeGreaterThan(0);
      const texts: [string, string][] = [['stderr', r.stderr], ['stdout', r.stdout], ...logFiles.map((f): [string, string] => [f, readFileSync(f, 'utf8')])];
      expect(texts.find(([w]) => w.endsWith('.jsonl'))![1]).toContain('"level":"debug"');
      // quarantine.csv (read by coordinators) holds the bad rows, masked: no name, full SSN or birth date either.
      const quarantine = filesUnder(out).find((f) => f.endsWith('quarantine.csv'))!;
      texts.push([quarantine, readFileSync(quarantine, 'utf8')]);
      expect(texts.at(-1)![1].split('\n').length).toBeGreaterThan(10);
      const leaks: string[] = [];
      // (A placeholder SSN of nines is no secret and reads like a masked one.)
      for (const [where, text] of texts) for (const s of secrets) if (text.includes(s) && !/^[9-]+$/.test(s)) leaks.push(`${where}: ${s}`);
      expect(leaks).toEqual([]);
    });
  });
});
