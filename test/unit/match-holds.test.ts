/**
 * The holds on top of the model (decide.ts) and the constraints on a fitted
 * model (model.ts): what a coordinator sees in the queue, what is linked,
 * and what is dismissed as a namesake or a relative.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import { decide } from '../../src/match/decide.js';
import { COMPARISONS, comparisonIndex, levelIndex } from '../../src/match/comparisons.js';
import { constrainM, withoutCountedElsewhere } from '../../src/match/model.js';
import { defaultConfig } from '../../src/config/load.js';

const cfg = defaultConfig().match;
const L = (c: string, label: string) => levelIndex(c, label);

/** A scored pair: probability, identity weight, whether each side has a family, and levels (others missing). */
interface Pair {
  name: string;
  twin?: boolean;
  p: number;
  identity: number;
  lFamily: boolean;
  rFamily: boolean;
  g: Record<string, number>;
}

const PAIRS: Pair[] = [
  // same name and birth date, both families on record, nobody and no address or phone in common, no SSN on one side
  {
    name: 'namesake',
    p: 0.999,
    identity: 20,
    lFamily: true,
    rFamily: true,
    g: { first_name: L('first_name', 'exact'), dob: L('dob', 'exact'), household: L('household', 'different families') },
  },
  // the same, with an SSN agreeing: a coordinator should look
  {
    name: 'namesake with SSN',
    p: 0.999,
    identity: 30,
    lFamily: true,
    rFamily: true,
    g: { first_name: L('first_name', 'exact'), ssn: L('ssn', 'exact'), household: L('household', 'different families') },
  },
  // sisters at one address: another given name, a birth date a year off, no SSN: dismissed
  {
    name: 'sister',
    p: 0.99,
    identity: 0.5,
    lFamily: true,
    rFamily: false,
    g: { first_name: L('first_name', 'different'), dob: L('dob', 'one year off'), household: L('household', 'address, ZIP and city') },
  },
  // another given name and another birth date at one address: a relative, dismissed
  {
    name: 'relative',
    p: 0.9,
    identity: -8,
    lFamily: true,
    rFamily: false,
    g: { first_name: L('first_name', 'different'), dob: L('dob', 'different'), household: L('household', 'address, ZIP and city') },
  },
  // the same pattern without families on record (FEBRL-like files): typing errors, linked
  {
    name: 'typos',
    p: 0.9,
    identity: -8,
    lFamily: false,
    rFamily: false,
    g: { first_name: L('first_name', 'different'), dob: L('dob', 'different'), household: L('household', 'address, ZIP and city') },
  },
  // another given name, but the birth date and SSN agree: the same person (a name change), linked
  {
    name: 'renamed',
    p: 0.999,
    identity: 25,
    lFamily: true,
    rFamily: true,
    g: { first_name: L('first_name', 'different'), dob: L('dob', 'exact'), ssn: L('ssn', 'exact'), household: L('household', 'a family member in common') },
  },
  // twins at one address: same birth date and surname, another given name, SSNs differ (+ a strong household)
  {
    name: 'twin, SSNs differ',
    p: 0.99,
    identity: 4,
    lFamily: true,
    rFamily: true,
    g: { first_name: L('first_name', 'different'), dob: L('dob', 'exact'), ssn: L('ssn', 'different'), household: L('household', 'address, ZIP and city') },
  },
  // twins named after each other, no SSN: a coordinator looks
  {
    name: 'twin named after the other',
    p: 0.99,
    identity: 12,
    lFamily: true,
    rFamily: true,
    g: { first_name: L('first_name', 'swapped with middle name'), dob: L('dob', 'exact'), household: L('household', 'phone and address') },
  },
  // a father and son of the same name, a child in common, no SSN: dismissed
  {
    name: 'junior and senior',
    p: 0.97,
    identity: 2,
    lFamily: true,
    rFamily: true,
    g: { first_name: L('first_name', 'exact'), dob: L('dob', 'different'), household: L('household', 'a family member in common') },
  },
  // everything agrees but two valid SSNs differ: never automatic, a coordinator looks
  {
    name: 'SSNs differ',
    p: 0.999,
    identity: 20,
    lFamily: true,
    rFamily: true,
    g: { first_name: L('first_name', 'exact'), dob: L('dob', 'exact'), ssn: L('ssn', 'different'), household: L('household', 'a family member in common') },
  },
  // SSNs differ in a file without families (FEBRL-like: whole SSNs replaced as noise): the model decides
  {
    name: 'SSNs differ, no families',
    p: 0.999,
    identity: 20,
    lFamily: false,
    rFamily: false,
    g: { first_name: L('first_name', 'exact'), dob: L('dob', 'exact'), ssn: L('ssn', 'different') },
  },
  // the other family holds someone with this birth date and surname: a candidate twin
  {
    name: 'candidate twin',
    twin: true,
    p: 0.999,
    identity: 20,
    lFamily: true,
    rFamily: true,
    g: { first_name: L('first_name', 'close spelling'), dob: L('dob', 'exact'), household: L('household', 'a family member in common') },
  },
  // same name and birth date, no family member, address or phone in common (one family not on record): a namesake is possible
  {
    name: 'name and birth date only',
    p: 0.9,
    identity: 20,
    lFamily: true,
    rFamily: false,
    g: { first_name: L('first_name', 'exact'), dob: L('dob', 'exact'), household: L('household', 'none') },
  },
  // the same in the review band: reviewed like any pair of the band, not dropped by the hold
  {
    name: 'name and birth date only, in the band',
    p: 0.4,
    identity: 20,
    lFamily: true,
    rFamily: false,
    g: { first_name: L('first_name', 'exact'), dob: L('dob', 'exact'), household: L('household', 'none') },
  },
  // the same, with a middle name and sex agreeing as well: strong enough on the person's own fields
  {
    name: 'name and birth date only, strong',
    p: 0.995,
    identity: 26,
    lFamily: true,
    rFamily: false,
    g: { first_name: L('first_name', 'exact'), dob: L('dob', 'exact'), middle_name: L('middle_name', 'exact'), household: L('household', 'ZIP or city') },
  },
];

let db: Db;
let outcome: Map<string, string>;

beforeAll(async () => {
  db = await openDatabase(':memory:', { threads: 1, memoryLimit: '512MB' });
  const persons = PAIRS.flatMap((p, i) => [`(${2 * i}, 'L${i}', ${p.lFamily})`, `(${2 * i + 1}, 'R${i}', ${p.rFamily})`]);
  await db.exec(`
    CREATE TEMP TABLE tmp_match_persons AS SELECT * FROM (VALUES ${persons.join(', ')}) t(pid, person_key, has_family);
    CREATE TEMP TABLE tmp_decisions_in_force (calworks_person_id VARCHAR, cws_client_id VARCHAR, decision VARCHAR);`);
  const rows = PAIRS.map((p, i) => {
    const g = COMPARISONS.map((c) => `${p.g[c.name] ?? -1}::TINYINT AS g_${c.name}`).join(', ');
    return `SELECT ${2 * i}::BIGINT AS pid_l, ${2 * i + 1}::BIGINT AS pid_r, 1 AS rules, ${p.p} AS match_probability, 0.0 AS match_weight, ${p.identity} AS identity_weight, ${p.twin === true} AS twin_suspect, ${g}`;
  });
  await db.exec(`CREATE TEMP TABLE tmp_scored AS ${rows.join(' UNION ALL ')}`);
  await decide(db, {
    linkThreshold: cfg.link_threshold,
    reviewThreshold: cfg.review_threshold,
    minIdentityWeight: cfg.min_identity_weight,
    minIdentityWeightFamily: cfg.min_identity_weight_family,
    holdDifferentFamilies: cfg.hold_different_families,
    linkThresholdUncorroborated: cfg.link_threshold_uncorroborated,
  });
  const out = await db.all<{ k: string; outcome: string }>(`SELECT calworks_person_id AS k, outcome FROM tmp_decided`);
  outcome = new Map(out.map((r) => [PAIRS[Number(r.k.slice(1))]!.name, r.outcome]));
});

afterAll(() => db.close());

describe('holds', () => {
  it.each([
    ['namesake', 'DISMISSED'],
    ['namesake with SSN', 'AUTO'],
    ['sister', 'DISMISSED'],
    ['relative', 'DISMISSED'],
    ['typos', 'AUTO'],
    ['renamed', 'AUTO'],
    ['twin, SSNs differ', 'DISMISSED'],
    ['twin named after the other', 'REVIEW'],
    ['junior and senior', 'DISMISSED'],
    ['SSNs differ', 'REVIEW'],
    ['SSNs differ, no families', 'AUTO'],
    ['candidate twin', 'REVIEW'],
    ['name and birth date only', 'REVIEW'],
    ['name and birth date only, strong', 'AUTO'],
    ['name and birth date only, in the band', 'REVIEW'],
  ])('%s: %s', (name, expected) => {
    expect(outcome.get(name)).toBe(expected);
  });
});

describe('model constraints', () => {
  const k = comparisonIndex('name_suffix');
  const last = comparisonIndex('last_name');
  const swapped = L('last_name', 'swapped with first name');
  const m = COMPARISONS.map((c) => c.levels.map(() => 0.5));
  const u = COMPARISONS.map((c) => c.levels.map(() => 0.001));

  it('never lets a disagreement count for a pair (few pairs to learn it from)', () => {
    const fitted = constrainM(m, u);
    expect(fitted[k]![COMPARISONS[k]!.levels.length - 1]).toBe(0.001);
    expect(fitted[k]![0]).toBe(0.5);
  });

  it('counts first and last name swapped once, on the given name', () => {
    expect(constrainM(m, u)[last]![swapped]).toBe(u[last]![swapped]);
    const gammas = COMPARISONS.map(() => 0);
    gammas[last] = swapped;
    expect(withoutCountedElsewhere(gammas)[last]).toBe(-1);
    expect(withoutCountedElsewhere(gammas)[comparisonIndex('first_name')]).toBe(0);
  });
});

describe('review reasons a coordinator reads', () => {
  it('says why a held pair is in the queue', async () => {
    const rows = await db.all<{ k: string; reason: string }>(`SELECT calworks_person_id AS k, reason FROM tmp_review`);
    const reason = new Map(rows.map((r) => [PAIRS[Number(r.k.slice(1))]!.name, r.reason]));
    expect(reason.get('twin named after the other')).toMatch(/twins or sisters/);
    expect(reason.get('SSNs differ')).toMatch(/different SSNs/);
    expect(reason.get('candidate twin')).toMatch(/possibly a twin/);
    expect(reason.get('name and birth date only')).toMatch(/namesake/);
  });
});
