/**
 * The comparisons of the Fellegi-Sunter model: for each field, ordered
 * comparison levels from the strongest agreement to disagreement. A pair gets
 * the first level whose condition holds; `missing` (either side unknown) is
 * level -1 and weighs nothing.
 *
 * SQL conditions see the CalWORKs person as `l`, the child-welfare person as
 * `r` (columns of int_persons) and the household corroboration as `hh`
 * (int_household_pairs: shared_members, family_contact).
 *
 * `identity` fields describe the person rather than the family: a pair whose
 * identity fields sum to a negative weight is never linked automatically,
 * however much household, address and surname agree (a spouse, a twin, a
 * parent and grown child of the same name share all of those).
 */

export interface Level {
  /** Short label shown in explanations and the review queue. */
  label: string;
  /** SQL condition; the last level of a comparison is its `else`. */
  when: string;
  /** Prior m-probability (start of EM and its weak prior; normalized per comparison). */
  m: number;
  /** Term-frequency adjusted: the weight depends on how common the shared value is. */
  tf?: { column: string };
  /**
   * The level is equality of one column (optionally only for persons meeting
   * `filter`, written over \`p\`): its u-probability is then computed exactly
   * from value frequencies instead of from the random sample, where such
   * rare agreements are too few to count.
   */
  exactOn?: { column: string; filter?: string };
  /**
   * The same evidence is already weighed by another comparison's level (first
   * and last name swapped is one fact, seen from both fields): this level
   * weighs nothing and EM does not learn from it.
   */
  countedBy?: string;
}

export interface Comparison {
  name: string;
  /** Plain words for coordinators. */
  description: string;
  missing: string;
  levels: Level[];
  /** Describes the person (not the family): counts in identity_weight. */
  identity: boolean;
  /**
   * Corroborates only: EM learns its m from the pairs the other fields
   * identify, and it never takes part in deciding which pairs those are.
   * Everyone living together shares a household; were it evidence in EM, a
   * large county's households (spouses, twins, parents and grown children)
   * would become what EM calls a match.
   */
  corroborating?: boolean;
}

/**
 * Pair features computed once per pair before the levels (a level condition
 * is evaluated only for pairs that did not meet an earlier level, so a
 * similarity used by several levels is better computed once). Referenced in
 * conditions by name. CASE keeps the expensive part lazy.
 */
export const FEATURES: Record<string, string> = {
  jw_first: 'jaro_winkler_similarity(l.first_joined, r.first_joined)',
  jw_last: 'jaro_winkler_similarity(l.last_joined, r.last_joined)',
  address_agree: `CASE WHEN l.addr_key = r.addr_key THEN TRUE
                       WHEN l.addr_number = r.addr_number THEN jaro_winkler_similarity(l.addr_street_letters, r.addr_street_letters) >= 0.88
                       ELSE FALSE END`,
  zip_agree: 'coalesce(l.zip = r.zip, FALSE)',
  city_agree: 'coalesce(l.city = r.city, FALSE)',
};

const jw = (a: string, b: string) => `jaro_winkler_similarity(${a}, ${b})`;

/** A one-digit SSN error leaves two of the three 3-digit groups intact; a transposition at least one. */
const SSN_GROUPS_INTACT = `((l.ssn_a = r.ssn_a)::INT + (l.ssn_b = r.ssn_b)::INT + (l.ssn_c = r.ssn_c)::INT)`;

/** First and last name swapped, allowing a misspelling on either (initials must agree crosswise). */
const NAMES_SWAPPED = `(l.f_init = r.l_init AND l.l_init = r.f_init
  AND (l.first_joined = r.last_joined OR l.last_joined = r.first_joined
       OR (${jw('l.first_joined', 'r.last_joined')} >= 0.9 AND ${jw('l.last_joined', 'r.first_joined')} >= 0.9)))`;

export const COMPARISONS: Comparison[] = [
  {
    name: 'first_name',
    description: 'given name: exact, nickname or spelling variant, close spelling, swapped with middle or last name',
    identity: true,
    missing: 'l.first1 IS NULL OR r.first1 IS NULL',
    levels: [
      { label: 'exact', when: 'l.first_joined = r.first_joined', m: 0.86, tf: { column: 'first_joined' }, exactOn: { column: 'first_joined' } },
      {
        label: 'nickname or same first part',
        // the 64-bit masks (a Bloom filter of each name's formal names) rule out most pairs before the exact test
        when: `l.first1 = r.first1
               OR ((l.nick_mask & r.nick_mask) <> 0 AND list_has_any(string_split(l.groups_text, '|'), string_split(r.groups_text, '|')))`,
        m: 0.05,
      },
      {
        label: 'close spelling',
        when: `jw_first >= 0.92 OR ((l.compound_first OR r.compound_first) AND ${jw('l.first1', 'r.first1')} >= 0.92)`,
        m: 0.03,
      },
      {
        label: 'swapped with middle name',
        when: 'l.first1 = r.given2 OR r.first1 = l.given2',
        m: 0.015,
      },
      { label: 'swapped with last name', when: NAMES_SWAPPED, m: 0.008 },
      { label: 'similar', when: 'jw_first >= 0.8 OR l.first_phon = r.first_phon', m: 0.02 },
      { label: 'initial agrees', when: '(l.first_is_initial OR r.first_is_initial) AND l.f_init = r.f_init', m: 0.005 },
      { label: 'different', when: 'TRUE', m: 0.012 },
    ],
  },
  {
    name: 'last_name',
    description: 'surname: exact, one part of a compound surname, close spelling, swapped with the given name',
    identity: false,
    missing: 'l.last_joined IS NULL OR r.last_joined IS NULL',
    levels: [
      { label: 'exact', when: 'l.last_joined = r.last_joined', m: 0.72, tf: { column: 'last_joined' }, exactOn: { column: 'last_joined' } },
      {
        label: 'compound surname part',
        when: `((l.last_multi OR r.last_multi)
                AND (l.tok1 IN (r.tok1, r.tok2, r.tok3) OR l.tok2 IN (r.tok1, r.tok2, r.tok3) OR l.tok3 IN (r.tok1, r.tok2, r.tok3)))
               OR (l.last_len <> r.last_len AND least(l.last_len, r.last_len) >= 4
                   AND (starts_with(l.last_joined, r.last_joined) OR starts_with(r.last_joined, l.last_joined)
                        OR ends_with(l.last_joined, r.last_joined) OR ends_with(r.last_joined, l.last_joined)))`,
        m: 0.12,
      },
      { label: 'close spelling', when: 'jw_last >= 0.92', m: 0.05 },
      { label: 'swapped with first name', when: NAMES_SWAPPED, m: 0.006, countedBy: 'first_name' },
      {
        label: 'similar',
        when: `jw_last >= 0.8 OR l.last_phon = r.last_phon
               OR ((l.last_multi OR r.last_multi)
                   AND (l.ph1 IN (r.ph1, r.ph2, r.ph3) OR l.ph2 IN (r.ph1, r.ph2, r.ph3) OR l.ph3 IN (r.ph1, r.ph2, r.ph3)))`,
        m: 0.03,
      },
      { label: 'different', when: 'TRUE', m: 0.074 },
    ],
  },
  {
    name: 'dob',
    description:
      'date of birth: exact, a 1 January or 15th date (often estimated), day and month swapped, a day or a year off, one digit of the year off, one digit off',
    identity: true,
    missing: 'l.dob IS NULL OR r.dob IS NULL',
    levels: [
      { label: 'exact', when: 'l.dob = r.dob AND NOT l.dob_estimated', m: 0.93, exactOn: { column: 'dob', filter: 'NOT p.dob_estimated' } },
      { label: 'exact, estimated-looking date', when: 'l.dob = r.dob', m: 0.02, exactOn: { column: 'dob', filter: 'p.dob_estimated' } },
      {
        label: 'day and month swapped',
        when: 'l.dob_y = r.dob_y AND l.dob_m = r.dob_d AND l.dob_d = r.dob_m',
        m: 0.008,
      },
      { label: 'one day off', when: `abs(date_diff('day', l.dob, r.dob)) = 1`, m: 0.008 },
      { label: 'one year off', when: 'l.dob_m = r.dob_m AND l.dob_d = r.dob_d AND abs(l.dob_y - r.dob_y) = 1', m: 0.008 },
      {
        // A digit of the year alone differs, month and day the same: where families are on record, as
        // often a sibling or cousin born on the same day of another year as a typo, so its own level whose
        // weight EM learns. In files without families (FEBRL) it stays a typo, "one digit off".
        label: 'one digit of the year off',
        when: `(l.has_family OR r.has_family) AND l.dob_m = r.dob_m AND l.dob_d = r.dob_d
               AND damerau_levenshtein(l.dob_y::VARCHAR, r.dob_y::VARCHAR) = 1`,
        m: 0.002,
      },
      {
        label: 'one digit off',
        // cheap test first: a one-digit error leaves two of year, month, day intact
        when: `(l.dob_y = r.dob_y)::INT + (l.dob_m = r.dob_m)::INT + (l.dob_d = r.dob_d)::INT = 2
               AND damerau_levenshtein(strftime(l.dob, '%Y%m%d'), strftime(r.dob, '%Y%m%d')) = 1`,
        m: 0.008,
      },
      { label: 'same year, one date estimated', when: 'l.dob_y = r.dob_y AND (l.dob_estimated OR r.dob_estimated)', m: 0.008 },
      {
        // a wrong month or day; not a same month and day years apart (a parent and grown child)
        label: 'same year, month or day agrees',
        when: 'l.dob_y = r.dob_y AND (l.dob_m = r.dob_m OR l.dob_d = r.dob_d)',
        m: 0.005,
      },
      { label: 'different', when: 'TRUE', m: 0.01 },
    ],
  },
  {
    name: 'ssn',
    description: 'Social Security number (valid ones only): exact, one digit off, two digits transposed',
    identity: true,
    missing: 'l.ssn IS NULL OR r.ssn IS NULL',
    levels: [
      { label: 'exact', when: 'l.ssn = r.ssn', m: 0.96, exactOn: { column: 'ssn' } },
      { label: 'one digit off', when: `${SSN_GROUPS_INTACT} >= 2 AND levenshtein(l.ssn, r.ssn) = 1`, m: 0.012 },
      { label: 'two digits transposed', when: `${SSN_GROUPS_INTACT} >= 1 AND damerau_levenshtein(l.ssn, r.ssn) = 1`, m: 0.012 },
      { label: 'different', when: 'TRUE', m: 0.016 },
    ],
  },
  {
    name: 'sex',
    description: 'sex (F or M)',
    identity: true,
    missing: 'l.sex IS NULL OR r.sex IS NULL',
    levels: [
      { label: 'agrees', when: 'l.sex = r.sex', m: 0.99, exactOn: { column: 'sex' } },
      { label: 'different', when: 'TRUE', m: 0.01 },
    ],
  },
  {
    name: 'middle_name',
    description: 'middle name: exact, initial, swapped with the given name',
    identity: true,
    missing: 'l.middle1 IS NULL OR r.middle1 IS NULL',
    levels: [
      { label: 'exact', when: 'l.middle_name = r.middle_name', m: 0.75, exactOn: { column: 'middle_name' } },
      { label: 'swapped with first name', when: 'l.middle1 = r.first1 OR l.first1 = r.middle1', m: 0.03 },
      { label: 'initial agrees', when: 'l.m_init = r.m_init', m: 0.17 },
      { label: 'different', when: 'TRUE', m: 0.05 },
    ],
  },
  {
    name: 'name_suffix',
    description: 'generational suffix (JR, SR, II, III)',
    identity: true,
    missing: 'l.name_suffix IS NULL OR r.name_suffix IS NULL',
    levels: [
      { label: 'agrees', when: 'l.name_suffix = r.name_suffix', m: 0.97, exactOn: { column: 'name_suffix' } },
      { label: 'different', when: 'TRUE', m: 0.03 },
    ],
  },
  {
    name: 'household',
    description:
      "household and contact: someone else in both families (a child, the other parent) is the same person, or phone, street address, ZIP and city agree (the parents' own, or anyone's in the two families)",
    identity: false,
    corroborating: true,
    missing: `coalesce(hh.shared_members, 0) = 0 AND NOT coalesce(hh.family_contact, FALSE)
      AND (l.addr_key IS NULL OR r.addr_key IS NULL) AND (l.phone IS NULL OR r.phone IS NULL)
      AND (l.zip IS NULL OR r.zip IS NULL) AND (l.city IS NULL OR r.city IS NULL)
      AND NOT (l.has_family AND r.has_family)`,
    levels: [
      { label: 'two or more family members in common', when: 'hh.shared_members >= 2', m: 0.3 },
      { label: 'a family member in common', when: 'hh.shared_members = 1', m: 0.3 },
      { label: 'phone and address', when: 'l.phone = r.phone AND address_agree', m: 0.12 },
      { label: 'address, ZIP and city', when: 'address_agree AND zip_agree AND city_agree', m: 0.06 },
      { label: 'address and ZIP or city', when: 'address_agree AND (zip_agree OR city_agree)', m: 0.02 },
      { label: 'phone', when: 'l.phone = r.phone', m: 0.04 },
      { label: 'address only', when: 'address_agree', m: 0.01 },
      // the parent's own address or phone differ, but someone in each family shares one (an out-of-date address on one side)
      { label: 'an address or phone in common within the families', when: 'hh.family_contact', m: 0.02 },
      // both families are on record (children, the other parent) and nobody is in both: a namesake's family
      { label: 'different families', when: 'l.has_family AND r.has_family', m: 0.02 },
      { label: 'ZIP and city', when: 'zip_agree AND city_agree', m: 0.06 },
      { label: 'ZIP or city', when: 'zip_agree OR city_agree', m: 0.04 },
      { label: 'none', when: 'TRUE', m: 0.05 },
    ],
  },
];

/**
 * Columns of tmp_match_persons that only serve the comparisons: cheap scalar
 * stand-ins for per-pair string and list work (initials as code points, the
 * first surname tokens and their phonetic keys as columns, SSN groups as
 * numbers, a Bloom mask of the nickname groups). List columns are costly to
 * carry through the pair joins; the few pairs that need set logic split the
 * text form again.
 */
export const PERSON_HELPER_COLUMNS = `
  ascii(p.first1) AS f_init, ascii(p.last_joined) AS l_init, ascii(p.middle1) AS m_init,
  CASE WHEN len(p.first_groups) > 0
       THEN list_reduce(list_transform(p.first_groups, g -> (1::UBIGINT << (hash(g) % 64)::INTEGER)), (a, b) -> a | b)
       ELSE 0::UBIGINT END AS nick_mask,
  array_to_string(p.first_groups, '|') AS groups_text,
  p.given_tokens[2] AS given2,
  p.first1 <> p.first_joined AS compound_first,
  len(p.last_tokens) > 1 AS last_multi,
  p.last_tokens[1] AS tok1, p.last_tokens[2] AS tok2, p.last_tokens[3] AS tok3,
  p.last_token_phons[1] AS ph1, p.last_token_phons[2] AS ph2, p.last_token_phons[3] AS ph3,
  length(p.last_joined) AS last_len,
  left(p.ssn, 3)::SMALLINT AS ssn_a, substr(p.ssn, 4, 3)::SMALLINT AS ssn_b, right(p.ssn, 3)::SMALLINT AS ssn_c,
  year(p.dob) AS dob_y, month(p.dob) AS dob_m, day(p.dob) AS dob_d`;

/** `CASE ... END` giving the level index of a comparison (-1 missing). */
export function levelSql(c: Comparison): string {
  const whens = c.levels
    .slice(0, -1)
    .map((lv, i) => `WHEN ${lv.when.replace(/\s+/g, ' ')} THEN ${i}`)
    .join(' ');
  return `(CASE WHEN ${c.missing.replace(/\s+/g, ' ')} THEN -1 ${whens} ELSE ${c.levels.length - 1} END)::TINYINT`;
}

export const gammaColumn = (c: Comparison) => `g_${c.name}`;

export function comparisonIndex(name: string): number {
  const k = COMPARISONS.findIndex((c) => c.name === name);
  if (k < 0) throw new Error(`unknown comparison ${name}`);
  return k;
}

export function levelIndex(comparison: string, label: string): number {
  const g = COMPARISONS[comparisonIndex(comparison)]!.levels.findIndex((l) => l.label === label);
  if (g < 0) throw new Error(`unknown level ${comparison}/${label}`);
  return g;
}
