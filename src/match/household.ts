/**
 * Household corroboration: the other members of the two families. A child
 * (or the other parent) named in a CalWORKs case and someone named on a
 * child-welfare referral or case who are plainly the same person (same date
 * of birth, same or similar given name, sex not contradicting) tie the two
 * families together, and so raise the weight of their parents' pairs: two
 * records of one mother usually come with the same children, while a
 * namesake in another family comes with other children.
 *
 * int_household_pairs (pid_l, pid_r, shared_members, family_contact): for
 * each CalWORKs parent x child-welfare parent whose families share at least
 * one other member, how many distinct members they share (the two parents themselves
 * are never counted). The pairs also enter blocking, so a parent whose name
 * and birth date were both badly recorded is still compared when the family
 * says it is the same.
 *
 * family_contact: someone of one parent's families (the parent included)
 * shares a full address (unit included) or a phone with someone of the
 * other's. A parent's own address is often stale on one side while the other
 * parent or a child, recorded later, has the current one; and a newborn on
 * the CalWORKs case is not on the older referral. Keys shared by more than
 * MAX_CONTACT_BLOCK parent pairs (a shelter, an agency phone) are not used.
 */
import type { Db } from '../db/database.js';

/** The family members of one side (tmp_members_l: CalWORKs, tmp_members_r: child welfare). */
const membersSql = (system: string, table: string) => `
CREATE OR REPLACE TEMP TABLE ${table} AS
SELECT p.pid, p.dob, year(p.dob) AS y, month(p.dob) AS m, day(p.dob) AS d,
       p.first1, p.first_joined, p.first_groups, p.first_phon, p.given_tokens[2] AS given2, p.last_joined, p.last_tokens, p.last_phon, p.sex, p.ssn
FROM int_persons p
WHERE p.system = '${system}' AND p.pid IN (SELECT pid FROM int_family_members)`;

/**
 * The keys the member joins below pair on, as expressions of each side's
 * member (`x`). A key whose block (its CalWORKs members x its child-welfare
 * members) holds more than max_block_pairs pairs is not joined: a county of
 * MARIA GARCIAs born on five days would pair every one with every other. The
 * blocks over the cap are few (none in an ordinary county) and are listed in
 * tmp_cap_<key>; each side leaves them out before the join (anti join), so
 * nothing oversized is ever formed. They are counted (cappedMemberBlocks).
 */
const MEMBER_KEYS: Record<string, { l: string[]; r: string[]; from?: (t: string) => string }> = {
  dob_initial: { l: ['x.dob', 'left(x.first1, 1)'], r: ['x.dob', 'left(x.first1, 1)'] },
  dob_surname: { l: ['x.dob', 'x.last_joined'], r: ['x.dob', 'x.last_joined'] },
  dob_swapped: { l: ['x.dob', 'x.first_joined', 'x.last_joined'], r: ['x.dob', 'x.last_joined', 'x.first_joined'] },
  dob_given2_r: { l: ['x.dob', 'x.first1'], r: ['x.dob', 'x.given2'] },
  dob_given2_l: { l: ['x.dob', 'x.given2'], r: ['x.dob', 'x.first1'] },
  name_birth_year: { l: ['x.first_joined', 'x.last_joined', 'x.y'], r: ['x.first_joined', 'x.last_joined', 'x.y'] },
  name_birth_day: { l: ['x.first_joined', 'x.last_joined', 'x.m', 'x.d'], r: ['x.first_joined', 'x.last_joined', 'x.m', 'x.d'] },
  dob_nickname: { l: ['x.dob', 'x.g'], r: ['x.dob', 'x.g'], from: (t) => `(SELECT *, unnest(first_groups) AS g FROM ${t})` },
};

/** tmp_cap_<key>: the key's blocks over the cap, with their pairs. */
const capTableSql = (name: string, cap: number) => {
  const k = MEMBER_KEYS[name]!;
  const from = (t: string) => (k.from ? k.from(t) : t);
  const side = (exprs: string[], t: string, n: string) =>
    `(SELECT ${exprs.map((e, i) => `${e} AS k${i}`).join(', ')}, count(*)::BIGINT AS ${n} FROM ${from(t)} x GROUP BY ALL)`;
  const using = k.l.map((_, i) => `k${i}`).join(', ');
  return `CREATE OR REPLACE TEMP TABLE tmp_cap_${name} AS
    SELECT * FROM ${side(k.l, 'tmp_members_l', 'nl')} JOIN ${side(k.r, 'tmp_members_r', 'nr')} USING (${using})
    WHERE nl * nr > ${cap}`;
};

/** One side's members without the key's oversized blocks. */
const within = (name: string, side: 'l' | 'r') => {
  const k = MEMBER_KEYS[name]!;
  const t = side === 'l' ? 'tmp_members_l' : 'tmp_members_r';
  const exprs = side === 'l' ? k.l : k.r;
  return `(SELECT x.* FROM ${k.from ? k.from(t) : t} x ANTI JOIN tmp_cap_${name} c ON ${exprs.map((e, i) => `c.k${i} = ${e}`).join(' AND ')})`;
};

export const MAX_CONTACT_BLOCK = 50;

/** Surnames that do not contradict: the same, a part in common, sounding alike, or one unknown. */
const SAME_SURNAME = `(ml.last_joined IS NULL OR mr.last_joined IS NULL OR ml.last_joined = mr.last_joined
  OR list_has_any(ml.last_tokens, mr.last_tokens) OR ml.last_phon = mr.last_phon)`;

/**
 * Two records are plainly the same family member when (any of):
 *   the same birth date and given name; or the same birth date, first
 *   initial and a similar given name (or nickname) with surnames not
 *   contradicting (children born the same day with similar names are
 *   common in a big county);
 *   the same birth date and surname, one given name unknown (BABY GIRL...);
 *   the same birth date, given name and surname swapped;
 *   the same birth date, one's given name the other's middle name, the
 *   surnames not contradicting;
 *   the same given name and surname, the birth date a day or a year off,
 *   its day and month swapped, or an estimated 15th of the same month (not
 *   an unknown birth date: common names would tie unrelated families);
 *   the same valid SSN and given-name initial, the birth dates (when both
 *   known) within a year: a child's birth date is often missing on one side;
 * and the sex does not contradict.
 */
const memberPairsSql = () => {
  const join = (key: string) => `${within(key, 'l')} ml JOIN ${within(key, 'r')} mr`;
  return `
CREATE OR REPLACE TEMP TABLE tmp_member_pairs AS
WITH ml AS (FROM tmp_members_l), mr AS (FROM tmp_members_r)
SELECT DISTINCT member_l, member_r FROM (
  SELECT ml.pid AS member_l, mr.pid AS member_r, ml.sex AS sl, mr.sex AS sr
  FROM ${join('dob_initial')} ON mr.dob = ml.dob AND left(mr.first1, 1) = left(ml.first1, 1)
  WHERE ml.first_joined = mr.first_joined
     OR ((jaro_winkler_similarity(ml.first_joined, mr.first_joined) >= 0.85
          OR list_has_any(ml.first_groups, mr.first_groups)
          OR ml.first_phon = mr.first_phon)
         AND ${SAME_SURNAME})
  UNION ALL
  SELECT ml.pid, mr.pid, ml.sex, mr.sex
  FROM ${join('dob_surname')} ON mr.dob = ml.dob AND mr.last_joined = ml.last_joined
  WHERE ml.first1 IS NULL OR mr.first1 IS NULL
  UNION ALL
  SELECT ml.pid, mr.pid, ml.sex, mr.sex
  FROM ${join('dob_swapped')} ON mr.dob = ml.dob AND mr.first_joined = ml.last_joined AND mr.last_joined = ml.first_joined
  UNION ALL
  SELECT ml.pid, mr.pid, ml.sex, mr.sex FROM ${join('dob_given2_r')} ON mr.dob = ml.dob AND mr.given2 = ml.first1 WHERE ${SAME_SURNAME}
  UNION ALL
  SELECT ml.pid, mr.pid, ml.sex, mr.sex FROM ${join('dob_given2_l')} ON mr.dob = ml.dob AND mr.first1 = ml.given2 WHERE ${SAME_SURNAME}
  UNION ALL
  SELECT ml.pid, mr.pid, ml.sex, mr.sex
  FROM ${join('name_birth_year')} ON mr.first_joined = ml.first_joined AND mr.last_joined = ml.last_joined AND mr.y = ml.y
  WHERE abs(date_diff('day', ml.dob, mr.dob)) = 1
     OR (ml.m = mr.d AND ml.d = mr.m)
     OR (ml.m = mr.m AND (ml.d = 15 OR mr.d = 15))
  UNION ALL
  SELECT ml.pid, mr.pid, ml.sex, mr.sex
  FROM ${join('name_birth_day')} ON mr.first_joined = ml.first_joined AND mr.last_joined = ml.last_joined AND mr.m = ml.m AND mr.d = ml.d
  WHERE abs(ml.y - mr.y) = 1
  UNION ALL
  SELECT ml.pid, mr.pid, ml.sex, mr.sex
  FROM ml JOIN mr ON mr.ssn = ml.ssn AND left(mr.first1, 1) = left(ml.first1, 1)
  WHERE ml.dob IS NULL OR mr.dob IS NULL OR abs(date_diff('day', ml.dob, mr.dob)) <= 366
  UNION ALL
  -- a nickname with another initial (TOPHER = CHRISTOPHER), the same birth date
  SELECT gl.pid, gr.pid, gl.sex, gr.sex
  FROM ${within('dob_nickname', 'l')} gl JOIN ${within('dob_nickname', 'r')} gr ON gr.dob = gl.dob AND gr.g = gl.g
  WHERE ${SAME_SURNAME.replaceAll('ml.', 'gl.').replaceAll('mr.', 'gr.')}
)
WHERE sl IS NULL OR sr IS NULL OR sl = sr`;
};

/** The oversized member blocks of every key (tmp_cap_*), and how many blocks and pairs were not formed. */
async function cappedMemberBlocks(db: Db, cap: number): Promise<{ blocks: number; pairs: number }> {
  let blocks = 0;
  let pairs = 0;
  for (const name of Object.keys(MEMBER_KEYS)) {
    await db.exec(capTableSql(name, cap));
    const r = await db.one<Record<string, number | bigint | null>>(`SELECT count(*) AS blocks, sum(nl * nr) AS pairs FROM tmp_cap_${name}`);
    blocks += Number(r?.blocks ?? 0);
    pairs += Number(r?.pairs ?? 0);
  }
  return { blocks, pairs };
}

/**
 * Full addresses and phones of everyone in each matched parent's families: (pid, system, key), the
 * key as its hash (keys are only grouped and joined; a third less time than the texts).
 * Each family's keys are gathered once and only then given to its matched parents: joined the
 * other way (every member of a family to every other first), DuckDB filtered the parents after
 * building a row per pair of members (8.6 million at 300,000 families; 2.6 times the time).
 */
const familyContactsSql = `
CREATE OR REPLACE TEMP TABLE tmp_family_contacts AS
WITH keys AS (
  SELECT pid, hash(k) AS key FROM (
    SELECT pid, unnest([CASE WHEN addr_key IS NOT NULL THEN 'A' || addr_key || coalesce(' #' || addr_unit, '') END, 'T' || phone]) AS k
    FROM int_persons
    WHERE pid IN (SELECT pid FROM int_family_members))
  WHERE k IS NOT NULL
), par AS MATERIALIZED (
  SELECT pid, system, family_key FROM int_family_members WHERE pid IN (SELECT pid FROM tmp_match_persons)
), family_keys AS MATERIALIZED (
  SELECT DISTINCT mem.system, mem.family_key, k.key
  FROM int_family_members mem JOIN keys k ON k.pid = mem.pid
)
SELECT DISTINCT par.pid, par.system, fk.key
FROM par JOIN family_keys fk ON fk.system = par.system AND fk.family_key = par.family_key`;

export interface HouseholdCounts {
  member_pairs: number;
  household_pairs: number;
  family_contact_pairs: number;
  /** Member blocks over max_block_pairs not joined, and the pairs they held. */
  capped_member_blocks: number;
  capped_member_pairs: number;
  /** Addresses and phones shared by more than MAX_CONTACT_BLOCK parent pairs (a shelter), not used. */
  capped_contact_keys: number;
}

export async function buildHouseholdPairs(db: Db, maxBlockPairs = 1000): Promise<HouseholdCounts> {
  await db.exec(membersSql('CALWORKS', 'tmp_members_l'));
  await db.exec(membersSql('CWS', 'tmp_members_r'));
  const capped = await cappedMemberBlocks(db, maxBlockPairs);
  await db.exec(memberPairsSql());
  await db.exec(`DROP TABLE tmp_members_l; DROP TABLE tmp_members_r`);
  for (const name of Object.keys(MEMBER_KEYS)) await db.exec(`DROP TABLE tmp_cap_${name}`);
  await db.exec(familyContactsSql);
  const cappedContactKeys = await db.count(`
    SELECT count(*) FROM (
      SELECT key FROM tmp_family_contacts GROUP BY key
      HAVING count(*) FILTER (WHERE system = 'CALWORKS') * count(*) FILTER (WHERE system = 'CWS') > ${MAX_CONTACT_BLOCK})`);
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_contact_pairs AS
    WITH l AS (SELECT pid, key FROM tmp_family_contacts WHERE system = 'CALWORKS'),
         r AS (SELECT pid, key FROM tmp_family_contacts WHERE system = 'CWS'),
         ok AS (
           SELECT key FROM tmp_family_contacts GROUP BY key
           HAVING count(*) FILTER (WHERE system = 'CALWORKS') * count(*) FILTER (WHERE system = 'CWS') BETWEEN 1 AND ${MAX_CONTACT_BLOCK}
         )
    SELECT DISTINCT l.pid AS pid_l, r.pid AS pid_r
    FROM l JOIN r USING (key) SEMI JOIN ok USING (key)`);
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE int_household_pairs AS
    WITH fam AS (
      SELECT DISTINCT mp.member_l, mp.member_r, fl.family_key AS fam_l, fr.family_key AS fam_r
      FROM tmp_member_pairs mp
      JOIN int_family_members fl ON fl.pid = mp.member_l
      JOIN int_family_members fr ON fr.pid = mp.member_r
    ), shared AS (
      SELECT pl.pid AS pid_l, pr.pid AS pid_r, count(DISTINCT fam.member_l)::INTEGER AS shared_members
      FROM fam
      JOIN int_family_members pl ON pl.system = 'CALWORKS' AND pl.family_key = fam.fam_l AND pl.role = 'PARENT'
      JOIN int_family_members pr ON pr.system = 'CWS' AND pr.family_key = fam.fam_r AND pr.role = 'PARENT'
      WHERE fam.member_l <> pl.pid AND fam.member_r <> pr.pid
      GROUP BY pl.pid, pr.pid
    )
    SELECT pid_l, pid_r, coalesce(s.shared_members, 0) AS shared_members, c.pid_l IS NOT NULL AS family_contact
    FROM shared s FULL OUTER JOIN tmp_contact_pairs c USING (pid_l, pid_r)
    ORDER BY pid_l, pid_r`);
  const member_pairs = await db.count(`SELECT count(*) FROM tmp_member_pairs`);
  await db.exec(`DROP TABLE tmp_member_pairs; DROP TABLE tmp_family_contacts; DROP TABLE tmp_contact_pairs`);
  const c = await db.one<{ shared: number | string; contact: number | string }>(
    `SELECT count(*) FILTER (WHERE shared_members > 0) AS shared, count(*) FILTER (WHERE family_contact) AS contact FROM int_household_pairs`,
  );
  return {
    member_pairs,
    household_pairs: Number(c?.shared ?? 0),
    family_contact_pairs: Number(c?.contact ?? 0),
    capped_member_blocks: capped.blocks,
    capped_member_pairs: capped.pairs,
    capped_contact_keys: cappedContactKeys,
  };
}

/**
 * tmp_scored.twin_suspect: each parent's families hold someone else with the
 * other record's birth date and surname. Twins (or same-birthday siblings)
 * living together are then on both records' cases, each as the other's
 * look-alike, and the pair is held for a coordinator with that reason rather
 * than linked. (One side alone is no sign: a person recorded twice on one
 * case looks like that too.) Computed for the scored pairs only.
 */
export async function markTwinSuspects(db: Db): Promise<void> {
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_kin AS
    WITH scored AS (SELECT pid_l AS pid FROM tmp_scored UNION SELECT pid_r FROM tmp_scored)
    SELECT DISTINCT fm.pid, kin.dob, kin.last_joined
    FROM int_family_members fm
    SEMI JOIN scored ON scored.pid = fm.pid
    JOIN int_family_members o ON o.system = fm.system AND o.family_key = fm.family_key AND o.pid <> fm.pid
    JOIN int_persons kin ON kin.pid = o.pid
    WHERE kin.dob IS NOT NULL AND kin.last_joined IS NOT NULL`);
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_scored AS
    SELECT s.*, (kl.pid IS NOT NULL AND kr.pid IS NOT NULL) AS twin_suspect
    FROM tmp_scored s
    JOIN tmp_match_persons l ON l.pid = s.pid_l
    JOIN tmp_match_persons r ON r.pid = s.pid_r
    LEFT JOIN tmp_kin kl ON kl.pid = s.pid_l AND kl.dob = r.dob AND kl.last_joined = r.last_joined
    LEFT JOIN tmp_kin kr ON kr.pid = s.pid_r AND kr.dob = l.dob AND kr.last_joined = l.last_joined`);
  await db.exec(`DROP TABLE tmp_kin`);
}
