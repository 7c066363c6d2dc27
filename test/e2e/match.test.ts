/**
 * Matching through `linkages run` as a user runs it: links.csv and
 * review_queue.csv are written, carry SSNs as last four digits only, are
 * byte-identical on a re-run of the night, and a second night with one new
 * child-welfare record for an already linked person keeps every
 * mutual_client_id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { runCli } from '../helpers/cli.js';

let root: string;
const NIGHT1 = '2026-11-20';
const NIGHT2 = '2026-11-21';

type Row = Record<string, string>;
const readCsv = (file: string): Row[] => Papa.parse<Row>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true }).data;

function run(data: string, night: string, extra: string[] = []): void {
  const r = runCli([
    'run',
    '--calworks',
    join(data, 'calworks.csv'),
    '--cws',
    join(data, 'cws.csv'),
    '--db',
    join(root, 'db', 'linkages.duckdb'),
    '--out',
    join(root, 'out'),
    '--run-date',
    night,
    '--log-level',
    'error',
    '--quiet',
    ...extra,
  ]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'linkages-match-e2e-'));
  const s = runCli(['synth', '--families', '400', '--seed', '11', '--out', join(root, 'night1')]);
  expect(s.code).toBe(0);
  run(join(root, 'night1'), NIGHT1);
});

afterAll(() => {
  if (process.env.KEEP_TMP !== '1') rmSync(root, { recursive: true, force: true });
});

describe('linkages run: matching', () => {
  it('writes links.csv with the interface columns and an explanation', () => {
    const links = readCsv(join(root, 'out', NIGHT1, 'links.csv'));
    expect(links.length).toBeGreaterThan(50);
    for (const col of ['calworks_person_id', 'cws_client_id', 'match_probability', 'match_weight', 'decision', 'mutual_client_id', 'explanation']) {
      expect(Object.keys(links[0]!)).toContain(col);
    }
    expect(new Set(links.map((l) => l.decision))).toEqual(new Set(['AUTO']));
    expect(links.every((l) => /^MC\d{7}$/.test(l.mutual_client_id!))).toBe(true);
    expect(links[0]!.explanation).toMatch(/first_name: /);
    const summary = JSON.parse(readFileSync(join(root, 'out', NIGHT1, 'run_summary.json'), 'utf8'));
    expect(summary.match.links).toBe(links.length);
    expect(summary.match.candidate_pairs).toBeGreaterThan(summary.match.links);
  });

  it('writes the review queue with SSNs as their last four digits only', () => {
    const text = readFileSync(join(root, 'out', NIGHT1, 'review_queue.csv'), 'utf8');
    const header = text.split('\n')[0]!;
    for (const col of [
      'pair_id',
      'calworks_person_id',
      'cws_client_id',
      'match_probability',
      'calworks_first_name',
      'cws_dob',
      'first_name_level',
      'household_weight',
      'decision',
    ]) {
      expect(header.split(',')).toContain(col);
    }
    expect(header).not.toMatch(/(^|,)(calworks_|cws_)?ssn(,|$)/);
    expect(text).not.toMatch(/\b\d{3}-?\d{2}-?\d{4}\b/);
    for (const r of readCsv(join(root, 'out', NIGHT1, 'review_queue.csv'))) {
      expect(r.calworks_ssn_last4 ?? '').toMatch(/^(\d{4})?$/);
    }
  });

  it('writes the same bytes when the night is run again', () => {
    const before = ['links.csv', 'review_queue.csv'].map((f) => readFileSync(join(root, 'out', NIGHT1, f), 'utf8'));
    run(join(root, 'night1'), NIGHT1);
    const after = ['links.csv', 'review_queue.csv'].map((f) => readFileSync(join(root, 'out', NIGHT1, f), 'utf8'));
    expect(after).toEqual(before);
  });

  it('keeps every mutual_client_id when a linked person gets a second child-welfare record', () => {
    const links1 = readCsv(join(root, 'out', NIGHT1, 'links.csv'));
    // night 2: the same extracts plus one new client id for a person already linked
    const night2 = join(root, 'night2');
    mkdirSync(night2, { recursive: true });
    copyFileSync(join(root, 'night1', 'calworks.csv'), join(night2, 'calworks.csv'));
    const cwsText = readFileSync(join(root, 'night1', 'cws.csv'), 'utf8');
    const parsed = Papa.parse<Row>(cwsText, { header: true, skipEmptyLines: true });
    const linked = links1[0]!;
    const source = parsed.data.find((r) => r.client_id === linked.cws_client_id)!;
    const copy: Row = { ...source, client_id: 'CLNEWREC1', referral_id: 'RFNEWREC1', case_id: '' };
    writeFileSync(join(night2, 'cws.csv'), Papa.unparse({ fields: parsed.meta.fields!, data: [...parsed.data, copy] }));
    // Night 1's CalWORKs file again is an input-check anomaly (held, exit 4); here it is the point.
    run(night2, NIGHT2, ['--accept-anomalies']);
    const links2 = readCsv(join(root, 'out', NIGHT2, 'links.csv'));
    const idOf = (rows: Row[]) => new Map(rows.map((r) => [`${r.calworks_person_id}|${r.cws_client_id}`, r.mutual_client_id]));
    const before = idOf(links1);
    const after = idOf(links2);
    for (const [key, id] of before) expect(after.get(key) ?? id).toBe(id);
    const added = links2.find((r) => r.cws_client_id === 'CLNEWREC1');
    expect(added?.mutual_client_id).toBe(linked.mutual_client_id);
  });
});
