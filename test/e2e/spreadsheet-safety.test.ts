/**
 * Spreadsheet safety over a whole run: names, addresses and worker names such
 * as =HYPERLINK("http://x","y") and an id starting with "-" are put into the
 * extracts; after the night, the review export and metrics, no cell of any
 * CSV the tool wrote (OUT/<date>/, notifications/, the review worksheet,
 * metrics) is one a spreadsheet would run, numbers are left as numbers, and
 * `review import` reads an escaped id back as the id.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { ok } from '../helpers/cli.js';

type Row = Record<string, string>;
const FORMULA = '=HYPERLINK("http://x","y")';
const readRows = (path: string): Row[] => Papa.parse<Row>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;
const writeRows = (path: string, rows: Row[]) => writeFileSync(path, `${Papa.unparse(rows)}\n`);

/** Every CSV file under `dir`, recursively. */
function csvFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.csv'))
    .map((e) => join(e.parentPath, e.name));
}

const PLAIN_NUMBER = /^[+-]?[0-9]+(\.[0-9]+)?$/;
const RUNS_AS_FORMULA = /^[=+\-@\t\r]/;

describe('spreadsheet safety over a whole run', () => {
  let tmp: string;
  let db: string;
  let night: string;
  let renamedId: string;
  const written: string[] = [];

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'linkages-sheet-'));
    db = join(tmp, 'linkages.duckdb');
    const synth = join(tmp, 'in');
    ok(['synth', '--families', '600', '--seed', '3', '--out', synth]);

    // A linked CalWORKs parent whose id starts with "-", and formula text in names, addresses and worker names.
    const truth = readRows(join(synth, 'truth.csv')).filter((t) => t.role === 'PARENT');
    const linked = truth[0]!.calworks_person_id!;
    renamedId = `-${linked}`;
    const cw = readRows(join(synth, 'calworks.csv'));
    let k = 0;
    for (const r of cw) {
      if (r.person_id === linked) r.person_id = renamedId;
      else if (r.person_role === 'PARENT' && k++ % 9 === 0) {
        r.street_address = FORMULA;
        r.worker_name = `@${r.worker_name}`;
      }
    }
    const cws = readRows(join(synth, 'cws.csv'));
    k = 0;
    for (const r of cws) {
      if (r.client_role !== 'PARENT' || k++ % 7 !== 0) continue;
      r.last_name = FORMULA;
      r.first_name = '+CMD';
      r.worker_name = `-${r.worker_name}`;
    }
    writeRows(join(tmp, 'calworks.csv'), cw);
    writeRows(join(tmp, 'cws.csv'), cws);

    // A wide review band so the worksheet holds weak pairs, whose disagreeing fields carry negative weights.
    const config = join(tmp, 'config.json');
    writeFileSync(config, JSON.stringify({ match: { link_threshold: 0.99, review_threshold: 0.0001 } }));
    const out = join(tmp, 'out');
    ok([
      'run',
      '--config',
      config,
      '--calworks',
      join(tmp, 'calworks.csv'),
      '--cws',
      join(tmp, 'cws.csv'),
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
    night = readdirSync(out).find((n) => /^\d{4}-\d{2}-\d{2}$/.test(n))!;
    ok(['review', 'export', '--db', db, '--out', join(tmp, 'worksheet', 'review_queue.csv')]);
    ok(['metrics', '--db', db, '--out', join(tmp, 'metrics')]);
    written.push(...csvFiles(join(out, night)), ...csvFiles(join(tmp, 'worksheet')), ...csvFiles(join(tmp, 'metrics')));
  }, 180_000);

  afterAll(() => {
    if (process.env.KEEP_TMP !== '1') rmSync(tmp, { recursive: true, force: true });
  });

  it('writes no cell a spreadsheet would run, in any CSV of the night, its notification lists, the worksheet or metrics', () => {
    expect(written.some((f) => f.includes(`${join('notifications', '')}`))).toBe(true);
    expect(written.length).toBeGreaterThan(10);
    const bad: string[] = [];
    let escaped = 0;
    for (const file of written) {
      const cells = Papa.parse<string[]>(readFileSync(file, 'utf8'), { skipEmptyLines: true }).data.flat();
      for (const cell of cells) {
        if (RUNS_AS_FORMULA.test(cell) && !PLAIN_NUMBER.test(cell)) bad.push(`${file}: ${JSON.stringify(cell.slice(0, 40))}`);
        if (cell.startsWith(`'${FORMULA.slice(0, 10)}`)) escaped += 1;
      }
    }
    expect(bad).toEqual([]);
    // The injected text did reach the outputs, escaped (the test is not vacuous).
    expect(escaped).toBeGreaterThan(0);
  });

  it('leaves numbers alone: negative weights stay numeric cells', () => {
    const queue = readFileSync(join(tmp, 'out', night, 'links.csv'), 'utf8');
    expect(queue).toContain(`'${renamedId}`);
    const weights = Papa.parse<string[]>(readFileSync(join(tmp, 'worksheet', 'review_queue.csv'), 'utf8'), { skipEmptyLines: true }).data.flat();
    expect(weights.some((c) => /^-\d+(\.\d+)?$/.test(c))).toBe(true);
  });

  it('reads an escaped id back as the id on review import', async () => {
    const links = readRows(join(tmp, 'out', night, 'links.csv'));
    const row = links.find((l) => l.calworks_person_id === `'${renamedId}`)!;
    expect(row).toBeDefined();
    const file = join(tmp, 'reject.csv');
    writeRows(file, [{ ...row, decision: 'NO_MATCH' }]);
    const r = ok(['review', 'import', file, '--db', db]);
    expect(r.stdout).toContain('1 applied (0 MATCH, 1 NO_MATCH)');
    const conn = await openDatabase(db, { threads: 1, memoryLimit: '1GB' });
    try {
      expect(await conn.count(`SELECT count(*) FROM review_decisions WHERE calworks_person_id = '${renamedId}'`)).toBe(1);
    } finally {
      conn.close();
    }
  });
});
