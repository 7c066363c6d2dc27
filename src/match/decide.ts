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

export interface DecideOptions {
  linkThreshold: number;
  reviewThreshold: number;
  minIdentityWeight: number;
  /** The identity floor when both records come with a family on record (co-residents share address, phone, surname). */
  minIdentityWeightFamily: number;
  holdDifferentFamilies: boolean;
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
}

interface Hold {
  name: 'identity' | 'different_families';
  when: string;
  reason: string;
  /** When this also holds, the pair is not even reviewed: the evidence against it is plain. */
  dismiss?: string;
}

export function holds(o: DecideOptions): Hold[] {
  const list: Hold[] = [
    {
      name: 'identity',
      when: `(identity_weight < ${o.minIdentityWeight} OR (identity_weight < ${o.minIdentityWeightFamily} AND l.has_family AND r.has_family)
              OR ((l.has_family OR r.has_family) AND g_first_name = ${levelIndex('first_name', 'different')} AND g_ssn <> ${levelIndex('ssn', 'exact')}
                  AND g_dob NOT IN (${levelIndex('dob', 'exact')}, ${levelIndex('dob', 'exact, estimated-looking date')})))`,
      reason: 'name, birth date or SSN weigh against the pair',
      // a different given name and a different SSN or birth date: a relative at the same address, or a
      // family member's SSN recorded on the wrong person; not worth a coordinator's time
      dismiss: `((l.has_family OR r.has_family) AND g_first_name = ${levelIndex('first_name', 'different')}
                 AND (g_ssn = ${levelIndex('ssn', 'different')}
                      OR g_dob IN (${levelIndex('dob', 'two of year, month and day agree')}, ${levelIndex('dob', 'different')})))`,
    },
  ];
  if (o.holdDifferentFamilies) {
    list.push({
      name: 'different_families',
      when: `g_household = ${levelIndex('household', 'different families')} AND g_ssn NOT IN (${[
        levelIndex('ssn', 'exact'),
        levelIndex('ssn', 'one digit off'),
        levelIndex('ssn', 'two digits transposed'),
      ].join(', ')})`,
      reason: 'both families are on record and share nobody, and no SSN agrees: possibly a namesake',
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
  const reason = `CASE ${hs.map((h) => `WHEN ${h.when} THEN ${lit(h.reason)}`).join(' ')} END`;
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
  };
}
