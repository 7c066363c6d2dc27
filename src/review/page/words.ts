/**
 * Why a pair is in the queue, and what its score means, in words a
 * coordinator will not misread. A score of 0.995 is not "99.5% sure": it says
 * how alike two records look, and relatives who share a home look alike (two
 * sisters at one address with one birthday score high). So the page and the
 * sheet never print a bare probability: they say how high the score is and
 * why the pair was held anyway, or what argues for and against it.
 *
 * Pure: a pair's explanation (per-field levels and weights), its reason and
 * both records' values in, sentences out.
 */

export interface FieldEvidence {
  level: number;
  label: string;
  weight: number;
}

export interface Explanation {
  prior_weight: number;
  fields: Record<string, FieldEvidence>;
}

export interface Side {
  first_name?: string | null;
  last_name?: string | null;
  dob?: string | null;
  sex?: string | null;
  ssn_last4?: string | null;
}

export interface PairFacts {
  probability: number;
  reason: string;
  explanation: Explanation;
  calworks: Side;
  cws: Side;
}

/** The field names coordinators read (comparison name -> words). */
export const FIELD_WORDS: Record<string, string> = {
  first_name: 'first name',
  last_name: 'last name',
  dob: 'birth date',
  ssn: 'SSN',
  sex: 'sex',
  middle_name: 'middle name',
  name_suffix: 'suffix (Jr., Sr.)',
  household: 'family, address and phone',
};

const fieldWords = (name: string) => FIELD_WORDS[name] ?? name.replace(/_/g, ' ');

/** How high a score is, in a word (never as a percentage). */
export function scoreWords(p: number): string {
  if (p >= 0.99) return 'very high';
  if (p >= 0.9) return 'high';
  if (p >= 0.5) return 'middling';
  if (p >= 0.1) return 'low';
  return 'very low';
}

const level = (e: Explanation, field: string) => e.fields[field]?.label ?? 'missing';
const agrees = (label: string) => label === 'exact' || label === 'agrees';
const sharesHome = (label: string) => /family member|address|phone/.test(label) && label !== 'different families';

function relatives(a: Side, b: Side): string {
  if (a.sex === 'F' && b.sex === 'F') return 'twins or sisters';
  if (a.sex === 'M' && b.sex === 'M') return 'twins or brothers';
  return 'twins or siblings';
}

/**
 * The look-alike patterns coordinators meet most, each with what it usually
 * is. The first that fits is the pair's headline; null when none fits.
 */
export function lookAlikePattern(f: PairFacts): string | null {
  const e = f.explanation;
  const first = level(e, 'first_name');
  const dob = level(e, 'dob');
  const home = level(e, 'household');
  const ssn = level(e, 'ssn');
  const last = level(e, 'last_name');
  if (first === 'different' && dob.startsWith('exact') && sharesHome(home)) {
    return `These two share an address and a birthday but not a first name: often ${relatives(f.calworks, f.cws)}.`;
  }
  if (first === 'different' && sharesHome(home)) {
    return 'These two share a family or an address but not a first name: often two relatives living together.';
  }
  if (agrees(first) && agrees(last) && sharesHome(home) && (dob === 'different' || dob === 'one year off' || dob === 'one digit of the year off')) {
    return 'Same name and same family, but the birth dates differ: often a parent and a grown child of the same name (Jr. and Sr.).';
  }
  if (ssn === 'different' && agrees(first)) {
    return 'The names agree but the SSNs differ: two people, or an SSN recorded on the wrong family member.';
  }
  if (home === 'different families' && agrees(first) && dob.startsWith('exact')) {
    return 'Same name and birthday, but the two families share nobody: two people can share a name and a birthday (namesakes).';
  }
  if (agrees(first) && agrees(last) && dob === 'missing' && ssn === 'missing') {
    return 'The names agree, but no birth date or SSN is on both records to confirm it is one person: check the family and the address.';
  }
  if (level(e, 'middle_name') === 'different' && agrees(first) && agrees(last)) {
    return 'Same first and last name, different middle names: two people of a common name, or a recording slip.';
  }
  return null;
}

/** The fields that count most for and against the pair, strongest first. */
export function strongestEvidence(e: Explanation, max = 3): { for: string[]; against: string[] } {
  const entries = Object.entries(e.fields).filter(([, v]) => v.label !== 'missing' && Math.abs(v.weight) >= 0.5);
  const describe = ([name, v]: [string, FieldEvidence]) => `${fieldWords(name)} (${v.label})`;
  return {
    for: entries
      .filter(([, v]) => v.weight > 0)
      .sort((a, b) => b[1].weight - a[1].weight)
      .slice(0, max)
      .map(describe),
    against: entries
      .filter(([, v]) => v.weight < 0)
      .sort((a, b) => a[1].weight - b[1].weight)
      .slice(0, max)
      .map(describe),
  };
}

const list = (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/** The match stage's hold reasons, said to a coordinator. */
export function holdReasonWords(reason: string): string {
  if (/name, birth date or SSN weigh against/.test(reason)) {
    return "the person's own details (first name, birth date or SSN) argue against it, and relatives who live together share the rest";
  }
  if (/share nobody/.test(reason)) {
    return 'both families are on record and have nobody in common, and no SSN agrees: possibly two people with the same name';
  }
  return reason;
}

export interface PairWords {
  /** The one sentence to read first. */
  headline: string;
  /** What the score says, with the reason it was not linked. */
  score: string;
  /** For and against, in words. */
  evidence: string;
}

/** Everything the page (and the sheet's explanation column) says about a pair. */
export function pairWords(f: PairFacts): PairWords {
  const words = scoreWords(f.probability);
  const held = f.reason !== 'probability in the review band';
  const pattern = lookAlikePattern(f);
  const ev = strongestEvidence(f.explanation);
  const score = held
    ? `Held although the score is ${words}, because ${holdReasonWords(f.reason)}. The score says how alike the two records look, not how sure we are that they are one person.`
    : `Sent to you because the score (${words}) is below the level at which pairs are linked on their own and above the level at which they are dropped.`;
  const evidence = [
    ev.for.length ? `For: ${list(ev.for)}.` : 'Nothing speaks strongly for the pair.',
    ev.against.length ? `Against: ${list(ev.against)}.` : 'Nothing speaks strongly against it.',
  ].join(' ');
  return { headline: pattern ?? (held ? `Held for a person to decide: ${holdReasonWords(f.reason)}.` : 'The evidence is mixed.'), score, evidence };
}

/** One line for a spreadsheet cell. */
export function pairWordsLine(f: PairFacts): string {
  const w = pairWords(f);
  return `${w.headline} ${w.score} ${w.evidence}`;
}

/** Match weight (log2 odds) to the probability the model gives. */
export const weightToProbability = (w: number) => 1 / (1 + 2 ** -w);
