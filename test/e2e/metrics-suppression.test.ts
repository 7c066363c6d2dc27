/**
 * What an evaluator may share, after five generated nights of a small county
 * (small counts everywhere): with suppression on, no count from 1 to 10 is
 * left in any file (CSV, Parquet, Arrow) or on the page, and no withheld cell
 * can be worked out from a total or a difference that is shown; the page's
 * counts reconcile (one definition of "identified"); the codebook covers
 * every column, in codebook.md and inside the Parquet and Arrow files; lists
 * of ids are lists. With --no-suppression the page says it is internal.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import { lit } from '../../src/db/sql.js';
import { CODEBOOK } from '../../src/metrics/codebook.js';
import { ok } from '../helpers/cli.js';

type Row = Record<string, string>;
const readRows = (path: string): Row[] => Papa.parse<Row>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;
const TABLES = CODEBOOK.map((t) => t.table);
const countColumns = (table: string) =>
  CODEBOOK.find((t) => t.table === table)!
    .columns.filter((c) => c.count)
    .map((c) => c.name);

/** A count as a reader sees it: a number, or null when withheld ("<11", "withheld"). */
const seen = (cell: string | undefined): number | null => (cell === '<11' || cell === 'withheld' || cell === '' || cell === undefined ? null : Number(cell));

/** The page's text outside the charts (the charts draw only what the tables show), one string per text node. */
function pageText(html: string): string[] {
  return html
    .replace(/<svg[\s\S]*?<\/svg>/g, ' ')
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<title>[\s\S]*?<\/title>/g, ' ')
    .split(/<[^>]+>/)
    .map((t) => t.replace(/&lt;/g, '<').replace(/&amp;/g, '&').trim())
    .filter(Boolean);
}

/**
 * Numbers on the page that are counts: not part of a date, a run id, a
 * percentage, a "<11", or a number followed by its unit (days, nights...).
 */
function countsOnPage(html: string): number[] {
  const out: number[] = [];
  for (const text of pageText(html)) {
    const t = text
      .replace(/\b\d{4}-\d{2}(-\d{2})?\b/g, ' ')
      .replace(/\b[0-9a-f]{8}-[0-9a-f-]{27}\b/g, ' ')
      .replace(/\b\d+(\.\d+)?%/g, ' ')
      .replace(/<\d+/g, ' ')
      .replace(/\b\d+-\d+(%| days| months)/g, ' ')
      .replace(/\b\d+(\.\d+)? (day|days|night|nights|months|month|runs|run)\b/gi, ' ')
      .replace(/\bday \d+\b/gi, ' ')
      .replace(/\b(from|to) 1 to \d+\b/g, ' ')
      .replace(/\b\d+\.\d+\b/g, ' '); // per-night rates (of a week total that is itself shown or withheld)
    for (const m of t.matchAll(/(?<![\w.])\d[\d,]*(\.\d+)?(?![\w.])/g)) out.push(Number(m[0].replace(/,/g, '')));
  }
  return out;
}

describe('metrics with small-cell suppression, over generated nights', () => {
  let tmp: string;
  let dbFile: string;
  let nights: string[];
  let conn: Db;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'linkages-suppress-'));
    dbFile = join(tmp, 'linkages.duckdb');
    const synth = join(tmp, 'in');
    // Five nights from a Friday: the first night, a two-night week and a two-night week.
    ok(['synth', '--families', '500', '--seed', '5', '--out', synth, '--nights', '5']);
    for (const k of [1, 2, 3, 4, 5]) {
      const dir = k === 1 ? synth : join(synth, `night-${k}`);
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
        dbFile,
        '--out',
        join(tmp, 'out'),
        '--quiet',
        '--log-level',
        'error',
      ]);
    }
    nights = readdirSync(join(tmp, 'out'))
      .filter((n) => /^\d{4}-\d{2}-\d{2}$/.test(n))
      .sort();
    for (const format of ['csv', 'parquet', 'arrow']) ok(['metrics', '--db', dbFile, '--out', join(tmp, format), '--format', format]);
    ok(['metrics', '--db', dbFile, '--out', join(tmp, 'internal'), '--no-suppression']);
    conn = await openDatabase(':memory:', { threads: 1, memoryLimit: '1GB' });
  }, 420_000);

  afterAll(() => {
    conn?.close();
    if (tmp && process.env.KEEP_TMP !== '1') rmSync(tmp, { recursive: true, force: true });
  });

  it('leaves no count from 1 to 10 in the CSV, Parquet or Arrow files', async () => {
    expect(nights).toHaveLength(5);
    let withheld = 0;
    for (const table of TABLES) {
      const cols = countColumns(table);
      const csv = readRows(join(tmp, 'csv', `${table}.csv`));
      const arrow = tableFromIPC(readFileSync(join(tmp, 'arrow', `${table}.arrow`))).toArray();
      const parquet = await conn.all<Record<string, unknown>>(`SELECT * FROM read_parquet(${lit(join(tmp, 'parquet', `${table}.parquet`))})`);
      expect(arrow.length, table).toBe(csv.length);
      expect(parquet.length, table).toBe(csv.length);
      for (const col of cols) {
        for (const [i, r] of csv.entries()) {
          const cell = r[col]!;
          if (cell === '<11' || cell === 'withheld') withheld += 1;
          else expect(/^\d+$/.test(cell) && (Number(cell) === 0 || Number(cell) >= 11), `${table}.csv row ${i} ${col}=${cell}`).toBe(true);
          for (const [fmt, v] of [
            ['parquet', parquet[i]![col]],
            ['arrow', arrow[i]![col]],
          ] as const) {
            if (v === null) expect(seen(cell), `${table}.${fmt} ${col}`).toBeNull();
            else expect(Number(v) === 0 || Number(v) >= 11, `${table}.${fmt} row ${i} ${col}=${v}`).toBe(true);
          }
        }
      }
    }
    // A small county: plenty of cells had to be withheld.
    expect(withheld).toBeGreaterThan(20);
  });

  it('leaves no count from 1 to 10 on the page, and says why some are shown as "<11"', () => {
    const html = readFileSync(join(tmp, 'csv', 'report.html'), 'utf8');
    const counts = countsOnPage(html);
    expect(counts.length).toBeGreaterThan(30);
    expect(counts.filter((n) => n >= 1 && n <= 10)).toEqual([]);
    expect(html).toContain('&lt;11');
    expect(html).toMatch(/Counts from 1 to 10 are shown as/);
    // The internal page shows them, and says it is internal.
    const internal = readFileSync(join(tmp, 'internal', 'report.html'), 'utf8');
    expect(countsOnPage(internal).some((n) => n >= 1 && n <= 10)).toBe(true);
    expect(internal).toMatch(/Internal use only/);
  });

  it('lets no withheld cell be worked out from a total or a difference that is shown', () => {
    const html = readFileSync(join(tmp, 'csv', 'report.html'), 'utf8');
    const runs = readRows(join(tmp, 'csv', 'metrics_runs.csv'));
    const cell = (night: string, measure: string, category = '') =>
      runs.find((r) => r.run_date === night && r.measure === measure && r.category === category)!.value;
    // Weeks on the page = sums of the nights in the files; the period = sum of the weeks.
    const weekRows = [...html.matchAll(/<tr><th scope="row">(\d{4}-\d{2}-\d{2})<\/th><td>([^<]*)<\/td><td>(\d+) nights?<\/td>/g)].map((m) => ({
      week: m[1]!,
      total: m[2]!.replace('&lt;', '<'),
    }));
    expect(weekRows.length).toBe(2);
    const weekOf = (night: string) => weekRows.filter((w) => w.week <= night).at(-1)!.week;
    const unknowns = (cells: string[]) => cells.filter((c) => seen(c) === null).length;
    for (const w of weekRows) {
      const members = [
        w.total,
        ...nights
          .slice(1)
          .filter((n) => weekOf(n) === w.week)
          .map((n) => cell(n, 'new_mutual_clients')),
      ];
      expect(unknowns(members as string[]), `week ${w.week}: ${members.join(' ')}`).not.toBe(1);
    }
    const identified = /and ([^ ]+) after it/.exec(html)![1]!.replace('&lt;', '<');
    expect(unknowns([identified, ...weekRows.map((w) => w.total)])).not.toBe(1);
    // Bins of time to identification add up to the same families.
    const bins = [
      ...html.matchAll(/<tr><th scope="row">(0-7 days|8-30 days|1-3 months|3-6 months|6-12 months|over a year|unknown)<\/th><td>([^<]*)<\/td>/g),
    ].map((m) => m[2]!.replace('&lt;', '<'));
    expect(bins.length).toBeGreaterThan(3);
    expect(unknowns([identified, ...bins])).not.toBe(1);
    // Differences the files invite: families still followed and events between two days; a count and the count it is part of.
    const diffOk = (a: string | undefined, b: string | undefined) => {
      const [x, y] = [seen(a), seen(b)];
      return x === null || y === null || Math.abs(x - y) === 0 || Math.abs(x - y) >= 11;
    };
    // Cumulative columns: the difference of any two shown days is a count too.
    const surv = readRows(join(tmp, 'csv', 'metrics_survival.csv'));
    for (const a of surv) {
      for (const b of surv) {
        if (a.cohort !== b.cohort || Number(a.day) >= Number(b.day)) continue;
        expect(diffOk(a.followed, b.followed), `followed ${a.cohort} day ${a.day}-${b.day}: ${a.followed} ${b.followed}`).toBe(true);
        if (a.outcome === b.outcome) expect(diffOk(a.events_by, b.events_by), `events_by ${a.outcome} ${a.cohort} day ${a.day}-${b.day}`).toBe(true);
      }
    }
    const within = CODEBOOK.find((t) => t.table === 'metrics_outcomes')!;
    expect(within).toBeDefined();
    for (const o of readRows(join(tmp, 'csv', 'metrics_outcomes.csv'))) {
      for (const [part, whole] of [
        ['sanctioned_at_identification', 'mutual_clients'],
        ['followed_6m', 'mutual_clients'],
        ['child_removed_after_identification', 'mutual_clients'],
      ] as const) {
        expect(diffOk(o[part], o[whole]), `${o.cohort} ${part} within ${whole}: ${o[part]} of ${o[whole]}`).toBe(true);
      }
    }
    for (const n of nights) expect(diffOk(cell(n, 'unassigned_mutual_clients'), cell(n, 'mutual_clients')), n).toBe(true);
  });

  it('reconciles the page: every count of identified families is the same families', () => {
    // Internal run: exact counts.
    const dir = join(tmp, 'internal');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const m =
      /([\d,]+) families were identified as mutual clients: ([\d,]+) on the first night \(already in both programs when Linkages started\) and ([\d,]+) after it/.exec(
        html,
      );
    expect(m).not.toBeNull();
    const [all, baseline, later] = [m![1], m![2], m![3]].map((x) => Number(x!.replace(/,/g, '')));
    expect(all).toBe(baseline! + later!);
    const ident = readRows(join(dir, 'metrics_identification.csv')).filter((r) => r.continues === '');
    expect(ident.filter((r) => r.baseline === 'false')).toHaveLength(later!);
    expect(ident.filter((r) => r.baseline === 'true')).toHaveLength(baseline!);
    const runs = readRows(join(dir, 'metrics_runs.csv')).filter((r) => r.measure === 'new_mutual_clients');
    expect(runs.filter((r) => r.run_date !== nights[0]).reduce((a, r) => a + Number(r.value), 0)).toBe(later);
    const weeks = [...html.matchAll(/<tr><th scope="row">\d{4}-\d{2}-\d{2}<\/th><td>([\d,]+)<\/td><td>\d+ nights?<\/td>/g)].map((x) =>
      Number(x[1]!.replace(/,/g, '')),
    );
    expect(weeks.reduce((a, b) => a + b, 0)).toBe(later);
    const bins = [
      ...html.matchAll(/<tr><th scope="row">(?:0-7 days|8-30 days|1-3 months|3-6 months|6-12 months|over a year|unknown)<\/th><td>([\d,]+)<\/td>/g),
    ].map((x) => Number(x[1]));
    expect(bins.reduce((a, b) => a + b, 0)).toBe(later);
    const outcomes = readRows(join(dir, 'metrics_outcomes.csv'));
    expect(outcomes.filter((o) => o.cohort === 'new').reduce((a, o) => a + Number(o.mutual_clients), 0)).toBe(later);
    expect(outcomes.filter((o) => o.cohort === 'baseline').reduce((a, o) => a + Number(o.mutual_clients), 0)).toBe(baseline);
    const surv = readRows(join(dir, 'metrics_survival.csv'));
    expect(Number(surv.find((s) => s.cohort === 'new' && s.day === '0')!.followed)).toBe(later);
  });

  it('takes the threshold from the config', () => {
    const config = join(tmp, 'config.json');
    writeFileSync(config, JSON.stringify({ metrics: { suppress_below: 5 } }));
    const r = ok(['metrics', '--db', dbFile, '--out', join(tmp, 'five'), '--config', config]);
    expect(r.stdout).toMatch(/counts below 5 withheld/);
    const values = readRows(join(tmp, 'five', 'metrics_runs.csv')).map((x) => x.value!);
    expect(values).toContain('<5');
    expect(values.filter((v) => /^[1-4]$/.test(v))).toEqual([]);
    expect(values.some((v) => /^([5-9]|10)$/.test(v))).toBe(true);
    expect(readFileSync(join(tmp, 'five', 'report.html'), 'utf8')).toContain('Counts from 1 to 4 are shown as “&lt;5”');
  });

  it('writes a codebook beside the files, and the same descriptions inside Parquet and Arrow; lists stay lists', async () => {
    for (const format of ['csv', 'parquet', 'arrow']) {
      const md = readFileSync(join(tmp, format, 'codebook.md'), 'utf8');
      expect(md).toMatch(/Suppression: ON/);
      for (const t of CODEBOOK) for (const c of t.columns) expect(md, `${t.table}.${c.name}`).toContain(`| \`${c.name}\` |`);
    }
    expect(readFileSync(join(tmp, 'internal', 'codebook.md'), 'utf8')).toMatch(/Suppression: OFF/);
    for (const table of TABLES) {
      const file = join(tmp, 'parquet', `${table}.parquet`);
      const cols = await conn.all<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM read_parquet(${lit(file)})`);
      // Every column of every file is in the codebook, and the other way round.
      expect(
        cols.map((c) => c.column_name),
        table,
      ).toEqual(CODEBOOK.find((t) => t.table === table)!.columns.map((c) => c.name));
      const kv = await conn.all<{ key: string; value: string }>(
        `SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata(${lit(file)}) WHERE decode(key) LIKE 'linkages:column:%'`,
      );
      expect(kv.map((k) => k.key.replace('linkages:column:', '')).sort(), table).toEqual(cols.map((c) => c.column_name).sort());
      const arrow = tableFromIPC(readFileSync(join(tmp, 'arrow', `${table}.arrow`)));
      for (const f of arrow.schema.fields) expect(f.metadata.get('description'), `${table}.${f.name}`).toBeTruthy();
    }
    const identCols = await conn.all<{ column_name: string; column_type: string }>(
      `DESCRIBE SELECT * FROM read_parquet(${lit(join(tmp, 'parquet', 'metrics_identification.parquet'))})`,
    );
    const types = Object.fromEntries(identCols.map((c) => [c.column_name, c.column_type]));
    expect(types).toMatchObject({ case_numbers: 'VARCHAR[]', cws_client_ids: 'VARCHAR[]', continues: 'VARCHAR[]', days_followed: 'INTEGER' });
    const arrow = tableFromIPC(readFileSync(join(tmp, 'arrow', 'metrics_identification.arrow')));
    expect(String(arrow.schema.fields.find((f) => f.name === 'case_numbers')!.type)).toBe('List<Utf8>');
    expect(arrow.get(0)!.case_numbers.toArray().length).toBeGreaterThan(0);
    // CSV joins them with ';'.
    expect(readRows(join(tmp, 'csv', 'metrics_identification.csv'))[0]!.case_numbers).toMatch(/^B\d+(;B\d+)*$/);
  });
});
