/**
 * Every comparison level, on hand-made pairs: a CalWORKs parent L and a
 * child-welfare parent R that differ in one way each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { normalize } from '../../src/normalize/index.js';
import { COMPARISONS, gammaColumn } from '../../src/match/comparisons.js';
import { gammaSelect } from '../../src/match/gammas.js';
import { buildHouseholdPairs } from '../../src/match/household.js';
import { buildMatchPersons } from '../../src/match/persons.js';
import { labelSql } from '../../src/match/persist.js';
import { cw, cws, stage, type Row } from './match-fixtures.js';

const BASE: Row = { first_name: 'JOHN', last_name: 'SMITH', dob: '1990-05-17', sex: 'M' };

/** [comparison, expected level label, CalWORKs fields, child-welfare fields, L with a child on the case] */
const CASES: [string, string, Row, Row, boolean?][] = [
  ['first_name', 'exact', {}, {}],
  ['first_name', 'nickname or same first part', { first_name: 'WILLIAM' }, { first_name: 'BILL' }],
  ['first_name', 'nickname or same first part', { first_name: 'MARIA GUADALUPE' }, { first_name: 'MARIA' }],
  ['first_name', 'close spelling', { first_name: 'DESTINY' }, { first_name: 'DESTINEY' }],
  ['first_name', 'swapped with middle name', { first_name: 'JOHN', middle_name: 'PAUL' }, { first_name: 'PAUL', middle_name: 'JOHN' }],
  ['first_name', 'swapped with last name', {}, { first_name: 'SMITH', last_name: 'JOHN' }],
  ['first_name', 'similar', { first_name: 'ZANDRA' }, { first_name: 'SANDRA' }],
  ['first_name', 'initial agrees', { first_name: 'J' }, {}],
  ['first_name', 'different', {}, { first_name: 'MARK' }],
  ['first_name', 'missing', {}, { first_name: 'BABY BOY' }],
  ['last_name', 'exact', {}, {}],
  ['last_name', 'compound surname part', { last_name: 'GARCIA LOPEZ' }, { last_name: 'GARCIA' }],
  ['last_name', 'compound surname part', { last_name: 'GARCIALOPEZ' }, { last_name: 'LOPEZ' }],
  ['last_name', 'close spelling', { last_name: 'RODRIGUEZ' }, { last_name: 'RODRIGEUZ' }],
  ['last_name', 'swapped with first name', {}, { first_name: 'SMITH', last_name: 'JOHN' }],
  ['last_name', 'similar', { last_name: 'JOHNSON' }, { last_name: 'JONSEN' }],
  ['last_name', 'different', {}, { last_name: 'NGUYEN' }],
  ['last_name', 'missing', { last_name: 'UNKNOWN' }, {}],
  ['dob', 'exact', {}, {}],
  ['dob', 'exact, estimated-looking date', { dob: '1990-01-01' }, { dob: '1990-01-01' }],
  ['dob', 'day and month swapped', { dob: '1990-05-07' }, { dob: '1990-07-05' }],
  ['dob', 'one day off', {}, { dob: '1990-05-18' }],
  ['dob', 'one year off', {}, { dob: '1991-05-17' }],
  // where a family is on record, a same day of another year is its own level (a sibling born that day)...
  ['dob', 'one digit of the year off', {}, { dob: '1994-05-17' }, true],
  // ...in files without families it stays a typing slip
  ['dob', 'one digit off', {}, { dob: '1994-05-17' }],
  ['dob', 'one digit off', {}, { dob: '1990-05-27' }],
  ['dob', 'same year, one date estimated', { dob: '1990-01-01' }, { dob: '1990-06-30' }],
  ['dob', 'same year, month or day agrees', {}, { dob: '1990-05-03' }],
  ['dob', 'different', {}, { dob: '1968-05-17' }],
  ['dob', 'different', {}, { dob: '1970-11-02' }],
  ['dob', 'missing', {}, { dob: '' }],
  // (each case its own SSN: one recorded for three people is taken for a placeholder)
  ['ssn', 'exact', { ssn: '524-71-9933' }, { ssn: '524719933' }],
  ['ssn', 'one digit off', { ssn: '524-71-9935' }, { ssn: '524-71-9934' }],
  ['ssn', 'two digits transposed', { ssn: '524-71-9936' }, { ssn: '524-71-9396' }],
  ['ssn', 'different', { ssn: '524-71-9937' }, { ssn: '301-22-4567' }],
  ['ssn', 'missing', { ssn: '524-71-9938' }, { ssn: '999-99-9999' }],
  ['sex', 'agrees', {}, {}],
  ['sex', 'different', {}, { sex: 'F' }],
  ['sex', 'missing', {}, { sex: 'U' }],
  ['middle_name', 'exact', { middle_name: 'ANN' }, { middle_name: 'ANN' }],
  ['middle_name', 'swapped with first name', { first_name: 'JOHN', middle_name: 'PAUL' }, { first_name: 'PAUL', middle_name: 'JOHN' }],
  ['middle_name', 'initial agrees', { middle_name: 'ANN' }, { middle_name: 'A' }],
  ['middle_name', 'different', { middle_name: 'ANN' }, { middle_name: 'BETH' }],
  ['middle_name', 'missing', { middle_name: 'ANN' }, {}],
  ['name_suffix', 'agrees', { name_suffix: 'JR' }, { last_name: 'SMITH JR.' }],
  ['name_suffix', 'different', { name_suffix: 'JR' }, { name_suffix: 'SR' }],
  ['name_suffix', 'missing', {}, {}],
  [
    'household',
    'phone and address',
    { street_address: '12 Oak Street', phone: '5105550101', zip: '94607' },
    { street_address: '12 OAK ST', phone: '(510) 555-0101' },
  ],
  [
    'household',
    'address, ZIP and city',
    { street_address: '12 Oak St', zip: '94607', city: 'Oakland' },
    { street_address: '12 Oak St Apt 3', zip: '94607', city: 'OAKLAND' },
  ],
  [
    'household',
    'address and ZIP or city',
    { street_address: '12 Oak St', zip: '94607', city: 'Oakland' },
    { street_address: '12 Oakk St', zip: '94607', city: 'Berkeley' },
  ],
  ['household', 'phone', { phone: '5105550101', street_address: '12 Oak St' }, { phone: '5105550101', street_address: '9 Elm St' }],
  ['household', 'address only', { street_address: '12 Oak St', zip: '94607' }, { street_address: '12 Oak St', zip: '94702' }],
  ['household', 'ZIP and city', { zip: '94607', city: 'Oakland' }, { zip: '94607', city: 'Oakland' }],
  ['household', 'ZIP or city', { zip: '94607', city: 'Oakland' }, { zip: '94702', city: 'Oakland' }],
  ['household', 'none', { zip: '94607' }, { zip: '94702' }],
  ['household', 'missing', {}, {}],
];

/** Household levels that need the families: [label, CalWORKs members, child-welfare members] of L and R. */
const FAMILY_CASES: [string, Row[], Row[]][] = [
  [
    'two or more family members in common',
    [
      { first_name: 'LUIS', last_name: 'SMITH', dob: '2015-02-02', sex: 'M' },
      { first_name: 'ANA', last_name: 'SMITH', dob: '2017-03-03', sex: 'F' },
    ],
    [
      { first_name: 'LUIS', last_name: 'SMITH', dob: '2015-02-02', sex: 'M' },
      { first_name: 'ANNA', last_name: 'SMITH', dob: '2017-03-03' },
    ],
  ],
  [
    'a family member in common',
    [{ first_name: 'LUIS', last_name: 'SMITH', dob: '2015-02-02' }],
    [{ first_name: 'SMITH', last_name: 'LUIS', dob: '2015-02-02' }], // first and last swapped on the child
  ],
  [
    // the parents' own addresses differ (here: unknown), a child on each side lives at the same address
    'an address or phone in common within the families',
    [{ first_name: 'LUIS', last_name: 'SMITH', dob: '2015-02-02', street_address: '5 Pine St Apt 2' }],
    [{ first_name: 'EMMA', last_name: 'SMITH', dob: '2019-09-09', street_address: '5 PINE STREET #2' }],
  ],
  ['different families', [{ first_name: 'LUIS', last_name: 'SMITH', dob: '2015-02-02' }], [{ first_name: 'EMMA', last_name: 'SMITH', dob: '2019-09-09' }]],
];

let db: Db;
let dir: string;
const levels = new Map<string, Record<string, string>>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'linkages-comparisons-'));
  db = await openDatabase(':memory:', { threads: 2, memoryLimit: '1GB' });
  await migrate(db);
  const calworks: Row[] = [];
  const cwsRows: Row[] = [];
  CASES.forEach(([, , l, r, withFamily], i) => {
    calworks.push(cw(`L${i}`, { ...BASE, ...l }));
    cwsRows.push(cws(`R${i}`, { ...BASE, ...r }));
    if (withFamily) calworks.push(cw(`L${i}K`, { first_name: 'NINA', last_name: 'SMITH', dob: '2016-04-04', person_role: 'CHILD', case_number: `CASE-L${i}` }));
  });
  FAMILY_CASES.forEach(([, lKids, rKids], j) => {
    const i = `F${j}`;
    calworks.push(cw(`L${i}`, { ...BASE, zip: '94607' }));
    cwsRows.push(cws(`R${i}`, { ...BASE, zip: '94702' }));
    lKids.forEach((k, n) => calworks.push(cw(`L${i}K${n}`, { ...k, person_role: 'CHILD', case_number: `CASE-L${i}` })));
    rKids.forEach((k, n) => cwsRows.push(cws(`R${i}K${n}`, { ...k, client_role: 'CHILD', referral_id: `REF-R${i}` })));
  });
  await stage(db, dir, calworks, cwsRows);
  await normalize(db);
  await buildMatchPersons(db);
  await buildHouseholdPairs(db);
  const pairs = `
    SELECT l.pid AS pid_l, r.pid AS pid_r, substr(l.person_key, 2) AS case_id
    FROM tmp_match_persons l JOIN tmp_match_persons r ON substr(r.person_key, 2) = substr(l.person_key, 2)
    WHERE l.system = 'CALWORKS' AND r.system = 'CWS'`;
  const rows = await db.all<Record<string, string>>(
    `SELECT case_id, ${COMPARISONS.map((c, k) => `${labelSql(k, 'g')} AS ${c.name}`).join(', ')} FROM (${gammaSelect(pairs)}) g`,
  );
  for (const r of rows) levels.set(r.case_id!, r);
});

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('comparison levels', () => {
  it('covers every level of every comparison', () => {
    const tested = new Set([...CASES.map(([c, l]) => `${c}/${l}`), ...FAMILY_CASES.map(([l]) => `household/${l}`)]);
    const all = COMPARISONS.flatMap((c) => c.levels.map((l) => `${c.name}/${l.label}`));
    expect(all.filter((x) => !tested.has(x))).toEqual([]);
  });

  it.each(CASES.map((c, i) => [i, ...c] as const))('case %i: %s is "%s"', (i, comparison, label) => {
    expect(levels.get(String(i))?.[comparison]).toBe(label);
  });

  it.each(FAMILY_CASES.map((c, j) => [j, c[0]] as const))('family case %i: household is "%s"', (j, label) => {
    expect(levels.get(`F${j}`)?.household).toBe(label);
  });

  it('gives each comparison a gamma column', () => {
    expect(COMPARISONS.map(gammaColumn)).toContain('g_household');
  });
});
