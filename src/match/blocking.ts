/**
 * Blocking: which CalWORKs-parent x child-welfare-parent pairs are compared
 * at all. Several rules are OR'ed so that a true pair survives when any one
 * of its identifiers is intact: a missing SSN, a misspelt surname, a DOB typo
 * or a new address each break some rules, rarely all. Pairs are
 * deduplicated; each keeps the bitmask of the rules that found it.
 *
 * A block (the pairs sharing one key) larger than `max_block_pairs` is
 * skipped for that rule, counted and logged: a common surname with a common
 * birth year says little, and the pairs it would hold are still found by the
 * rules that do say something (DOB, SSN, phone, household...).
 *
 * Core rules always run. Extra rules (`extra`) add recall on data without
 * households, phones or SSNs, at a price that grows with the square of the
 * data (a birth date alone, a ZIP and a street...): an extra rule runs only
 * while it costs at most `extra_rule_pairs_per_parent` pairs per parent
 * (known from the block sizes before any pair is made), so a small county
 * or a benchmark file gets them and a big county keeps near-linear cost.
 * The summary lists the extra rules skipped.
 */
import type { Db } from '../db/database.js';
import { lit } from '../db/sql.js';

export interface BlockingRule {
  name: string;
  /** Key of the CalWORKs side (`p` = tmp_match_persons); a list when `multi`. */
  left: string;
  /** Key of the child-welfare side; defaults to `left`. */
  right?: string;
  multi?: boolean;
  /** Runs only when affordable (see above). */
  extra?: boolean;
}

/** Initials of every given name a person goes by: first, middle, nickname groups (BILL -> W for WILLIAM). */
const GIVEN_INITIALS = `list_distinct(list_transform(list_concat(coalesce(p.first_groups, []), coalesce(p.given_tokens, [])), x -> left(x, 1)))`;
/** Initials of every surname token (GARCIA LOPEZ -> G, L) and of the joined surname. */
const SURNAME_INITIALS = `list_distinct(list_transform(list_append(coalesce(p.last_tokens, []), p.last_joined), x -> left(x, 1)))`;
/** Sex when known (a key part; a missing sex on one side leaves the pair to the other rules). */
const SEX = `coalesce(p.sex, '')`;
/** Phonetic keys of the surname, joined and per token. */
const SURNAME_PHONS = `list_distinct(list_append(coalesce(p.last_token_phons, []), p.last_phon))`;

export const BLOCKING_RULES: BlockingRule[] = [
  { name: 'ssn', left: 'p.ssn' },
  // same birth date, sex and a given-name initial in common (nicknames and first/middle swaps included)
  { name: 'dob_given_initial', left: `list_transform(${GIVEN_INITIALS}, x -> p.dob::VARCHAR || ${SEX} || x)`, multi: true },
  // same birth date, sex and a surname initial in common (married or maiden name, one part of a compound surname)
  { name: 'dob_surname_initial', left: `list_transform(${SURNAME_INITIALS}, x -> p.dob::VARCHAR || ${SEX} || x)`, multi: true },
  // birth date mistyped: sounds-alike given name and surname, born in the same decade
  { name: 'names_phonetic', left: `list_transform(${SURNAME_PHONS}, s -> p.first_phon || ':' || s || ':' || (p.birth_year // 10))`, multi: true },
  // birth date unknown on one side: sounds-alike names only (few persons lack a birth date)
  {
    name: 'names_phonetic_no_dob',
    left: `list_transform(${SURNAME_PHONS}, s -> p.first_phon || ':' || s)`,
    right: `CASE WHEN p.dob IS NULL THEN list_transform(${SURNAME_PHONS}, s -> p.first_phon || ':' || s) END`,
    multi: true,
  },
  {
    name: 'names_phonetic_no_dob_calworks',
    left: `CASE WHEN p.dob IS NULL THEN list_transform(${SURNAME_PHONS}, s -> p.first_phon || ':' || s) END`,
    right: `list_transform(${SURNAME_PHONS}, s -> p.first_phon || ':' || s)`,
    multi: true,
  },
  { name: 'names_swapped', left: `p.first_phon || ':' || p.last_phon`, right: `p.last_phon || ':' || p.first_phon` },
  {
    name: 'dob_swapped_initials',
    left: `p.dob::VARCHAR || left(p.first1, 1) || left(p.last_joined, 1)`,
    right: `p.dob::VARCHAR || left(p.last_joined, 1) || left(p.first1, 1)`,
  },
  { name: 'phone', left: 'p.phone' },
  // house number and the street's first letters (spaces in the street name mistyped)
  { name: 'address', left: `p.addr_number || ':' || left(p.addr_street_letters, 4)` },
  { name: 'zip_house_number', left: `p.zip || ':' || p.addr_number` },
  // names garbled: same birth date within a ZIP
  { name: 'dob_zip', left: `p.dob::VARCHAR || p.zip` },
  // extra rules
  { name: 'dob', left: 'p.dob::VARCHAR', extra: true },
  { name: 'surname_birth_year', left: `list_transform(${SURNAME_PHONS}, s -> s || ':' || p.birth_year)`, multi: true, extra: true },
  { name: 'given_name_birth_year', left: `p.first_phon || ':' || p.birth_year`, extra: true },
  { name: 'initial_birth_month_day', left: `left(p.first1, 1) || strftime(p.dob, '%m%d')`, extra: true },
  { name: 'zip_street', left: `p.zip || ':' || left(p.addr_street_letters, 4)`, extra: true },
  { name: 'zip_initials', left: `p.zip || ':' || left(p.first1, 1) || left(p.last_joined, 1)`, extra: true },
  { name: 'surname_zip', left: `list_transform(${SURNAME_PHONS}, s -> s || ':' || p.zip)`, multi: true, extra: true },
  { name: 'given_surname_prefix', left: `p.first_joined || ':' || left(p.last_joined, 3)`, extra: true },
  { name: 'surname_house_number', left: `p.last_joined || ':' || p.addr_number`, extra: true },
];

/** Pairs that do not come from a key: the household corroboration and coordinators' MATCH decisions. */
export const PAIR_SOURCES = ['household', 'review_decision'] as const;

export const ALL_RULE_NAMES = [...BLOCKING_RULES.map((r) => r.name), ...PAIR_SOURCES];

export const ruleBit = (name: string): number => {
  const i = ALL_RULE_NAMES.indexOf(name);
  if (i < 0) throw new Error(`unknown blocking rule ${name}`);
  return 2 ** i;
};

export interface BlockingCounts {
  /** Distinct candidate pairs. */
  candidate_pairs: number;
  /** Pairs each rule produced (before deduplication). */
  pairs_by_rule: Record<string, number>;
  /** Blocks skipped for being larger than max_block_pairs, and the pairs they held. */
  capped_blocks: Record<string, number>;
  capped_pairs: Record<string, number>;
  /** Extra rules not run tonight because they would cost more than their budget. */
  extra_rules_skipped: string[];
}

/**
 * Every rule's keys of one side, in one pass: (rule, k, pid), distinct. A key is kept as its 64-bit
 * hash: blocks are only grouped and joined, never shown, and integers group and join in two thirds
 * of the time of the key texts (300,000 families: 6.4 million keys a side). Two keys of one rule
 * sharing a hash (about one chance in a million a night at that size) would only merge two blocks.
 */
function keysSelect(side: 'l' | 'r'): string {
  const system = side === 'l' ? 'CALWORKS' : 'CWS';
  const parts = BLOCKING_RULES.map((rule, i) => {
    const expr = side === 'l' ? rule.left : (rule.right ?? rule.left);
    return `SELECT ${i}::UTINYINT AS rule, ${rule.multi ? `unnest(${expr})` : expr} AS k, p.pid FROM tmp_match_persons p WHERE p.system = ${lit(system)}`;
  });
  return `SELECT DISTINCT rule, hash(k) AS k, pid FROM (${parts.join('\nUNION ALL ')}) WHERE k IS NOT NULL`;
}

/**
 * Builds tmp_candidates (pid_l, pid_r, rules) from the rules, the household
 * pairs (int_household_pairs) and the pairs a coordinator decided MATCH.
 * All rules at once, set-based: keys of both sides, block sizes, the blocks
 * each rule may use (not capped; an extra rule only within its budget), pairs.
 */
export async function buildCandidates(db: Db, maxBlockPairs: number, extraPairsPerParent: number): Promise<BlockingCounts> {
  const parents = await db.count(`SELECT count(*) FROM tmp_match_persons`);
  const extraBudget = extraPairsPerParent * parents;
  const counts: BlockingCounts = { candidate_pairs: 0, pairs_by_rule: {}, capped_blocks: {}, capped_pairs: {}, extra_rules_skipped: [] };
  await db.exec(`CREATE OR REPLACE TEMP TABLE tmp_block_l AS ${keysSelect('l')}`);
  await db.exec(`CREATE OR REPLACE TEMP TABLE tmp_block_r AS ${keysSelect('r')}`);
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_block_sizes AS
    SELECT rule, k, nl * nr AS pairs
    FROM (SELECT rule, k, count(*)::BIGINT AS nl FROM tmp_block_l GROUP BY ALL)
    JOIN (SELECT rule, k, count(*)::BIGINT AS nr FROM tmp_block_r GROUP BY ALL) USING (rule, k)`);
  const perRule = await db.all<Record<string, number | string>>(`
    SELECT rule,
           count(*) FILTER (WHERE pairs > ${maxBlockPairs}) AS capped_blocks,
           coalesce(sum(pairs) FILTER (WHERE pairs > ${maxBlockPairs}), 0) AS capped_pairs,
           coalesce(sum(pairs) FILTER (WHERE pairs <= ${maxBlockPairs}), 0) AS pairs
    FROM tmp_block_sizes GROUP BY rule`);
  const allowed: number[] = [];
  BLOCKING_RULES.forEach((rule, i) => {
    const r = perRule.find((x) => Number(x.rule) === i);
    const pairs = Number(r?.pairs ?? 0);
    if (rule.extra && pairs > extraBudget) {
      counts.extra_rules_skipped.push(rule.name);
      return;
    }
    allowed.push(i);
    // keys are distinct per person, so each block used adds exactly nl * nr pairs
    counts.pairs_by_rule[rule.name] = pairs;
    counts.capped_blocks[rule.name] = Number(r?.capped_blocks ?? 0);
    counts.capped_pairs[rule.name] = Number(r?.capped_pairs ?? 0);
  });
  const bits = `[${BLOCKING_RULES.map((r) => ruleBit(r.name)).join(', ')}]`;
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_candidate_rows AS
    SELECT l.pid AS pid_l, r.pid AS pid_r, ${bits}[l.rule + 1]::INTEGER AS rule
    FROM tmp_block_l l
    JOIN tmp_block_r r ON r.rule = l.rule AND r.k = l.k
    SEMI JOIN (SELECT rule, k FROM tmp_block_sizes WHERE pairs <= ${maxBlockPairs} AND rule IN (${allowed.join(', ') || 'NULL'})) ok
      ON ok.rule = l.rule AND ok.k = l.k`);
  await db.exec(`DROP TABLE tmp_block_l; DROP TABLE tmp_block_r; DROP TABLE tmp_block_sizes`);

  await db.exec(`INSERT INTO tmp_candidate_rows SELECT pid_l, pid_r, ${ruleBit('household')} FROM int_household_pairs`);
  counts.pairs_by_rule.household = await db.count(`SELECT count(*) FROM int_household_pairs`);

  await db.exec(`
    INSERT INTO tmp_candidate_rows
    SELECT l.pid, r.pid, ${ruleBit('review_decision')}
    FROM tmp_decisions_in_force d
    JOIN tmp_match_persons l ON l.system = 'CALWORKS' AND l.person_key = d.calworks_person_id
    JOIN tmp_match_persons r ON r.system = 'CWS' AND r.person_key = d.cws_client_id
    WHERE d.decision = 'MATCH'`);
  counts.pairs_by_rule.review_decision = await db.count(`SELECT count(*) FROM tmp_candidate_rows WHERE rule = ${ruleBit('review_decision')}`);

  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_candidates AS
    SELECT pid_l, pid_r, bit_or(rule)::INTEGER AS rules
    FROM tmp_candidate_rows
    GROUP BY pid_l, pid_r`);
  await db.exec(`DROP TABLE tmp_candidate_rows`);
  counts.candidate_pairs = await db.count(`SELECT count(*) FROM tmp_candidates`);
  return counts;
}
