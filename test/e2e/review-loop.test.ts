/**
 * The review loop as a coordinator lives it, over a generated county with
 * truth: export the queue, confirm every true pair and reject the false ones,
 * reject five automatic links in links.csv, import both, then re-run the
 * night and run the next one. The decisions must hold on both nights:
 * confirmed pairs are CONFIRMED links, rejected pairs are never linked, and
 * no decided pair is in the queue again. A later decision supersedes an
 * earlier one and the history stays.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { runCli } from '../helpers/cli.js';

type Row = Record<string, string>;

const readCsv = (path: string): Row[] => Papa.parse<Row>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;

const writeCsv = (path: string, rows: Row[], opts: { bom?: boolean; crlf?: boolean; delimiter?: string } = {}) => {
  const text = Papa.unparse(rows, { delimiter: opts.delimiter ?? ',', newline: opts.crlf ? '\r\n' : '\n' });
  writeFileSync(path, (opts.bom ? '\uFEFF' : '') + text);
};

const key = (r: { calworks_person_id?: string; cws_client_id?: string }) => `${r.calworks_person_id}|${r.cws_client_id}`;

function ok(args: string[]) {
  const r = runCli(args);
  if (r.code !== 0) throw new Error(`linkages ${args.join(' ')} -> ${r.code}\n${r.stderr}\n${r.stdout}`);
  return r;
}

describe('review loop over generated nights', () => {
  let tmp: string;
  let db: string;
  let out: string;
  let night1: string;
  let night2: string;
  let worksheet: Row[] = [];
  const confirmed = new Set<string>();
  const rejected = new Set<string>();

  const linksOf = (night: string) => readCsv(join(out, night, 'links.csv'));
  const queueOf = (night: string) => readCsv(join(out, night, 'review_queue.csv'));

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'linkages-review-'));
    db = join(tmp, 'linkages.duckdb');
    out = join(tmp, 'out');
    const synth = join(tmp, 'in');
    ok(['synth', '--families', '2000', '--seed', '41', '--out', synth, '--nights', '2']);
    const run = (dir: string, extra: string[] = []) =>
      ok([
        'run',
        '--calworks',
        join(dir, 'calworks.csv'),
        '--cws',
        join(dir, 'cws.csv'),
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
        'warn',
        ...extra,
      ]);
    run(synth);
    night1 = nightFolder(out, 0);

    // The coordinator's worksheet: every pair judged against the truth.
    const truth = new Set(readCsv(join(synth, 'truth.csv')).map(key));
    const sheet = join(tmp, 'worksheet.csv');
    ok(['review', 'export', '--db', db, '--out', sheet]);
    const queue = readCsv(sheet);
    expect(queue.length).toBeGreaterThan(0);
    worksheet = queue.map((r) => ({ ...r }));
    for (const r of queue) {
      r.decision = truth.has(key(r)) ? 'MATCH' : 'NO_MATCH';
      (r.decision === 'MATCH' ? confirmed : rejected).add(key(r));
    }
    // As Excel re-saves it in a European locale.
    writeCsv(sheet, queue, { bom: true, crlf: true, delimiter: ';' });
    const imported = ok(['review', 'import', sheet, '--db', db, '--reviewer', 'coordinator-a']);
    expect(imported.stdout).toContain(`${queue.length} applied`);

    // Five automatic links rejected in links.csv.
    const links = linksOf(night1);
    const autos = links.filter((l) => l.decision === 'AUTO').slice(0, 5);
    expect(autos).toHaveLength(5);
    for (const l of autos) {
      l.decision = 'NO_MATCH';
      rejected.add(key(l));
    }
    // And one true automatic link confirmed, so a CONFIRMED link is checked whatever the queue holds.
    const sure = links.find((l) => l.decision === 'AUTO' && truth.has(key(l)))!;
    sure.decision = 'MATCH';
    confirmed.add(key(sure));
    const edited = join(tmp, 'links-edited.csv');
    writeCsv(edited, links);
    const linksImport = ok(['review', 'import', edited, '--db', db]);
    expect(linksImport.stdout).toContain('6 applied (1 MATCH, 5 NO_MATCH)');
    expect(linksImport.stdout).toContain(`${links.length - 6} AUTO/CONFIRMED link rows left as they are`);

    run(synth); // the same night again
    run(join(synth, 'night-2'));
    night2 = nightFolder(out, 1);
  }, 300_000);

  afterAll(() => {
    if (process.env.KEEP_TMP !== '1') rmSync(tmp, { recursive: true, force: true });
  });

  it('exports the queue most consequential first, both sides side by side, SSNs as last four digits only', () => {
    const rank = (c: string) =>
      ['would make the family MUTUAL', 'would make the family EARLY_INTERVENTION', 'no tier change', 'no tier: CalWORKs case not open'].indexOf(c!);
    const order = worksheet.map((r) => [rank(r.consequence!), -Number(r.match_probability)] as const);
    for (const [a, b] of order.slice(1).map((o, i) => [order[i]!, o] as const)) {
      expect(a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1])).toBe(true);
    }
    expect(worksheet.map((r) => Number(r.priority))).toEqual(worksheet.map((_, i) => i + 1));
    const cols = Object.keys(worksheet[0]!);
    expect(cols.indexOf('cws_first_name')).toBe(cols.indexOf('calworks_first_name') + 1);
    for (const c of ['dob_level', 'dob_weight', 'reason', 'decision']) expect(cols).toContain(c);
    for (const r of worksheet) {
      for (const side of ['calworks_ssn_last4', 'cws_ssn_last4']) expect(r[side] ?? '').toMatch(/^(\d{4})?$/);
      expect(Object.values(r).some((v) => /^\d{3}-?\d{2}-?\d{4}$/.test(v))).toBe(false);
    }
  });

  it('keeps every confirmed pair as a CONFIRMED link on the re-run night and the next night', () => {
    expect(confirmed.size).toBeGreaterThan(0);
    expect(rejected.size).toBeGreaterThanOrEqual(5); // five rejected AUTO links, and any false pair of the queue
    for (const night of [night1, night2]) {
      const links = new Map(linksOf(night).map((l) => [key(l), l.decision]));
      for (const pair of confirmed) expect(links.get(pair), `${night} ${pair}`).toBe('CONFIRMED');
    }
  });

  it('never links a rejected pair again', () => {
    for (const night of [night1, night2]) {
      const links = new Set(linksOf(night).map(key));
      for (const pair of rejected) expect(links.has(pair), `${night} ${pair}`).toBe(false);
    }
  });

  it('shows no decided pair in the queue again', () => {
    const decided = new Set([...confirmed, ...rejected]);
    for (const night of [night1, night2]) {
      for (const r of queueOf(night)) expect(decided.has(key(r)), `${night} ${key(r)}`).toBe(false);
    }
    const sheet = join(tmp, 'worksheet-2.csv');
    ok(['review', 'export', '--db', db, '--out', sheet]);
    for (const r of readCsv(sheet)) expect(decided.has(key(r))).toBe(false);
  });

  it('lets a later decision supersede an earlier one, keeping the history', async () => {
    const [pair] = [...rejected];
    const [l, r] = pair!.split('|');
    const file = join(tmp, 'change-of-mind.csv');
    writeCsv(file, [{ calworks_person_id: l!, cws_client_id: r!, decision: 'MATCH' }]);
    ok(['review', 'import', file, '--db', db, '--reviewer', 'coordinator-b']);
    const conn = await openDatabase(db, { threads: 1, memoryLimit: '1GB' });
    try {
      const history = await conn.all<{ decision: string; reviewer: string; source_file: string }>(
        `SELECT decision, reviewer, source_file FROM review_decisions
         WHERE calworks_person_id = '${l}' AND cws_client_id = '${r}' ORDER BY decided_at, decision_id`,
      );
      expect(history.map((h) => h.decision)).toEqual(['NO_MATCH', 'MATCH']);
      expect(history[1]).toMatchObject({ reviewer: 'coordinator-b', source_file: file });
    } finally {
      conn.close();
    }
  });
});

describe('review import: unusable files and bad rows', () => {
  let tmp: string;
  let db: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'linkages-review-bad-'));
    db = join(tmp, 'linkages.duckdb');
    ok(['synth', '--families', '200', '--seed', '2', '--out', join(tmp, 'in')]);
    ok([
      'run',
      '--calworks',
      join(tmp, 'in', 'calworks.csv'),
      '--cws',
      join(tmp, 'in', 'cws.csv'),
      '--db',
      db,
      '--out',
      join(tmp, 'out'),
      '--quiet',
      '--log-level',
      'error',
    ]);
  }, 120_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const oneLine = (r: { stderr: string }) => expect(r.stderr.trim().split('\n')).toHaveLength(1);

  it('refuses a missing file, a file without the columns, and a file whose every decision is bad, with exit 2', () => {
    const missing = runCli(['review', 'import', join(tmp, 'nope.csv'), '--db', db]);
    expect(missing.code).toBe(2);
    oneLine(missing);
    writeFileSync(join(tmp, 'cols.csv'), 'person,client,decision\nP1,C1,MATCH\n');
    const cols = runCli(['review', 'import', join(tmp, 'cols.csv'), '--db', db]);
    expect(cols.code).toBe(2);
    expect(cols.stderr).toMatch(/no calworks_person_id, cws_client_id column/);
    writeCsv(join(tmp, 'allbad.csv'), [{ calworks_person_id: 'P000', cws_client_id: 'CL000', decision: 'MATCH' }]);
    const allBad = runCli(['review', 'import', join(tmp, 'allbad.csv'), '--db', db]);
    expect(allBad.code).toBe(2);
    expect(allBad.stdout).toMatch(/allbad\.csv:2: unknown calworks_person_id "P000"/);
    oneLine(allBad);
  });

  it('reads an Excel "Unicode Text" save (UTF-16 LE with its BOM, tab-separated)', () => {
    // Another link than the test below uses.
    const [, link] = readCsv(join(tmp, 'out', nightFolder(join(tmp, 'out'), 0), 'links.csv'));
    const text = `calworks_person_id\tcws_client_id\tdecision\r\n${link!.calworks_person_id}\t${link!.cws_client_id}\tNO_MATCH\r\n`;
    writeFileSync(join(tmp, 'unicode.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const r = runCli(['review', 'import', join(tmp, 'unicode.txt'), '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1 applied \(0 MATCH, 1 NO_MATCH\)/);
  });

  it('applies the good rows of a file with bad ones, and says which lines were wrong (exit 0)', () => {
    const [link] = readCsv(join(tmp, 'out', nightFolder(join(tmp, 'out'), 0), 'links.csv'));
    writeCsv(join(tmp, 'mixed.csv'), [
      { calworks_person_id: link!.calworks_person_id!, cws_client_id: link!.cws_client_id!, decision: 'no match' },
      { calworks_person_id: link!.calworks_person_id!, cws_client_id: link!.cws_client_id!, decision: 'maybe' },
    ]);
    const r = runCli(['review', 'import', join(tmp, 'mixed.csv'), '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/mixed\.csv:3: decision "maybe" is not MATCH or NO_MATCH/);
    expect(r.stdout).toMatch(/1 applied \(0 MATCH, 1 NO_MATCH\).*1 rejected/);
  });
});

/** The k-th night folder (by date) under OUT. */
function nightFolder(out: string, k: number): string {
  return readdirSync(out)
    .filter((n) => /^\d{4}-\d{2}-\d{2}$/.test(n))
    .sort()[k]!;
}
