/**
 * Real people of one family (the truth, before any system records them):
 * the head of household, the other parent, children, other members, their
 * names, dates of birth, SSNs, addresses and phones, and the look-alikes that
 * make matching hard (twins, juniors, same-name elders, namesakes and
 * siblings in other families).
 *
 * Each piece draws from its own keyed random stream, so the head of household
 * or the address of family j can be re-derived cheaply when family i needs a
 * namesake or a sibling of it.
 */
import { addDays, addYears, ageOn } from './corrupt/dates.js';
import { HABITS } from './corrupt/names.js';
import { entityId, trueSsn, FIRST_CHILD_SLOT, FIRST_OTHER_SLOT } from './ids.js';
import type { Address, Community, County, Family, FamilyKind, Person, Sex, SurnameForm } from './model.js';
import { pools } from './pools.js';
import { rngFor, type Rng } from './random.js';
import { COMMUNITY_MIX, FAMILY, FAMILY_MIX, LANGUAGES, LOOKALIKES } from './rates.js';

export interface Household {
  /** Both parents live together (and are on the CalWORKs case when there is one). */
  twoParents: boolean;
  /** The head of household took a spouse's surname. */
  married: boolean;
  /** Head of household is the mother (else a single father). */
  motherHeaded: boolean;
}

export type CrossRef = 'NAMESAKE' | 'SIBLING' | 'ADULT_TWIN' | 'NAMED_AFTER_PARENT' | null;

/** What kind of family i is, drawn first from its own stream (cheap to re-derive for another family). */
export interface FamilyMeta {
  kind: FamilyKind;
  community: Community;
  household: Household;
  office: string;
  /** Whether the head of household is a namesake or sibling of another family's head. */
  crossRef: CrossRef;
}

/** Which cross-family look-alike family i's head is, from one uniform draw (ranges laid end to end). */
function crossRefOf(x: number): CrossRef {
  const ranges: [Exclude<CrossRef, null>, number][] = [
    ['NAMESAKE', LOOKALIKES.namesake],
    ['SIBLING', LOOKALIKES.sibling],
    ['ADULT_TWIN', LOOKALIKES.adultTwin],
    ['NAMED_AFTER_PARENT', LOOKALIKES.namedAfterParent],
  ];
  let edge = 0;
  for (const [kind, rate] of ranges) {
    edge += rate;
    if (x < edge) return kind;
  }
  return null;
}

let metaSeed = NaN;
const metaCache = new Map<number, FamilyMeta>();

export function familyMeta(seed: number, i: number): FamilyMeta {
  if (seed !== metaSeed) {
    metaCache.clear();
    metaSeed = seed;
  }
  const hit = metaCache.get(i);
  if (hit) return hit;
  const rng = rngFor(seed, 'meta', i);
  const kind = rng.choose(FAMILY_MIX);
  const community = rng.choose(COMMUNITY_MIX);
  const motherHeaded = rng.chance(0.93);
  const twoParents = motherHeaded && rng.chance(FAMILY.twoParentsCalworks);
  const married = motherHeaded && (twoParents ? rng.chance(FAMILY.marriedSurname) : rng.chance(0.12));
  const office = rng.weighted(pools().officeTable);
  const x = rng.next();
  const crossRef = crossRefOf(x);
  const meta: FamilyMeta = { kind, community, household: { twoParents, married, motherHeaded }, office, crossRef };
  // A small memo: a family's meta is asked for again by its address and by nearby look-alikes.
  if (metaCache.size > 4096) metaCache.clear();
  metaCache.set(i, meta);
  return meta;
}

function drawSurname(rng: Rng, c: Community, not?: string): string {
  const table = pools().surnames[c];
  for (let k = 0; k < 5; k++) {
    const s = rng.weighted(table);
    if (s !== not) return s;
  }
  return rng.weighted(table);
}

function surnamesFor(rng: Rng, c: Community): string[] {
  const a = drawSurname(rng, c);
  if (c === 'hispanic' && rng.chance(FAMILY.compoundSurname)) return [a, drawSurname(rng, c, a)];
  return [a];
}

function givenFor(rng: Rng, c: Community, sex: Sex, adult: boolean): { first: string; middle: string | null; compound: boolean } {
  const p = pools();
  const key = `${adult ? 'adult' : 'child'}_${sex === 'F' ? 'f' : 'm'}` as const;
  if (adult && c === 'hispanic' && rng.chance(FAMILY.compoundGiven)) {
    const [first, middle] = rng.weighted(p.compoundGiven[sex]);
    return { first, middle, compound: true };
  }
  const first = rng.weighted(p.given[c][key]);
  const hasMiddle = rng.chance(adult ? (c === 'hispanic' ? 0.35 : FAMILY.middleName) : FAMILY.childMiddleName);
  let middle: string | null = null;
  if (hasMiddle) {
    // Middle names come from the same community's names of the same sex (or the Anglo list).
    const pool = c === 'vietnamese' && sex === 'F' && adult ? ['THI'] : null;
    middle = pool ? pool[0]! : rng.weighted(p.given[rng.chance(0.7) ? c : 'anglo'][key]);
    if (middle === first) middle = null;
  }
  return { first, middle, compound: false };
}

/** Age of an adult at the extract date: 19-50, most between 24 and 38. */
function adultAge(rng: Rng): number {
  return 19 + Math.round(((rng.next() + rng.next() + rng.next()) / 3) * 29);
}

function dobForAge(rng: Rng, extractDate: string, age: number): string {
  return addDays(addYears(extractDate, -age), -rng.int(365));
}

function habit(rng: Rng, surnames: string[]): SurnameForm {
  return surnames.length > 1 ? rng.choose(HABITS) : 'JOINED';
}

function ssnFor(rng: Rng, family: number, slot: number, c: Community, dob: string, extractDate: string): string | null {
  const age = ageOn(dob, extractDate);
  const p =
    age < 1 && ageOn(dob, addDays(extractDate, -180)) < 0
      ? FAMILY.noSsnInfant
      : age < 18
        ? FAMILY.noSsnChild
        : c === 'hispanic'
          ? FAMILY.noSsnHispanicAdult
          : FAMILY.noSsnOtherAdult;
  return rng.chance(p) ? null : trueSsn(family, slot);
}

/** An adult or other member drawn from the family's stream (SSN and surname habit drawn last, in that order). */
function person(
  county: County,
  rng: Rng,
  i: number,
  slot: number,
  role: Person['role'],
  sex: Sex,
  c: Community,
  g: { first: string; middle: string | null; compound: boolean },
  surnames: string[],
  dob: string,
): Person {
  return {
    entityId: entityId(i, slot),
    family: i,
    slot,
    role,
    sex,
    dob,
    first: g.first,
    middle: g.middle,
    compoundGiven: g.compound,
    surnames,
    maidenSurnames: null,
    suffix: null,
    ssn: ssnFor(rng, i, slot, c, dob, county.extractDate),
    surnameHabit: habit(rng, surnames),
    lookalike: null,
  };
}

/**
 * The head of household (slot 0) as generated for family i alone, before any
 * cross-family look-alike is applied (pure in (seed, i)).
 */
export function headOfHousehold(county: County, i: number): Person {
  const rng = rngFor(county.seed, 'head', i);
  const { community: c, household: h } = familyMeta(county.seed, i);
  const sex: Sex = h.motherHeaded ? 'F' : 'M';
  const g = givenFor(rng, c, sex, true);
  const own = surnamesFor(rng, c);
  const spouse = h.married ? [drawSurname(rng, c, own[0])] : null;
  const dob = dobForAge(rng, county.extractDate, adultAge(rng));
  return {
    entityId: entityId(i, 0),
    family: i,
    slot: 0,
    role: 'PARENT',
    sex,
    dob,
    first: g.first,
    middle: g.middle,
    compoundGiven: g.compound,
    surnames: spouse ?? own,
    maidenSurnames: spouse ? own : null,
    suffix: null,
    ssn: ssnFor(rng, i, 0, c, dob, county.extractDate),
    surnameHabit: habit(rng, spouse ?? own),
    lookalike: null,
  };
}

/** A family's current address, pure in (seed, i). */
export function addressOf(county: County, i: number, which: 'current' | 'previous' = 'current'): Address {
  const rng = rngFor(county.seed, 'address', i, which);
  const p = pools().places;
  const officeCode = familyMeta(county.seed, i).office;
  const office = p.offices.find((o) => o.code === officeCode)!;
  // A previous address is usually in the same office area, sometimes elsewhere in the county.
  const area = which === 'previous' && rng.chance(0.3) ? rng.pick(p.offices) : office;
  return randomAddress(rng, area.cities);
}

/** A street address in one of `cities` (each a city with its ZIP codes). */
export function randomAddress(rng: Rng, cities: readonly (readonly [string, readonly string[]])[]): Address {
  const [city, zips] = rng.pick(cities);
  const apartment = rng.chance(0.45);
  return {
    number: apartment ? rng.range(100, 4999) : rng.range(10, 29999),
    direction: rng.chance(0.15) ? rng.pick(['N', 'S', 'E', 'W']) : null,
    street: rng.pick(pools().places.street_names),
    streetType: rng.weighted(pools().streetTypes),
    unit: apartment ? `${rng.range(1, 40)}${rng.chance(0.3) ? rng.pick(['A', 'B', 'C', 'D']) : ''}` : null,
    city,
    zip: rng.pick(zips),
  };
}

function phoneNumber(rng: Rng): string {
  const area = rng.pick(pools().places.area_codes);
  return `${area}${rng.range(200, 999)}${String(rng.range(0, 9999)).padStart(4, '0')}`;
}

function involvesCalworks(k: FamilyKind): boolean {
  return k !== 'CWS_ONLY';
}

/**
 * Look for a source family for a namesake or sibling: a recent family whose
 * head was not itself altered, on the other side of the systems where
 * possible (so the look-alike is a cross-system hard non-match).
 */
function sourceFamily(county: County, i: number, kind: FamilyKind, rng: Rng): number | null {
  if (i === 0) return null;
  const wantCalworks = kind === 'CWS_ONLY' ? true : kind === 'CALWORKS_ONLY' ? false : rng.chance(0.5);
  const start = i - 1 - rng.int(Math.min(i, 200));
  for (let j = start; j >= 0 && j > start - 400; j--) {
    const mj = familyMeta(county.seed, j);
    if (mj.crossRef !== null) continue;
    const kj = mj.kind;
    if (wantCalworks ? involvesCalworks(kj) : kj !== 'CALWORKS_ONLY') return j;
  }
  return null;
}

/** The head takes src's given, middle and surnames (a namesake, or an adult named after a parent). */
function takeNames(head: Person, src: Person): void {
  head.sex = src.sex;
  head.first = src.first;
  head.middle = src.middle;
  head.compoundGiven = src.compoundGiven;
  head.surnames = [...src.surnames];
  head.maidenSurnames = src.maidenSurnames ? [...src.maidenSurnames] : null;
  head.surnameHabit = src.surnameHabit;
}

/** The head takes src's birth surname (a sibling or twin): as her maiden name when she took a spouse's. */
function takeBirthSurname(head: Person, src: Person): void {
  const birth = src.maidenSurnames ?? src.surnames;
  if (head.maidenSurnames) head.maidenSurnames = [...birth];
  else head.surnames = [...birth];
}

/** The real people of a family and where they live: the part of `Family` that exists before any system. */
export type FamilyTruth = Pick<
  Family,
  'index' | 'kind' | 'community' | 'language' | 'office' | 'address' | 'previousAddress' | 'phone' | 'previousPhone' | 'persons' | 'absentParentSlot'
> & { household: Household };

function child(county: County, rng: Rng, i: number, slot: number, c: Community, mother: Person, father: Person | null): Person {
  const sex: Sex = rng.chance(0.5) ? 'F' : 'M';
  const motherAge = ageOn(mother.dob, county.extractDate);
  const maxAge = Math.max(0, Math.min(17, motherAge - 16));
  // Ages spread over childhood, younger ones somewhat more common on aid.
  const r = rng.next();
  const age = Math.min(maxAge, Math.floor((rng.chance(0.7) ? r : 1 - Math.sqrt(r)) * (maxAge + 1)));
  const dob = dobForAge(rng, county.extractDate, age);
  const g = givenFor(rng, c, sex, false);
  const motherBirth = (mother.maidenSurnames ?? mother.surnames)[0]!;
  let surnames: string[];
  if (father) {
    const paternal = father.surnames[0]!;
    surnames = c === 'hispanic' && rng.chance(0.6) && paternal !== motherBirth ? [paternal, motherBirth] : [paternal];
  } else {
    surnames = [mother.surnames[0]!];
  }
  return {
    entityId: entityId(i, slot),
    family: i,
    slot,
    role: 'CHILD',
    sex,
    dob: dob > county.extractDate ? county.extractDate : dob,
    first: g.first,
    middle: g.middle,
    compoundGiven: false,
    surnames,
    maidenSurnames: null,
    suffix: null,
    ssn: ssnFor(rng, i, slot, c, dob, county.extractDate),
    surnameHabit: habit(rng, surnames),
    lookalike: null,
  };
}

function pickLanguage(rng: Rng, c: Community): string {
  return rng.choose(LANGUAGES[c]);
}

/** All real people of family i, with cross-family look-alikes applied. */
export function familyTruth(county: County, i: number): FamilyTruth {
  const seed = county.seed;
  const { kind, community, household, office, crossRef: xref } = familyMeta(seed, i);
  const rng = rngFor(seed, 'family', i);
  const head = headOfHousehold(county, i);
  let address = addressOf(county, i);
  let sharedPhone: string | null = null;

  const j = xref ? sourceFamily(county, i, kind, rng) : null;
  if (xref && j !== null) {
    const src = headOfHousehold(county, j);
    /** A relative living with family j: its address at this rate, and of those its phone at that rate. */
    const moveIn = (sameAddress: number, samePhone: number) => {
      if (!rng.chance(sameAddress)) return;
      address = addressOf(county, j);
      if (rng.chance(samePhone)) sharedPhone = familyTruth(county, j).phone;
    };
    if (xref === 'NAMESAKE') {
      takeNames(head, src);
      head.dob = rng.chance(LOOKALIKES.namesakeSameDob) ? src.dob : addDays(src.dob, (rng.chance(0.5) ? 1 : -1) * rng.range(1, 700));
      head.lookalike = { kind: 'NAMESAKE', of: src.entityId };
    } else if (xref === 'SIBLING') {
      takeBirthSurname(head, src);
      head.surnameHabit = habit(rng, head.surnames);
      head.dob = addYears(src.dob, (rng.chance(0.5) ? 1 : -1) * rng.range(1, 8));
      if (head.dob > addYears(county.extractDate, -18)) head.dob = addYears(county.extractDate, -18 - rng.int(3));
      if (rng.chance(LOOKALIKES.siblingSameAddress)) address = addressOf(county, j);
      head.lookalike = { kind: 'SIBLING', of: src.entityId };
    } else if (xref === 'ADULT_TWIN') {
      // Same birth date and birth surname; another given name; often the same home.
      head.sex = rng.chance(LOOKALIKES.adultTwinSameSex) ? src.sex : src.sex === 'F' ? 'M' : 'F';
      if (head.sex === 'M') head.maidenSurnames = null;
      takeBirthSurname(head, src);
      head.surnameHabit = src.surnameHabit;
      head.dob = src.dob;
      for (let k = 0; k < 5 && head.first === src.first; k++) head.first = givenFor(rng, community, head.sex, true).first;
      if (head.first === src.first) head.first = head.sex === 'F' ? 'CRYSTAL' : 'IVAN';
      head.compoundGiven = false;
      head.middle = rng.chance(LOOKALIKES.adultTwinNamedAfter) ? src.first : head.middle === src.first ? null : head.middle;
      head.suffix = null;
      moveIn(LOOKALIKES.adultTwinSameAddress, LOOKALIKES.adultTwinSamePhone);
      head.lookalike = { kind: 'ADULT_TWIN', of: src.entityId };
    } else {
      // NAMED_AFTER_PARENT: the same given, middle and surname as a parent heading another family, a generation apart.
      takeNames(head, src);
      // A generation apart, on another day of the year.
      const gap = rng.range(18, 32);
      const shift = rng.range(1, 364);
      const younger = addDays(addYears(src.dob, gap), shift);
      // The head is the junior when that leaves an adult, else the senior.
      const isJunior = younger <= addYears(county.extractDate, -18);
      head.dob = isJunior ? younger : addDays(addYears(src.dob, -gap), -shift);
      if (head.sex === 'M' && rng.chance(LOOKALIKES.namedAfterParentSuffix)) head.suffix = isJunior ? 'JR' : 'SR';
      moveIn(LOOKALIKES.namedAfterParentSameAddress, LOOKALIKES.namedAfterParentSamePhone);
      head.lookalike = { kind: 'NAMED_AFTER_PARENT', of: src.entityId };
    }
  }

  const persons: Person[] = [head];
  // The other parent: in the household, or living elsewhere but named by child welfare.
  let other: Person | null = null;
  let absentParentSlot: number | null = null;
  const cwsInvolved = kind !== 'CALWORKS_ONLY';
  if (household.twoParents || (cwsInvolved && rng.chance(FAMILY.absentFatherNamedByCws))) {
    const sex: Sex = head.sex === 'F' ? 'M' : 'F';
    const g = givenFor(rng, community, sex, true);
    let surnames: string[];
    if (sex === 'M' && head.maidenSurnames) {
      surnames = [head.surnames[0]!];
      if (community === 'hispanic' && rng.chance(FAMILY.compoundSurname)) surnames.push(drawSurname(rng, community, surnames[0]));
    } else surnames = surnamesFor(rng, community);
    const headAge = ageOn(head.dob, county.extractDate);
    const age = Math.max(18, headAge + rng.range(-3, 8));
    const dob = dobForAge(rng, county.extractDate, age);
    other = person(county, rng, i, 1, 'PARENT', sex, community, g, surnames, dob);
    persons.push(other);
    if (!household.twoParents) absentParentSlot = 1;
  }
  const mother = head.sex === 'F' ? head : (other ?? head);
  const father = head.sex === 'M' ? head : other;

  const nChildren = Number(rng.choose(FAMILY.children));
  const children: Person[] = [];
  for (let k = 0; k < nChildren; k++) {
    children.push(child(county, rng, i, FIRST_CHILD_SLOT + k, community, mother, father));
  }
  // A son named after his father.
  if (father && rng.chance(LOOKALIKES.junior)) {
    const son = children.find((c) => c.sex === 'M');
    if (son) {
      son.first = father.first;
      son.middle = father.middle;
      son.compoundGiven = father.compoundGiven;
      son.surnames = [...father.surnames];
      son.surnameHabit = father.surnameHabit;
      son.suffix = 'JR';
      son.lookalike = { kind: 'JUNIOR', of: father.entityId };
    }
  }
  // Twins: same birth date, surname, parents and address; a different first name.
  if (children.length >= 2 && rng.chance(LOOKALIKES.twins)) {
    const [a, b] = children as [Person, Person];
    b.dob = a.dob;
    b.surnames = [...a.surnames];
    b.surnameHabit = a.surnameHabit;
    for (let k = 0; k < 5 && (b.first === a.first || b.suffix); k++) {
      b.first = givenFor(rng, community, b.sex, false).first;
      b.suffix = null;
    }
    b.ssn = b.ssn ? trueSsn(i, b.slot) : null;
    b.lookalike = { kind: 'TWIN', of: a.entityId };
  }
  persons.push(...children);

  // Other household members: a same-name elder (the head's parent) or a relative.
  let otherSlot = FIRST_OTHER_SLOT;
  if (rng.chance(LOOKALIKES.namesakeElder)) {
    const birth = head.maidenSurnames ?? head.surnames;
    const elderDob = addYears(head.dob, -rng.range(18, 32));
    const elder: Person = {
      entityId: entityId(i, otherSlot),
      family: i,
      slot: otherSlot,
      role: 'OTHER',
      sex: head.sex,
      dob: elderDob,
      first: head.first,
      middle: rng.chance(0.5) ? head.middle : null,
      compoundGiven: false,
      surnames: head.sex === 'M' ? [...head.surnames] : [birth[0]!],
      maidenSurnames: head.sex === 'F' ? [drawSurname(rng, community)] : null,
      suffix: head.sex === 'M' ? 'SR' : null,
      ssn: ssnFor(rng, i, otherSlot, community, elderDob, county.extractDate),
      surnameHabit: 'JOINED',
      lookalike: { kind: 'NAMESAKE_ELDER', of: head.entityId },
    };
    if (head.sex === 'M') head.suffix = 'JR';
    persons.push(elder);
    otherSlot++;
  } else if (rng.chance(FAMILY.otherMemberOnCase)) {
    const sex: Sex = rng.chance(0.7) ? 'F' : 'M';
    const g = givenFor(rng, community, sex, true);
    const dob = dobForAge(rng, county.extractDate, rng.range(18, 72));
    const surnames = rng.chance(0.6) ? [...(head.maidenSurnames ?? head.surnames)] : surnamesFor(rng, community);
    persons.push(person(county, rng, i, otherSlot, 'OTHER', sex, community, g, surnames, dob));
    otherSlot++;
  }

  const moved = rng.chance(FAMILY.movedRecently);
  const ownPhone = phoneNumber(rng);
  const phone = sharedPhone ?? ownPhone;
  return {
    index: i,
    kind,
    community,
    language: pickLanguage(rng, community),
    office,
    household,
    address,
    previousAddress: moved ? addressOf(county, i, 'previous') : null,
    phone,
    previousPhone: rng.chance(FAMILY.phoneChanged) ? phoneNumber(rng) : null,
    persons,
    absentParentSlot,
  };
}

/** A partner named on a referral (CWS only, role OTHER), created when needed. */
export function referralPartner(county: County, i: number, slot: number, community: Community): Person {
  const rng = rngFor(county.seed, 'partner', i);
  const g = givenFor(rng, community, 'M', true);
  const surnames = surnamesFor(rng, community);
  const dob = dobForAge(rng, county.extractDate, adultAge(rng));
  return person(county, rng, i, slot, 'OTHER', 'M', community, g, surnames, dob);
}
