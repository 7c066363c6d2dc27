/**
 * Stage normalize: what a matcher needs from messy records, one person per
 * system in int_persons.
 */
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { normalize, prepareNormalize } from '../../src/normalize/index.js';
import { cw, cws, stage } from './match-fixtures.js';

let db: Db;
let dir: string;

type P = Record<string, unknown>;
const person = async (key: string): Promise<P> => {
  const r = await db.one<P>(`SELECT * FROM int_persons WHERE person_key = '${key}'`);
  if (!r) throw new Error(`no person ${key}`);
  return r;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'linkages-normalize-'));
  db = await openDatabase(':memory:', { threads: 2, memoryLimit: '1GB' });
  await migrate(db);
  await stage(
    db,
    dir,
    [
      cw('A1', {
        first_name: 'José',
        last_name: 'García-López Jr.',
        dob: '1990-05-17',
        ssn: '123-45-6789',
        sex: 'M',
        street_address: '123 North Main Street Apt. 4B',
        zip: '94607-1234',
        phone: '1 (510) 555-0199',
      }),
      cw('A2', { first_name: 'BABY GIRL', last_name: 'UNKNOWN', dob: '2099-01-01', ssn: '666-12-3456' }),
      cw('A3', { first_name: "o'brien", middle_name: 'NMN', last_name: 'de la Cruz', dob: '1985-01-01', ssn: '524-71-9933' }),
      // one person, two cases: the later status date wins, both surnames count
      cw('A4', { case_number: 'C-OLD', first_name: 'MARIA', last_name: 'RAMOS', status_date: '2024-01-01', dob: '1992-03-15' }),
      cw('A4', { case_number: 'C-NEW', first_name: 'MARIA', last_name: 'SOTO', status_date: '2025-06-01', dob: '1992-03-15' }),
      // an SSN shared by three people is a placeholder in practice
      cw('S1', { first_name: 'ANA', last_name: 'X', ssn: '555-44-3333' }),
      cw('S2', { first_name: 'BEA', last_name: 'Y', ssn: '555-44-3333' }),
      cw('S3', { first_name: 'CAL', last_name: 'Z', ssn: '555-44-3333' }),
      cw('K1', { person_role: 'CHILD', case_number: 'CASE-A1', first_name: 'LUIS', last_name: 'GARCIA', dob: '2015-02-02' }),
    ],
    [
      cws('B1', { first_name: 'PEPE', last_name: 'GARCIA LOPEZ', dob: '1990-05-17', street_address: '123 N MAIN ST #4B', zip: '94607', phone: '510.555.0199' }),
      cws('B2', { first_name: 'HIDDEN', last_name: 'PERSON', sensitivity: 'SEALED' }),
      cws('B3', { first_name: 'ANA', last_name: 'SMITH', sensitivity: 'SENSITIVE', case_id: 'CS1' }),
    ],
  );
  await normalize(db);
});

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('names', () => {
  it('upper-cases, strips accents and punctuation, splits the suffix, keeps compound surnames joined and as tokens', async () => {
    const a = await person('A1');
    expect(a.first_name).toBe('JOSE');
    expect(a.last_name).toBe('GARCIA-LOPEZ');
    expect(a.last_joined).toBe('GARCIALOPEZ');
    expect(a.last_tokens).toEqual(['GARCIA', 'LOPEZ']);
    expect(a.name_suffix).toBe('JR');
    const c = await person('A3');
    expect(c.first_name).toBe('OBRIEN');
    expect(c.last_joined).toBe('DELACRUZ');
    expect(c.last_tokens).toEqual(['CRUZ']); // particles DE, LA left out of the token set
  });

  it('makes placeholders unknown', async () => {
    const b = await person('A2');
    expect(b.first_name).toBeNull();
    expect(b.last_name).toBeNull();
    expect((await person('A3')).middle_name).toBeNull(); // NMN = no middle name
  });

  it('knows nicknames and spelling variants from the data file', async () => {
    const a = await person('A1');
    const b = await person('B1');
    const shared = (a.first_groups as string[]).filter((g) => (b.first_groups as string[]).includes(g));
    expect(shared).toContain('JOSE');
  });

  it('gives spelling variants one phonetic key', async () => {
    await prepareNormalize(db);
    const keys = await db.all<{ v: string; k: string }>(`
      SELECT v, nullif(left(collapse_repeats(phonetic_skeleton(phonetic_base(v))), 8), '') AS k
      FROM (SELECT unnest(['GONZALEZ', 'GONZALES', 'HERNANDEZ', 'ERNANDEZ', 'VASQUEZ', 'VAZQUEZ', 'PHILLIPS', 'FILIPS', 'SMITH', 'SMYTH']) AS v)`);
    const k = Object.fromEntries(keys.map((x) => [x.v, x.k]));
    expect(k.GONZALEZ).toBe(k.GONZALES);
    expect(k.HERNANDEZ).toBe(k.ERNANDEZ);
    expect(k.VASQUEZ).toBe(k.VAZQUEZ);
    expect(k.PHILLIPS).toBe(k.FILIPS);
    expect(k.SMITH).toBe(k.SMYTH);
    expect(k.SMITH).not.toBe(k.GONZALEZ);
  });

  it('gathers every surname a person was recorded under, and takes the latest values', async () => {
    const m = await person('A4');
    expect(m.last_name).toBe('SOTO');
    expect([...(m.last_tokens as string[])].sort()).toEqual(['RAMOS', 'SOTO']);
    expect(m.source_rows).toBe(2);
  });
});

describe('dates and identifiers', () => {
  it('drops impossible birth dates and flags estimated-looking ones', async () => {
    expect((await person('A2')).dob).toBeNull(); // in the future
    expect((await person('A3')).dob_estimated).toBe(true); // 1 January
    expect((await person('A4')).dob_estimated).toBe(true); // the 15th
    expect((await person('A1')).dob_estimated).toBe(false);
  });

  it('makes invalid and placeholder SSNs unknown', async () => {
    expect((await person('A1')).ssn).toBeNull(); // 123-45-6789
    expect((await person('A2')).ssn).toBeNull(); // area 666
    expect((await person('A3')).ssn).toBe('524719933');
    expect((await person('S1')).ssn).toBeNull(); // shared by three people
    expect((await person('S1')).ssn_placeholder).toBe(true);
  });

  it('standardizes addresses and phones', async () => {
    const a = await person('A1');
    const b = await person('B1');
    expect(a.addr_key).toBe('123 MAIN');
    expect(b.addr_key).toBe(a.addr_key);
    expect(a.addr_unit).toBe('4B');
    expect(b.addr_unit).toBe('4B');
    expect(a.zip).toBe('94607');
    expect(a.phone).toBe('5105550199');
    expect(b.phone).toBe('5105550199');
  });
});

describe('who is listed', () => {
  it('never lists a SEALED client, keeps SENSITIVE ones flagged', async () => {
    expect(await db.count(`SELECT count(*) FROM int_persons WHERE person_key = 'B2'`)).toBe(0);
    expect((await person('B3')).sensitive).toBe(true);
  });

  it('records family membership: case, referral and child-welfare case', async () => {
    const fams = await db.all<{ family_key: string; role: string }>(
      `SELECT f.family_key, f.role FROM int_family_members f JOIN int_persons p USING (pid) WHERE p.person_key IN ('K1', 'B3') ORDER BY 1`,
    );
    expect(fams).toEqual([
      { family_key: 'C:CS1', role: 'PARENT' },
      { family_key: 'CASE-A1', role: 'CHILD' },
      { family_key: 'R:REF-B3', role: 'PARENT' },
    ]);
  });
});
