/**
 * Relatives and namesakes kept apart, their own true pairs still linked, on a
 * generated county (`linkages synth`, 4,000 families) through `linkages run`:
 * adult twins heading families on both systems, adults named after a parent
 * (JR/SR, mother and daughter), and namesakes. The look-alikes come from the
 * generator's model (the truth), the links from links.csv.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { runCli } from '../helpers/cli.js';
import { families } from '../unit/synthHelpers.js';

const FAMILIES = 4000;
const SEED = 31;
const NIGHT = '2026-11-20';
type Row = Record<string, string>;
const readCsv = (file: string): Row[] => Papa.parse<Row>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true }).data;

let root: string;
let links: Row[];
let review: Row[];
/** entity id -> its record ids in each system. */
const recordsOf = new Map<string, { CALWORKS: string[]; CWS: string[] }>();
/** [kind, entity a, entity b] of every cross-family look-alike pair in the model. */
let lookalikes: [string, string, string][];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'linkages-relatives-'));
  expect(runCli(['synth', '--families', String(FAMILIES), '--seed', String(SEED), '--out', join(root, 'data')]).code).toBe(0);
  const r = runCli([
    'run',
    '--calworks',
    join(root, 'data', 'calworks.csv'),
    '--cws',
    join(root, 'data', 'cws.csv'),
    '--db',
    join(root, 'linkages.duckdb'),
    '--out',
    join(root, 'out'),
    '--run-date',
    NIGHT,
    '--log-level',
    'error',
    '--quiet',
  ]);
  expect(r.code).toBe(0);
  links = readCsv(join(root, 'out', NIGHT, 'links.csv'));
  review = readCsv(join(root, 'out', NIGHT, 'review_queue.csv'));
  for (const t of readCsv(join(root, 'data', 'truth_persons.csv'))) {
    const e = recordsOf.get(t.entity_id!) ?? { CALWORKS: [], CWS: [] };
    e[t.system as 'CALWORKS' | 'CWS'].push(t.record_id!);
    recordsOf.set(t.entity_id!, e);
  }
  const persons = families(FAMILIES, SEED).flatMap((f) => f.persons);
  lookalikes = persons
    .filter((p) => p.lookalike && ['ADULT_TWIN', 'NAMED_AFTER_PARENT', 'NAMESAKE'].includes(p.lookalike.kind))
    .map((p) => [p.lookalike!.kind, p.entityId, p.lookalike!.of]);
}, 300_000);

afterAll(() => {
  if (process.env.KEEP_TMP !== '1') rmSync(root, { recursive: true, force: true });
});

const linked = (a: string, b: string) => links.some((l) => l.calworks_person_id === a && l.cws_client_id === b);

/** Cross-system record pairs between two entities (either direction). */
function crossPairs(a: string, b: string): [string, string][] {
  const ra = recordsOf.get(a);
  const rb = recordsOf.get(b);
  if (!ra || !rb) return [];
  return [
    ...ra.CALWORKS.flatMap((l) => rb.CWS.map((r): [string, string] => [l, r])),
    ...rb.CALWORKS.flatMap((l) => ra.CWS.map((r): [string, string] => [l, r])),
  ];
}

describe('relatives living together and namesakes', () => {
  it('the generated county holds twins, juniors/seniors and namesakes on both systems', () => {
    for (const kind of ['ADULT_TWIN', 'NAMED_AFTER_PARENT', 'NAMESAKE']) {
      const across = lookalikes.filter(([k, a, b]) => k === kind && crossPairs(a, b).length > 0);
      expect(across.length, kind).toBeGreaterThan(3);
    }
  });

  it('links none of them', () => {
    const wrong = lookalikes.flatMap(([kind, a, b]) =>
      crossPairs(a, b)
        .filter(([l, r]) => linked(l, r))
        .map(() => kind),
    );
    expect(wrong).toEqual([]);
  });

  it('still links the true pairs of the look-alikes themselves', () => {
    const people = [...new Set(lookalikes.flatMap(([, a, b]) => [a, b]))];
    const truePairs = people.flatMap((e) => crossPairs(e, e));
    expect(truePairs.length).toBeGreaterThan(20);
    const found = truePairs.filter(([l, r]) => linked(l, r)).length;
    expect(found / truePairs.length).toBeGreaterThan(0.97);
  });

  it('never links automatically two records whose valid SSNs differ', () => {
    const auto = links.filter((l) => l.decision === 'AUTO');
    expect(auto.length).toBeGreaterThan(500);
    expect(auto.filter((l) => /ssn: different/.test(l.explanation!))).toEqual([]);
  });

  it('tells the coordinator why a relative is in the queue', () => {
    const reasons = new Set(review.map((q) => q.reason));
    expect([...reasons].some((r) => /twins|JR\/SR|relative|different SSNs/.test(r!))).toBe(true);
  });
});
