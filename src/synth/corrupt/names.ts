/**
 * How a clerk records a person's name, relative to the legal name: compound
 * and married surnames written in several ways, nicknames and spelling
 * variants, swapped name parts, typos, accents, placeholders for newborns,
 * and case or spacing noise. Each applied change is named in `kinds`.
 */
import type { Person, SurnameForm } from '../model.js';
import type { Pools } from '../pools.js';
import type { Rng } from '../random.js';
import type { RecordRates } from '../rates.js';
import { typo } from './typos.js';

export interface RecordedName {
  first: string;
  middle: string;
  last: string;
  suffix: string;
  kinds: string[];
}

/** How people write a compound surname when not by habit. */
const OTHER_FORMS: Record<SurnameForm, number> = { JOINED: 35, PATERNAL: 35, HYPHEN: 12, SPLIT: 12, MATERNAL: 3, CONCAT: 3 };

/** Usual writing of a compound surname, drawn once per person. */
export const HABITS: Record<SurnameForm, number> = { JOINED: 45, PATERNAL: 35, HYPHEN: 10, SPLIT: 7, MATERNAL: 2, CONCAT: 1 };

const PARTICLE = /^(DE LA|DE LOS|DE|DEL|DELA|DELOS|SAN|LA) (.+)$/;
const JOINED_PARTICLE = /^(DELA|DELOS|DEL|DE)([A-Z]{3,})$/;

/** `DE LA CRUZ` <-> `DELACRUZ`, `DELEON` -> `DE LEON`; null when the name has no particle. */
export function respaceParticle(last: string): string | null {
  if (PARTICLE.test(last)) return last.replace(/ /g, '');
  const m = JOINED_PARTICLE.exec(last);
  if (m && !['DELGADO', 'DELAWARE', 'DENNIS', 'DEAN', 'DELANEY', 'DEMPSEY'].includes(last)) return `${m[1]} ${m[2]}`;
  return null;
}

/** O'BRIEN <-> OBRIEN, MC DONALD <-> MCDONALD; null when the surname has neither. */
export function repunctuate(last: string): string | null {
  if (/^O'[A-Z]{3,}$/.test(last)) return last.replace("'", '');
  if (/^O(BRIEN|CONNOR|CONNELL|NEAL|NEIL|NEILL|DONNELL|MALLEY|HARA|KEEFE|LEARY|REILLY|ROURKE|SULLIVAN|DELL|BANNON)$/.test(last)) return `O'${last.slice(1)}`;
  if (/^MC [A-Z]{3,}$/.test(last)) return last.replace(' ', '');
  if (/^MC[A-Z]{3,}$/.test(last)) return `MC ${last.slice(2)}`;
  return null;
}

function titleCase(s: string): string {
  return s.toLowerCase().replace(/(^|[ \-'])([a-zà-ÿ])/g, (_m, p: string, c: string) => p + c.toUpperCase());
}

export function applyCase(s: string, textCase: 'UPPER' | 'TITLE' | 'LOWER'): string {
  if (!s || textCase === 'UPPER') return s;
  return textCase === 'TITLE' ? titleCase(s) : s.toLowerCase();
}

function accentWords(s: string, accents: Map<string, string>): string {
  return s
    .split(' ')
    .map((w) => accents.get(w) ?? w)
    .join(' ');
}

/** Surname parts as recorded: married or maiden, then the compound form. */
function recordSurname(p: Person, rates: RecordRates, rng: Rng, kinds: string[]): { last: string; middleFromSurname: string | null } {
  let parts = p.surnames;
  if (p.maidenSurnames) {
    const x = rng.next();
    if (x < rates.maidenSurname) {
      parts = p.maidenSurnames;
      kinds.push('maiden_surname');
    } else if (x < rates.maidenSurname + rates.hyphenMarried) {
      kinds.push('maiden_married_hyphen');
      return { last: `${p.maidenSurnames[0]}-${p.surnames[0]}`, middleFromSurname: null };
    }
  }
  if (parts.length < 2) return { last: parts[0]!, middleFromSurname: null };
  const form: SurnameForm = rng.chance(rates.surnameHabit) ? p.surnameHabit : rng.choose(OTHER_FORMS);
  if (form !== 'JOINED') kinds.push(`surname_${form.toLowerCase()}`);
  const [a, b] = parts as [string, string];
  switch (form) {
    case 'JOINED':
      return { last: `${a} ${b}`, middleFromSurname: null };
    case 'PATERNAL':
      return { last: a, middleFromSurname: null };
    case 'MATERNAL':
      return { last: b, middleFromSurname: null };
    case 'HYPHEN':
      return { last: `${a}-${b}`, middleFromSurname: null };
    case 'SPLIT':
      return { last: a, middleFromSurname: b };
    case 'CONCAT':
      return { last: `${a}${b}`, middleFromSurname: null };
  }
}

export interface NameContext {
  /** The person is under one year old when the record is made. */
  newborn: boolean;
  textCase: 'UPPER' | 'TITLE' | 'LOWER';
}

export function recordName(p: Person, rates: RecordRates, pools: Pools, ctx: NameContext, rng: Rng): RecordedName {
  const kinds: string[] = [];
  const sur = recordSurname(p, rates, rng, kinds);
  let last = sur.last;
  let first = p.first;
  let middle = p.middle ?? '';

  if (p.compoundGiven && middle) {
    const x = rng.next();
    if (x < rates.compoundGivenJoined) {
      first = `${first} ${middle}`;
      middle = '';
      kinds.push('compound_given_joined');
    } else if (x < rates.compoundGivenJoined + rates.goesBySecondName) {
      first = middle;
      middle = rng.chance(0.5) ? p.first : '';
      kinds.push('goes_by_second_name');
    }
  }
  if (sur.middleFromSurname) middle = sur.middleFromSurname;

  // Nickname or spelling variant of the (first word of the) first name.
  const head = first.split(' ')[0]!;
  const nick = pools.nicknames.get(head);
  const spell = pools.spellings.get(head);
  if (nick && rng.chance(rates.nickname)) {
    first = rng.pick(nick);
    kinds.push('nickname');
  } else if (spell && rng.chance(rates.spellingVariant)) {
    first = rng.pick(spell) + first.slice(head.length);
    kinds.push('spelling_variant');
  }

  if (middle && !sur.middleFromSurname && rng.chance(rates.firstMiddleSwap)) {
    [first, middle] = [middle, first];
    kinds.push('first_middle_swap');
  }
  if (rng.chance(rates.firstLastSwap)) {
    [first, last] = [last, first];
    kinds.push('first_last_swap');
  }
  if (middle && !sur.middleFromSurname) {
    const x = rng.next();
    if (x < rates.middleMissing) middle = '';
    else if (x < rates.middleMissing + rates.middleInitial) middle = middle[0]!;
  }

  if (rng.chance(rates.typoFirst)) {
    const t = typo(first, rng);
    if (t !== first) kinds.push('typo_first');
    first = t;
  }
  if (rng.chance(rates.typoLast)) {
    const t = typo(last, rng);
    if (t !== last) kinds.push('typo_last');
    last = t;
  }
  const respaced = respaceParticle(last);
  if (respaced && rng.chance(rates.particleSpacing)) {
    last = respaced;
    kinds.push('particle_spacing');
  }
  if (rng.chance(rates.punctuation)) {
    const punct = repunctuate(last);
    if (punct) last = punct;
    else if (middle.length === 1) middle = `${middle}.`;
    if (punct || middle.endsWith('.')) kinds.push('punctuation');
  }
  if (rng.chance(rates.diacritics)) {
    const f = accentWords(first, pools.accents);
    const l = accentWords(last, pools.accents);
    if (f !== first || l !== last) kinds.push('diacritics');
    first = f;
    last = l;
  }
  if (ctx.newborn && rng.chance(rates.newbornPlaceholder)) {
    first = rng.pick(p.sex === 'F' ? ['BABY GIRL', 'BABY GIRL', 'UNKNOWN', 'BABY'] : ['BABY BOY', 'BABY BOY', 'UNKNOWN', 'BABY']);
    middle = '';
    kinds.push('newborn_placeholder');
  }
  if (rng.chance(rates.doubleSpace)) {
    const target = last.includes(' ') ? 'last' : first.includes(' ') ? 'first' : null;
    if (target === 'last') last = last.replace(' ', '  ');
    else if (target === 'first') first = first.replace(' ', '  ');
    else last = `${last} `;
    kinds.push('double_space');
  }
  let suffix = p.suffix ?? '';
  if (suffix && rng.chance(rates.suffixDropped)) {
    suffix = '';
    kinds.push('suffix_dropped');
  }
  if (ctx.textCase !== 'UPPER') kinds.push('case_noise');
  return {
    first: applyCase(first, ctx.textCase),
    middle: applyCase(middle, ctx.textCase),
    last: applyCase(last, ctx.textCase),
    suffix: applyCase(suffix, ctx.textCase),
    kinds,
  };
}
