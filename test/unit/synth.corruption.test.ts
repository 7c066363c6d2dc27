import { describe, expect, it } from 'vitest';
import type { Family, Person, PersonRecord, System } from '../../src/synth/model.js';
import { pools } from '../../src/synth/pools.js';
import { RECORD_RATES } from '../../src/synth/rates.js';
import { families } from './synthHelpers.js';

const model = families(2000, 4242);
const all = (system: System) => model.flatMap((f) => (system === 'CALWORKS' ? f.calworksRecords : f.cwsRecords).map((r) => ({ r, f, p: personOf(f, r) })));

function personOf(f: Family, r: PersonRecord): Person {
  return f.persons.find((p) => p.entityId === r.entityId)!;
}

/** Observed count within 4 standard deviations (plus a little slack) of n * p. */
function expectRate(label: string, observed: number, n: number, p: number) {
  const sd = Math.sqrt(n * p * (1 - p));
  expect(Math.abs(observed - n * p), `${label}: ${observed} of ${n}, expected about ${(n * p).toFixed(1)}`).toBeLessThanOrEqual(4 * sd + 3);
}

const has = (r: PersonRecord, kind: string) => r.corruptions.includes(kind);

describe.each(['CALWORKS', 'CWS'] as const)('%s records: each corruption occurs at about its rate', (system) => {
  const rates = RECORD_RATES[system];
  const recs = all(system);

  it('has enough records to measure', () => {
    expect(recs.length).toBeGreaterThan(2000);
  });

  it.each([
    ['typo_first', rates.typoFirst],
    ['typo_last', rates.typoLast],
    ['first_last_swap', rates.firstLastSwap],
    ['dob_missing', rates.dobMissing],
    ['dob_off_by_day', rates.dobOffByDay],
    ['dob_off_by_year', rates.dobOffByYear],
  ] as const)('%s on every record', (kind, p) => {
    expectRate(kind, recs.filter(({ r }) => has(r, kind)).length, recs.length, p);
  });

  it('address_missing, of people living with their family', () => {
    const home = recs.filter(({ r, f }) => r.slot !== f.absentParentSlot);
    expectRate('address_missing', home.filter(({ r }) => has(r, 'address_missing')).length, home.length, rates.addressMissing);
  });

  it('day-month swaps happen only where the day can be a month', () => {
    const eligible = recs.filter(({ p }) => Number(p.dob.slice(8)) <= 12 && p.dob.slice(8) !== p.dob.slice(5, 7));
    const swapped = recs.filter(({ r }) => has(r, 'dob_day_month_swap'));
    expect(swapped.every(({ p }) => eligible.some((e) => e.p === p))).toBe(true);
    expectRate('dob_day_month_swap', swapped.length, eligible.length, rates.dobDayMonthSwap);
  });

  it('maiden surnames, of married women', () => {
    const married = recs.filter(({ p }) => p.maidenSurnames);
    expect(married.length).toBeGreaterThan(100);
    expectRate('maiden_surname', married.filter(({ r }) => has(r, 'maiden_surname')).length, married.length, rates.maidenSurname);
    for (const { r, p } of married.filter(
      ({ r }) =>
        has(r, 'maiden_surname') && !r.corruptions.some((k) => /typo_last|first_last_swap|diacritics|surname_|particle|case_noise|double_space/.test(k)),
    )) {
      expect(p.maidenSurnames!.join(' ')).toContain(r.last);
    }
  });

  it('nicknames, of people whose first name has one', () => {
    const nick = pools().nicknames;
    const eligible = recs.filter(({ p }) => nick.has(p.first) && !p.compoundGiven);
    const used = eligible.filter(({ r }) => has(r, 'nickname'));
    expectRate('nickname', used.length, eligible.length, rates.nickname);
    for (const { r, p } of used.filter(({ r }) => r.corruptions.every((k) => /nickname|surname|maiden|address|phone|ssn|dob|sex/.test(k)))) {
      expect(nick.get(p.first)).toContain(r.first);
    }
  });

  it('SSN missing, mistyped or a placeholder', () => {
    const withSsn = recs.filter(({ p }) => p.ssn);
    expectRate(
      'ssn_missing+placeholder',
      withSsn.filter(({ r }) => has(r, 'ssn_missing') || has(r, 'ssn_placeholder')).length,
      withSsn.length,
      rates.ssnMissing,
    );
    const kept = withSsn.filter(({ r }) => r.ssn && !has(r, 'ssn_placeholder'));
    expectRate('ssn_transposed', kept.filter(({ r }) => has(r, 'ssn_transposed')).length, kept.length, rates.ssnTransposed * (1 - rates.ssnOtherPerson));
    for (const { r, p } of kept.filter(({ r }) => r.corruptions.every((k) => !k.startsWith('ssn_')))) {
      expect(r.ssn.replace(/-/g, '')).toBe(p.ssn);
    }
  });

  it('moved addresses, of families who moved', () => {
    const moved = recs.filter(({ f }) => f.previousAddress);
    expectRate('address_moved', moved.filter(({ r }) => has(r, 'address_moved')).length, moved.length, rates.addressPrevious * (1 - rates.addressMissing));
  });
});

describe('kinds of corruption the matcher must survive', () => {
  const cws = all('CWS');
  const cw = all('CALWORKS');
  const recs = [...cws, ...cw];

  it('writes compound surnames joined, split, hyphenated, or with one part only', () => {
    const compound = recs.filter(
      ({ p, r }) =>
        p.surnames.length === 2 &&
        !p.maidenSurnames &&
        r.corruptions.every((k) => !/typo_last|first_last_swap|diacritics|case_noise|double_space|particle/.test(k)),
    );
    const [a, b] = [(x: { p: Person }) => x.p.surnames[0]!, (x: { p: Person }) => x.p.surnames[1]!];
    expect(compound.some((x) => x.r.last === `${a(x)} ${b(x)}`)).toBe(true);
    expect(compound.some((x) => x.r.last === a(x) && x.r.middle === b(x))).toBe(true);
    expect(compound.some((x) => x.r.last === `${a(x)}-${b(x)}`)).toBe(true);
    expect(compound.some((x) => x.r.last === a(x) && x.r.middle !== b(x))).toBe(true);
    expect(compound.some((x) => x.r.last === b(x))).toBe(true);
  });

  it('has accents, spelling variants, swaps, case noise and newborn placeholders', () => {
    for (const kind of ['diacritics', 'spelling_variant', 'first_middle_swap', 'compound_given_joined', 'goes_by_second_name', 'maiden_married_hyphen']) {
      expect(
        recs.some(({ r }) => has(r, kind)),
        kind,
      ).toBe(true);
    }
    expect(cws.some(({ r }) => /[ÁÉÍÓÚÑ]/.test(r.first + r.last))).toBe(true);
    expect(cws.some(({ r }) => has(r, 'case_noise') && /[a-z]/.test(r.last))).toBe(true);
    expect(cws.some(({ r }) => ['BABY GIRL', 'BABY BOY', 'UNKNOWN'].includes(r.first.toUpperCase()))).toBe(true);
  });

  it('CWS leaves the SSN out about half the time; CalWORKs has it most of the time', () => {
    const share = (xs: typeof recs) => xs.filter(({ r }) => /^\d{3}-?\d{2}-?\d{4}$/.test(r.ssn) && !/^(000|666|9)/.test(r.ssn)).length / xs.length;
    const cwsParents = cws.filter(({ r }) => r.role === 'PARENT');
    const cwParents = cw.filter(({ r }) => r.role === 'PARENT');
    expect(share(cwsParents)).toBeGreaterThan(0.3);
    expect(share(cwsParents)).toBeLessThan(0.55);
    expect(share(cwParents)).toBeGreaterThan(0.8);
    const placeholders = ['000-00-0000', '999-99-9999', '123-45-6789', '000000000', '999999999', '123456789'];
    expect(cws.some(({ r }) => placeholders.includes(r.ssn))).toBe(true);
    expect(cws.some(({ r }) => r.ssn.startsWith('666'))).toBe(true);
  });
});
