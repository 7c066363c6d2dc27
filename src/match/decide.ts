/**
 * Decisions: which scored pairs are links, which go to clerical review.
 *
 * - A coordinator's decision in force (latest row of review_decisions) wins:
 *   MATCH -> a CONFIRMED link (whatever the score), NO_MATCH -> never linked,
 *   and a decided pair never reappears in the review queue.
 * - Otherwise match_probability >= link_threshold is an AUTO link unless a
 *   hold applies, which sends it to review with its reason:
 *   identity   the fields that describe the person (given name, DOB, SSN,
 *              sex...) weigh strongly against the pair (min_identity_weight),
 *              or at all when both records come with a family on record
 *              (min_identity_weight_family): household, address and surname
 *              cannot outvote them, since a spouse, a sibling, a twin or a
 *              parent and grown child of the same name share those; and,
 *              when a family is on record, a different given name needs the
 *              exact SSN or birth date (a sister born a year apart at the same
 *              address is not the same person). A different given name with
 *              a different SSN or birth date as well is dismissed;
 *   different families  both families are on record, nobody is in both, no
 *              address or phone is in common (within the families), and no
 *              SSN agrees: two people sharing a name and a birth date
 *              (namesakes). Dismissed: neither linked nor reviewed.
 * - The rest with match_probability >= review_threshold go to review, unless
 *   a hold applies to them too (a weak pair whose families are known to be
 *   different, or whose own identifiers argue against it, is not worth a
 *   coordinator's time).
 */
import type { Db } from '../db/database.js';
import { lit } from '../db/sql.js';
import { ALL_RULE_NAMES } from './blocking.js';
import { levelIndex } from './comparisons.js';
import { guardLinks, type GuardCounts } from './guard.js';

export interface DecideOptions {
  linkThreshold: number;
  reviewThreshold: number;
  minIdentityWeight: number;
  /** The identity floor when both records come with a family on record (co-residents share address, phone, surname). */
  minIdentityWeightFamily: number;
  holdDifferentFamilies: boolean;
  /** match_probability an uncorroborated pair needs to be linked automatically (see UNCORROBORATED). */
  linkThresholdUncorroborated: number;
  /** The sanity guard on automatic links (guard.ts); off when absent. */
  guard?: { maxLinksPerPerson: number; parentsCalworks: number; parentsCws: number };
}

export interface DecideCounts {
  auto: number;
  confirmed: number;
  review: number;
  rejected_by_coordinator: number;
  held_by_identity: number;
  held_by_different_families: number;
  /** Above the link threshold, held, and plainly contradicted: neither linked nor reviewed. */
  dismissed: number;
  guard: GuardCounts | null;
}

interface Hold {
  name: 'ssn_conflict' | 'relative' | 'twin' | 'thin' | 'generation' | 'identity' | 'uncorroborated' | 'different_families';
  when: string;
  /** SQL text of the reason a coordinator reads (a literal, or a CASE choosing one). */
  reason: string;
  /** When this also holds, the pair is not even reviewed: the evidence against it is plain. */
  dismiss?: string;
}

const lv = levelIndex;
const inLevels = (g: string, comparison: string, labels: string[]) => `${g} IN (${labels.map((l) => lv(comparison, l)).join(', ')})`;

/** Someone else in both families is the same person: evidence about the person, not only the home. */
export const SHARED_MEMBER = inLevels('g_household', 'household', ['two or more family members in common', 'a family member in common']);
/**
 * The two share a home (an address or a phone, theirs or their families') but
 * nobody else: exactly what a twin, a sibling, a spouse or a grown child
 * living with them shares too.
 */
export const CO_RESIDENT_ONLY = inLevels('g_household', 'household', [
  'phone and address',
  'address, ZIP and city',
  'address and ZIP or city',
  'phone',
  'address only',
  'an address or phone in common within the families',
]);
/**
 * Nothing about the home or the family agrees (at most the ZIP or the city): the pair rests on the person's
 * own name and birth date, which a namesake shares.
 */
export const UNCORROBORATED = `(g_household < 0 OR ${inLevels('g_household', 'household', ['ZIP and city', 'ZIP or city', 'none'])})`;
const SSN_EXACT = `g_ssn = ${lv('ssn', 'exact')}`;
const SSN_DIFFERENT = `g_ssn = ${lv('ssn', 'different')}`;
const FIRST_DIFFERENT = `g_first_name = ${lv('first_name', 'different')}`;
/** The given names agree as one person's would: exactly, as a nickname or variant, misspelt or sounding alike, or swapped with the surname. */
const FIRST_CLEAN = inLevels('g_first_name', 'first_name', ['exact', 'nickname or same first part', 'close spelling', 'swapped with last name', 'similar']);
/** Neither a birth date nor an SSN on one of the records: only the name tells the person from a relative of the same name. */
const NO_DOB_NOR_SSN = '(g_dob < 0 AND g_ssn < 0)';
const DOB_SAME_LEVELS = ['exact', 'exact, estimated-looking date'];
/** A birth date that confirms the person: equal, off by a typing slip, or an estimated date in the same year. */
const DOB_CONFIRMING_LEVELS = [...DOB_SAME_LEVELS, 'day and month swapped', 'one day off', 'one year off', 'same year, one date estimated'];
const DOB_SAME = inLevels('g_dob', 'dob', DOB_SAME_LEVELS);
/** A birth date that confirms the person without an estimate's leeway (an estimated date agrees on the year only). */
const DOB_CONFIRMS_EXACTLY = inLevels(
  'g_dob',
  'dob',
  DOB_CONFIRMING_LEVELS.filter((l) => l !== 'same year, one date estimated'),
);
const DOB_ESTIMATED_SAME_YEAR = `g_dob = ${lv('dob', 'same year, one date estimated')}`;
const MIDDLE_EXACT = `g_middle_name = ${lv('middle_name', 'exact')}`;
/** The birth dates agree as one person's would (confirming, or one digit off), or one is unknown. */
const DOB_CLEAN = `(g_dob < 0 OR ${inLevels('g_dob', 'dob', [...DOB_CONFIRMING_LEVELS, 'one digit off'])})`;
const DOB_APART = inLevels('g_dob', 'dob', ['different', 'same year, month or day agrees']);
const SURNAME_DISAGREES = inLevels('g_last_name', 'last_name', ['similar', 'different']);
const LAST_DIFFERENT = `g_last_name = ${lv('last_name', 'different')}`;
const ONE_MEMBER = `g_household = ${lv('household', 'a family member in common')}`;
const TWO_MEMBERS = `g_household = ${lv('household', 'two or more family members in common')}`;
const SEX_DIFFERENT = `g_sex = ${lv('sex', 'different')}`;
/** Either record comes with a family on record: relatives are known to exist (not so in FEBRL-like files). */
const FAMILY_KNOWN = '(l.has_family OR r.has_family)';

/**
 * The holds, in order (a pair takes the first that applies). The person's own
 * identifiers decide; household, address, phone and surname only corroborate.
 */
export function holds(o: DecideOptions): Hold[] {
  const list: Hold[] = [
    {
      // Two valid SSNs that differ by more than a typing slip: never linked automatically where relatives
      // can exist (a family on record: every county extract). Files without families (FEBRL) replace
      // whole SSNs as noise; there the model weighs the disagreement like any other.
      name: 'ssn_conflict',
      when: `${FAMILY_KNOWN} AND ${SSN_DIFFERENT}`,
      reason: lit('the two records carry different SSNs'),
      // worth a coordinator's look only when a family member in common says it may be one person with a
      // wrong SSN on one record; otherwise a namesake or a relative
      dismiss: `(NOT ${SHARED_MEMBER} OR ${FIRST_DIFFERENT} OR ${DOB_APART} OR ${SEX_DIFFERENT})`,
    },
    {
      // Each family holds someone with the other record's birth date and surname: two look-alikes, one in each family.
      name: 'twin',
      when: `twin_suspect AND NOT ${SSN_EXACT}`,
      reason: lit('possibly a twin: each family holds someone with the birth date and surname of the other record'),
    },
    {
      // Living together and sharing nobody else, and the given name or birth date does not agree as one person's would.
      name: 'relative',
      when: `${FAMILY_KNOWN} AND ${CO_RESIDENT_ONLY} AND NOT ${SSN_EXACT} AND (NOT (${FIRST_CLEAN} AND ${DOB_CLEAN}) OR ${NO_DOB_NOR_SSN})`,
      reason: `CASE WHEN ${NO_DOB_NOR_SSN} THEN 'same name and home, but no birth date or SSN to tell the person from a relative of the same name (JR/SR)'
                    WHEN ${DOB_SAME} THEN 'same birth date and home but not the same given name: often twins or sisters'
                    WHEN ${FIRST_CLEAN} THEN 'same name and home but another birth date: often a parent and grown child (JR/SR)'
                    ELSE 'same home but the given name or birth date differs: often a relative living together' END`,
      dismiss: `(${FIRST_DIFFERENT} OR ${DOB_APART} OR ${SEX_DIFFERENT})`,
    },
    {
      // The same name a generation apart (JR/SR, mother and daughter), whatever they share.
      name: 'generation',
      when: `${FAMILY_KNOWN} AND ${DOB_APART} AND NOT ${SSN_EXACT}`,
      reason: lit('the birth dates differ by more than a typing slip: often a parent and grown child of the same name'),
      dismiss: 'TRUE',
    },
    {
      // One child in common is thin evidence in a big county (children share names and birthdays): without a
      // birth date or SSN to confirm the person, and under another surname, a coordinator decides.
      name: 'thin',
      when: `${FAMILY_KNOWN} AND ${ONE_MEMBER} AND NOT ${SSN_EXACT} AND ${SURNAME_DISAGREES}
             AND NOT (${DOB_CONFIRMS_EXACTLY} OR (${DOB_ESTIMATED_SAME_YEAR} AND ${MIDDLE_EXACT}))`,
      reason: lit('one family member in common, another surname and no birth date to confirm the person: the shared child may be a namesake'),
    },
    {
      name: 'identity',
      when: `(identity_weight < ${o.minIdentityWeight} OR (identity_weight < ${o.minIdentityWeightFamily} AND l.has_family AND r.has_family)
              OR (${FAMILY_KNOWN} AND ${SEX_DIFFERENT} AND NOT ${SSN_EXACT})
              OR (${FAMILY_KNOWN} AND ${FIRST_DIFFERENT} AND NOT ${SSN_EXACT} AND (NOT ${DOB_SAME} OR (${LAST_DIFFERENT} AND NOT ${TWO_MEMBERS}))))`,
      reason: lit('name, birth date or SSN weigh against the pair'),
      // a different given name and a different SSN or birth date: a relative at the same address, or a
      // family member's SSN recorded on the wrong person; not worth a coordinator's time
      dismiss: `(${FAMILY_KNOWN} AND ${FIRST_DIFFERENT} AND (${SSN_DIFFERENT} OR ${DOB_APART}))`,
    },
    {
      // Only the person's own fields agree, and not so strongly that a namesake is out of the question.
      // A hold on links only: in the review band such a pair is reviewed as any other (holds drop band pairs).
      name: 'uncorroborated',
      when: `${FAMILY_KNOWN} AND ${UNCORROBORATED} AND NOT ${SSN_EXACT}
             AND match_probability >= ${o.linkThreshold} AND match_probability < ${o.linkThresholdUncorroborated}`,
      reason: lit('only the name and birth date agree: nobody in the family, no address or phone in common; another person may share them (a namesake)'),
    },
  ];
  if (o.holdDifferentFamilies) {
    list.push({
      name: 'different_families',
      when: `g_household = ${lv('household', 'different families')} AND g_ssn NOT IN (${[
        lv('ssn', 'exact'),
        lv('ssn', 'one digit off'),
        lv('ssn', 'two digits transposed'),
      ].join(', ')})`,
      reason: lit('both families are on record and share nobody, and no SSN agrees: possibly a namesake'),
      // nobody in common, no address or phone in common (else the household level would say so) and
      // no SSN agreeing: a namesake, not worth a coordinator's time
      dismiss: 'TRUE',
    });
  }
  return list;
}

/** Names of the blocking rules of a bitmask column. */
const rulesList = (col: string) =>
  `list_filter([${ALL_RULE_NAMES.map((n, i) => `CASE WHEN (${col} & ${2 ** i}) <> 0 THEN ${lit(n)} END`).join(', ')}], x -> x IS NOT NULL)`;

export async function decide(db: Db, o: DecideOptions): Promise<DecideCounts> {
  const hs = holds(o);
  const heldBy = `CASE ${hs.map((h) => `WHEN ${h.when} THEN ${lit(h.name)}`).join(' ')} END`;
  const dismissed = `CASE ${hs.map((h) => `WHEN ${h.when} THEN ${h.dismiss ?? 'FALSE'}`).join(' ')} ELSE FALSE END`;
  const reason = `CASE ${hs.map((h) => `WHEN ${h.when} THEN ${h.reason}`).join(' ')} END`;
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_decided AS
    SELECT *,
           CASE WHEN coordinator_decision = 'MATCH' THEN 'CONFIRMED'
                WHEN coordinator_decision = 'NO_MATCH' THEN 'REJECTED'
                WHEN match_probability >= ${o.linkThreshold} AND held_by IS NULL THEN 'AUTO'
                WHEN match_probability >= ${o.linkThreshold} AND NOT dismissed THEN 'REVIEW'
                WHEN match_probability >= ${o.linkThreshold} THEN 'DISMISSED'
                -- in the band, a pair the holds also argue against is not worth a coordinator's time
                WHEN match_probability >= ${o.reviewThreshold} AND held_by IS NULL THEN 'REVIEW'
           END AS outcome,
           CASE WHEN match_probability < ${o.linkThreshold} THEN 'probability in the review band' ELSE hold_reason END AS reason
    FROM (
      SELECT s.*, l.person_key AS calworks_person_id, r.person_key AS cws_client_id, d.decision AS coordinator_decision,
             ${rulesList('s.rules')} AS blocking_rules, ${heldBy} AS held_by, ${reason} AS hold_reason,
             ${dismissed} AS dismissed
      FROM tmp_scored s
      JOIN tmp_match_persons l ON l.pid = s.pid_l
      JOIN tmp_match_persons r ON r.pid = s.pid_r
      LEFT JOIN tmp_decisions_in_force d ON d.calworks_person_id = l.person_key AND d.cws_client_id = r.person_key
    )`);
  const guard = o.guard ? await guardLinks(db, o.guard) : null;
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_links AS
    SELECT pid_l, pid_r, calworks_person_id, cws_client_id, match_probability, match_weight, identity_weight,
           outcome AS decision, NULL::VARCHAR AS mutual_client_id, blocking_rules
    FROM tmp_decided WHERE outcome IN ('AUTO', 'CONFIRMED')`);
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_review AS
    SELECT pid_l, pid_r, calworks_person_id, cws_client_id, match_probability, match_weight, identity_weight, reason
    FROM tmp_decided WHERE outcome = 'REVIEW'`);
  const c = await db.one<Record<string, number | string>>(`
    SELECT count(*) FILTER (WHERE outcome = 'AUTO') AS auto,
           count(*) FILTER (WHERE outcome = 'CONFIRMED') AS confirmed,
           count(*) FILTER (WHERE outcome = 'REVIEW') AS review,
           count(*) FILTER (WHERE outcome = 'REJECTED' AND match_probability >= ${o.reviewThreshold}) AS rejected_by_coordinator,
           count(*) FILTER (WHERE outcome = 'REVIEW' AND match_probability >= ${o.linkThreshold} AND held_by = 'identity') AS held_by_identity,
           count(*) FILTER (WHERE outcome = 'REVIEW' AND match_probability >= ${o.linkThreshold} AND held_by = 'different_families') AS held_by_different_families,
           count(*) FILTER (WHERE outcome = 'DISMISSED') AS dismissed
    FROM tmp_decided`);
  const n = (k: string) => Number(c?.[k] ?? 0);
  return {
    auto: n('auto'),
    confirmed: n('confirmed'),
    review: n('review'),
    rejected_by_coordinator: n('rejected_by_coordinator'),
    held_by_identity: n('held_by_identity'),
    held_by_different_families: n('held_by_different_families'),
    dismissed: n('dismissed'),
    guard,
  };
}
