/**
 * Blocking: a true pair survives at least one rule with no SSN and its names
 * misspelt; an oversized block is skipped and counted, never silently lost;
 * extra rules run only within their budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { normalize } from '../../src/normalize/index.js';
import { buildCandidates } from '../../src/match/blocking.js';
import { buildHouseholdPairs } from '../../src/match/household.js';
import { buildMatchPersons } from '../../src/match/persons.js';
import { DECISIONS_IN_FORCE_SQL } from '../../src/match/tables.js';
import { cw, cws, stage, type Row } from './match-fixtures.js';

/** True pairs, none with an SSN on the child-welfare side, each hard in its own way. */
const TRUE_PAIRS: [string, Row, Row][] = [
  [
    'nickname and married surname',
    { first_name: 'WILLIAM', last_name: 'ORTIZ', dob: '1988-04-02' },
    { first_name: 'BILL', last_name: 'NAVARRO', dob: '1988-04-02' },
  ],
  [
    'misspelt surname, birth year off',
    { first_name: 'GLORIA', last_name: 'VASQUEZ', dob: '1979-10-30' },
    { first_name: 'GLORIA', last_name: 'VAZQUES', dob: '1978-10-30' },
  ],
  [
    'names swapped, day and month swapped',
    { first_name: 'TRAN', last_name: 'MINH', dob: '1993-03-07' },
    { first_name: 'MINH', last_name: 'TRAN', dob: '1993-07-03' },
  ],
  [
    'one part of a compound surname, a day off',
    { first_name: 'ROSA', last_name: 'RIOS MARTINEZ', dob: '1983-04-25' },
    { first_name: 'ROSA', last_name: 'MARTINEZ', dob: '1983-04-26' },
  ],
  ['no birth date, first name misspelt', { first_name: 'KATHERINE', last_name: 'OKAFOR', dob: '1991-02-14' }, { first_name: 'KATHRINE', last_name: 'OKAFOR' }],
  [
    'only the phone in common',
    { first_name: 'DESIREE', last_name: 'HOLLOWAY', dob: '1987-06-09', phone: '5105550123' },
    { first_name: 'DEZ', last_name: 'JACKSON', phone: '510-555-0123' },
  ],
];

let db: Db;
let dir: string;

async function candidates(maxBlockPairs: number, extraPerParent: number) {
  await db.exec(`CREATE OR REPLACE TEMP TABLE tmp_decisions_in_force AS ${DECISIONS_IN_FORCE_SQL}`);
  return buildCandidates(db, maxBlockPairs, extraPerParent);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'linkages-blocking-'));
  db = await openDatabase(':memory:', { threads: 2, memoryLimit: '1GB' });
  await migrate(db);
  const calworks: Row[] = TRUE_PAIRS.map(([, l], i) => cw(`T${i}`, { sex: 'F', ...l }));
  const cwsRows: Row[] = TRUE_PAIRS.map(([, , r], i) => cws(`T${i}`, { sex: 'F', ...r }));
  // a crowd sharing one birth date: a block of 30 x 30 pairs
  for (let i = 0; i < 30; i++) {
    calworks.push(cw(`X${i}`, { first_name: `A${'BCDEFGHIJKLMNOPQRSTUVWXYZ'[i % 25]}NNA`, last_name: `LAST${i}`, dob: '2000-01-01' }));
    cwsRows.push(cws(`X${i}`, { first_name: `A${'BCDEFGHIJKLMNOPQRSTUVWXYZ'[i % 25]}NNE`, last_name: `OTHER${i}`, dob: '2000-01-01' }));
  }
  await stage(db, dir, calworks, cwsRows);
  await normalize(db);
  await buildMatchPersons(db);
  await buildHouseholdPairs(db);
});

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const isCandidate = (id: string) =>
  db.count(`
    SELECT count(*) FROM tmp_candidates c
    JOIN int_persons l ON l.pid = c.pid_l JOIN int_persons r ON r.pid = c.pid_r
    WHERE l.person_key = '${id}' AND r.person_key = '${id}'`);

describe('blocking', () => {
  it.each(TRUE_PAIRS.map(([name], i) => [name, i] as const))('keeps a true pair: %s', async (_name, i) => {
    await candidates(1000, 0);
    expect(await isCandidate(`T${i}`)).toBe(1);
  });

  it('deduplicates pairs found by several rules and counts each rule', async () => {
    const counts = await candidates(1000, 0);
    expect(await db.count(`SELECT count(*) - count(DISTINCT (pid_l, pid_r)) FROM tmp_candidates`)).toBe(0);
    expect(counts.pairs_by_rule.dob_given_initial).toBeGreaterThan(0);
    expect(counts.candidate_pairs).toBe(await db.count(`SELECT count(*) FROM tmp_candidates`));
  });

  it('skips an oversized block and counts it, keeping the other rules', async () => {
    const counts = await candidates(100, 0);
    expect(counts.capped_blocks.dob_given_initial).toBeGreaterThanOrEqual(1);
    expect(counts.capped_pairs.dob_given_initial).toBeGreaterThanOrEqual(900);
    for (let i = 0; i < TRUE_PAIRS.length; i++) expect(await isCandidate(`T${i}`)).toBe(1);
  });

  it('runs an extra rule only within its budget, and says so', async () => {
    const none = await candidates(1000, 0);
    expect(none.extra_rules_skipped).toContain('dob');
    const plenty = await candidates(1000, 1000);
    expect(plenty.extra_rules_skipped).toEqual([]);
    expect(plenty.pairs_by_rule.dob).toBeGreaterThanOrEqual(900);
  });
});
