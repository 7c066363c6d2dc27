/**
 * Degenerate counties (issue 9), small versions of what `make bench`
 * (scenario `degenerate`) runs at full size: a shelter every family gives as
 * its address and phone, every parent MARIA GARCIA born on one of five days,
 * one referral naming hundreds of clients, every SSN a placeholder. Each
 * night completes through `linkages run`, links nobody to more than a few
 * records, keeps the review queue no longer than the parents, and says what
 * it capped (a warning on stderr, run_summary.json `caps`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { ok, runCli } from '../helpers/cli.js';
import { makeDegenerate, type DegenerateKind } from '../../src/bench/degenerate.js';

type Row = Record<string, string>;
const readCsv = (file: string): Row[] => Papa.parse<Row>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true }).data;
const NIGHT = '2026-11-20';
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'linkages-degenerate-'));
});
afterAll(() => {
  if (process.env.KEEP_TMP !== '1') rmSync(root, { recursive: true, force: true });
});

interface Night {
  code: number;
  stderr: string;
  summary: {
    caps?: { stage: string; cap: string; count: number; limit: number }[];
    match: { links: number; review_pairs: number; blocking: { parents_calworks: number; parents_cws: number } };
  };
  links: Row[];
  review: Row[];
}

function night(kind: DegenerateKind, families: number, size?: number, config?: object): Night {
  const data = join(root, kind);
  ok(['synth', '--families', String(families), '--seed', '9', '--out', data]);
  makeDegenerate(data, kind, size);
  const out = join(root, `${kind}-out`);
  const configFile = join(root, `${kind}.json`);
  if (config) writeFileSync(configFile, JSON.stringify(config));
  const r = runCli([
    'run',
    ...(config ? ['--config', configFile] : []),
    '--calworks',
    join(data, 'calworks.csv'),
    '--cws',
    join(data, 'cws.csv'),
    '--workers',
    join(data, 'workers.csv'),
    '--db',
    join(root, `${kind}.duckdb`),
    '--out',
    out,
    '--run-date',
    NIGHT,
    '--quiet',
  ]);
  const dir = join(out, NIGHT);
  return {
    code: r.code,
    stderr: r.stderr,
    summary: r.code === 0 ? JSON.parse(readFileSync(join(dir, 'run_summary.json'), 'utf8')) : undefined,
    links: r.code === 0 ? readCsv(join(dir, 'links.csv')) : [],
    review: r.code === 0 ? readCsv(join(dir, 'review_queue.csv')) : [],
  };
}

/** Completed; nobody linked to more records than the guard allows; links and review queue within the parents. */
function expectSane(n: Night): void {
  expect(n.code, n.stderr).toBe(0);
  const most = (ids: string[]) => Math.max(0, ...Object.values(ids.reduce<Record<string, number>>((m, id) => ((m[id] = (m[id] ?? 0) + 1), m), {})));
  expect(most(n.links.map((l) => l.calworks_person_id!))).toBeLessThanOrEqual(5);
  expect(most(n.links.map((l) => l.cws_client_id!))).toBeLessThanOrEqual(5);
  const parents = Math.max(n.summary.match.blocking.parents_calworks, n.summary.match.blocking.parents_cws);
  expect(n.links.length).toBeLessThanOrEqual(parents * 1.1);
  expect(n.review.length).toBeLessThanOrEqual(parents);
  expect(n.summary.match.links).toBe(n.links.length);
}

const capOf = (n: Night, cap: string) => n.summary.caps?.find((c) => c.cap === cap);

describe('degenerate counties complete with a sane night and say what they capped', () => {
  it('2,000 families sharing one shelter address and phone', () => {
    const n = night('shelter', 2000);
    expectSane(n);
    // the shelter's phone and address are blocks of millions of pairs: skipped, counted, warned
    expect(capOf(n, 'match.max_block_pairs')!.count).toBeGreaterThanOrEqual(2);
    expect(capOf(n, 'household contact block')!.count).toBeGreaterThanOrEqual(1);
    expect(n.stderr).toMatch(/match: capped: oversized blocking keys skipped .*blocks_phone=1/);
    expect(n.stderr).toMatch(/match: capped: addresses and phones shared by too many families/);
    // the shelter hides no one: most true pairs still link on the person's own identifiers
    expect(n.links.length).toBeGreaterThan(100);
  });

  it('every parent MARIA GARCIA with one of five birth dates', () => {
    const n = night('namesakes', 2000);
    expectSane(n);
    const caps = n.summary.caps!.filter((c) => c.cap === 'match.max_block_pairs');
    expect(caps.length).toBe(2); // blocking keys, and family members paired for household matching
    expect(n.stderr).toMatch(/match: capped: family members sharing a birth date or a name/);
  });

  it('one child-welfare referral naming 300 clients (and mutual clients over a lowered max_cluster_records)', () => {
    const n = night('big_referral', 1000, 300, { match: { max_cluster_records: 2 } });
    expectSane(n);
    const cap = capOf(n, 'match.max_family_members')!;
    expect(cap).toMatchObject({ stage: 'normalize', count: 1, limit: 100 });
    // a mutual client of more records than the cap is left out of classify, counted and warned
    const clusters = capOf(n, 'match.max_cluster_records')!;
    expect(clusters).toMatchObject({ stage: 'classify', limit: 2 });
    const sizes = n.links.reduce<Record<string, Set<string>>>((m, l) => {
      (m[l.mutual_client_id!] ??= new Set()).add(`L${l.calworks_person_id}`).add(`R${l.cws_client_id}`);
      return m;
    }, {});
    const big = Object.entries(sizes)
      .filter(([, s]) => s.size > 2)
      .map(([id]) => id);
    expect(clusters.count).toBe(big.length);
    expect(big.length).toBeGreaterThan(0);
    const mutual = readCsv(join(root, 'big_referral-out', NIGHT, 'mutual_clients.csv'));
    expect(mutual.some((m) => big.includes(m.mutual_client_id!))).toBe(false);
    expect(n.stderr).toMatch(/classify: capped: mutual clients of more records than one person has/);
    expect(n.stderr).toMatch(/normalize: capped: families .* left out of household matching .*largest=(29\d|300)/);
  });

  it('every SSN a placeholder (000-00-0000, 123-45-6789, 999-99-9999...)', () => {
    const n = night('placeholder_ssn', 2000);
    expectSane(n);
    const cap = capOf(n, 'ssn shared by 3+ persons or a placeholder')!;
    expect(cap.count).toBeGreaterThan(1000);
    expect(n.stderr).toMatch(/normalize: capped: most SSNs are placeholders/);
    // nothing links on an SSN: no link may say its SSNs agree
    expect(n.links.length).toBeGreaterThan(100);
    expect(n.links.some((l) => /ssn: exact/.test(l.explanation!))).toBe(false);
  });
});
