/**
 * The review sheet through Excel and back: `review export --format xlsx` keeps
 * an SSN last four of 0421 and a ZIP of 01234 as text, in the nightly
 * review_queue.csv's layout plus priority and explanation, with a MATCH /
 * NO_MATCH drop-down, a frozen header and coloured levels; a coordinator's
 * decisions typed into it (the workbook saved again, as Excel does) come back
 * with `review import FILE.xlsx`, zeros intact.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { runCli, ok } from '../helpers/cli.js';

type Row = Record<string, string>;
const readCsv = (path: string): Row[] => Papa.parse<Row>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;

describe('review export --format xlsx and import of the workbook', () => {
  let tmp: string;
  let db: string;
  let sheet: string;
  let person: string;
  let nightly: string[];

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'linkages-review-xlsx-'));
    db = join(tmp, 'linkages.duckdb');
    const synth = join(tmp, 'in');
    const cfg = join(tmp, 'linkages.json');
    writeFileSync(cfg, JSON.stringify({ match: { link_threshold: 0.9999999, review_threshold: 0.05 } }));
    ok(['synth', '--families', '400', '--seed', '12', '--out', synth]);
    const run = () =>
      ok([
        'run',
        '--calworks',
        join(synth, 'calworks.csv'),
        '--cws',
        join(synth, 'cws.csv'),
        '--config',
        cfg,
        '--db',
        db,
        '--out',
        join(tmp, 'out'),
        '--quiet',
        '--log-level',
        'error',
      ]);
    run();
    // A queued parent gets an SSN ending 0421 and, on both sides, the ZIP 01234; the night again.
    const queue = readCsv(join(tmp, 'out', '2026-11-20', 'review_queue.csv'));
    const pair = queue.find((q) => !q.cws_ssn_last4)!;
    expect(pair).toBeDefined();
    person = pair.calworks_person_id!;
    const patch = (file: string, idCol: string, id: string, change: (r: Row) => void) => {
      const parsed = Papa.parse<Row>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true });
      for (const r of parsed.data) if (r[idCol] === id) change(r);
      writeFileSync(file, Papa.unparse(parsed.data, { columns: parsed.meta.fields }));
    };
    patch(join(synth, 'calworks.csv'), 'person_id', person, (r) => Object.assign(r, { ssn: '123-45-0421', zip: '01234' }));
    patch(join(synth, 'cws.csv'), 'client_id', pair.cws_client_id!, (r) => Object.assign(r, { zip: '01234' }));
    run();
    nightly = Object.keys(readCsv(join(tmp, 'out', '2026-11-20', 'review_queue.csv'))[0]!);
    sheet = join(tmp, 'review.xlsx');
    const out = ok(['review', 'export', '--format', 'xlsx', '--db', db, '--out', sheet]);
    expect(out.stdout).toMatch(/pairs? to review/);
  }, 240_000);

  afterAll(() => {
    if (tmp && process.env.KEEP_TMP !== '1') rmSync(tmp, { recursive: true, force: true });
  });

  it('is the nightly layout plus priority and explanation, with zeros kept as text, a drop-down, a frozen header and coloured levels', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(sheet);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1) as string[];
    expect(header.filter((h) => h !== 'priority' && h !== 'explanation')).toEqual(nightly);
    expect(header[0]).toBe('priority');
    expect(header.indexOf('explanation')).toBe(header.indexOf('reason') + 1);
    const col = (name: string) => header.indexOf(name) + 1;
    let row = 0;
    ws.eachRow((r, n) => {
      if (r.getCell(col('calworks_person_id')).value === person) row = n;
    });
    expect(row).toBeGreaterThan(1);
    const cell = (name: string) => ws.getRow(row).getCell(col(name));
    expect(cell('calworks_ssn_last4').value).toBe('0421');
    expect(cell('calworks_zip').value).toBe('01234');
    expect(cell('cws_zip').value).toBe('01234');
    for (const c of ['calworks_ssn_last4', 'calworks_zip', 'calworks_person_id', 'decision']) expect(cell(c).numFmt).toBe('@');
    expect(String(cell('explanation').value)).toMatch(/^(These two|Same name|The names|The evidence|Held)/);
    expect(String(cell('explanation').value)).not.toMatch(/\d%/);
    expect(cell('decision').dataValidation).toMatchObject({ type: 'list', formulae: ['"MATCH,NO_MATCH"'] });
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect((cell('first_name_level').fill as ExcelJS.FillPattern).fgColor?.argb).toMatch(/^FF[0-9A-F]{6}$/);
    expect(ws.getRow(2).getCell(1).value).toBe(1); // priority
  });

  it('reads the decisions back from the workbook, zeros and all', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(sheet);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1) as string[];
    const col = (name: string) => header.indexOf(name) + 1;
    const picked: { l: string; r: string; d: string }[] = [];
    ws.eachRow((r, n) => {
      if (n === 1 || picked.length >= 3) return;
      const d = picked.length === 1 ? 'NO_MATCH' : 'MATCH';
      r.getCell(col('decision')).value = d;
      picked.push({ l: String(r.getCell(col('calworks_person_id')).value), r: String(r.getCell(col('cws_client_id')).value), d });
    });
    const edited = join(tmp, 'review-edited.xlsx');
    await wb.xlsx.writeFile(edited);
    // saved again, the zeros are still there
    const back = new ExcelJS.Workbook();
    await back.xlsx.readFile(edited);
    const texts: string[] = [];
    back.worksheets[0]!.eachRow((r) => {
      if (r.getCell(col('calworks_person_id')).value === person)
        texts.push(String(r.getCell(col('calworks_ssn_last4')).value), String(r.getCell(col('cws_zip')).value));
    });
    expect(texts).toEqual(['0421', '01234']);
    const r = ok(['review', 'import', edited, '--db', db, '--reviewer', 'C. Okafor']);
    expect(r.stdout).toContain('3 applied (2 MATCH, 1 NO_MATCH)');
    const conn = await openDatabase(db, { threads: 1, memoryLimit: '512MB', readOnly: true });
    try {
      const rows = await conn.all<{ l: string; r: string; d: string }>(
        `SELECT calworks_person_id AS l, cws_client_id AS r, decision AS d FROM review_decisions WHERE reviewer = 'C. Okafor' AND source_file = '${edited}' ORDER BY decision_id`,
      );
      expect(rows).toEqual(picked);
    } finally {
      conn.close();
    }
    // A workbook without the columns is one clear line and exit 2.
    const bad = new ExcelJS.Workbook();
    bad.addWorksheet('x').addRow(['person', 'client', 'decision']);
    await bad.xlsx.writeFile(join(tmp, 'bad.xlsx'));
    const refused = runCli(['review', 'import', join(tmp, 'bad.xlsx'), '--db', db]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/has no calworks_person_id, cws_client_id columns/);
  });
});
