/**
 * The input checks as a pure function (src/checks/compare.ts): which
 * differences from the previous night hold a night, and what the one line
 * per reason says. The end-to-end cases are in test/e2e/input-checks.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { compareProfiles, type Profiles } from '../../src/checks/compare.js';
import type { InputProfile } from '../../src/checks/profile.js';
import { defaultConfig } from '../../src/config/load.js';

const t = defaultConfig().checks;
const base: InputProfile = {
  rows: 5000,
  loaded: 5000,
  persons: 4800,
  parents: 2000,
  parent_rows: 2000,
  ssn_share: 0.88,
  dob_share: 0.99,
  extract_date: '2026-11-20',
  sha256: 'a'.repeat(64),
};
const night = (p: Partial<InputProfile>): InputProfile => ({ ...base, extract_date: '2026-11-21', sha256: 'b'.repeat(64), ...p });
const prev: Profiles = { calworks: base, cws: { ...base, sha256: 'c'.repeat(64) } };
const reasons = (calworks: InputProfile) =>
  compareProfiles({ calworks, cws: { ...prev.cws!, extract_date: '2026-11-21', sha256: 'd'.repeat(64) } }, prev, '2026-11-20', t);

describe('input checks', () => {
  it('let an ordinary night through: growth of a few percent, shares steady', () => {
    expect(reasons(night({ rows: 5030, persons: 4830, parents: 2010, ssn_share: 0.8797 }))).toEqual([]);
    // The defaults: a fall of up to 20 % and a rise of up to 100 % pass.
    expect(reasons(night({ rows: 4000, persons: 3840, parents: 1600 }))).toEqual([]);
    expect(reasons(night({ rows: 10000, persons: 9600, parents: 4000 }))).toEqual([]);
  });

  it('hold a cut extract, naming each count that fell and by how much', () => {
    const r = reasons(night({ rows: 1667, loaded: 1667, persons: 1600, parents: 667 }));
    expect(r.map((x) => x.check)).toEqual(['rows', 'persons', 'parents']);
    expect(r[0]!.message).toBe('calworks: 1,667 rows tonight, 5,000 on 2026-11-20: a fall of 66.7% (more than 20% is held)');
  });

  it('hold an empty extract in one line', () => {
    const r = reasons(night({ rows: 0, loaded: 0, persons: 0, parents: 0, parent_rows: 0, ssn_share: null, dob_share: null, extract_date: null }));
    expect(r.map((x) => x.message)).toEqual(['calworks: 0 rows tonight, 5,000 on 2026-11-20: a fall of 100% (more than 20% is held)']);
  });

  it('hold a doubling, yesterday file again, and an extract_date that did not move', () => {
    expect(reasons(night({ rows: 10100 })).map((x) => x.check)).toEqual(['rows']);
    const again = reasons({ ...base });
    expect(again).toHaveLength(1);
    expect(again[0]!.message).toBe('calworks: the file is byte-identical to the one of 2026-11-20 (the same extract delivered again?)');
    expect(reasons(night({ extract_date: '2026-11-20' }))[0]!.message).toBe(
      'calworks: extract_date 2026-11-20 is not later than 2026-11-20, the extract of 2026-11-20',
    );
  });

  it('hold a sharp fall in parents with a usable SSN or date of birth', () => {
    const r = reasons(night({ ssn_share: 0.5, dob_share: 0.9 }));
    expect(r.map((x) => x.check)).toEqual(['ssn_share', 'dob_share']);
    expect(r[0]!.message).toBe('calworks: 50% of parent rows have a usable SSN tonight, 88% on 2026-11-20: down 38 points (more than 5 is held)');
    // Too few parent rows for a share to mean anything: not judged.
    expect(reasons(night({ parent_rows: 40, ssn_share: 0.5 }))).toEqual([]);
  });

  it('follow the thresholds of the config, and can be switched off', () => {
    const strict = { ...t, max_fall: 0.05, extract_date_must_advance: false, hold_identical_file: false };
    const cw = night({ rows: 4700, extract_date: '2026-11-20' });
    const r = compareProfiles({ calworks: cw }, prev, '2026-11-20', strict);
    expect(r.map((x) => x.check)).toEqual(['rows']);
    expect(compareProfiles({ calworks: { ...base } }, prev, '2026-11-20', strict)).toEqual([]);
  });
});
