/**
 * tmp_match_persons: the parents to match (CalWORKs PARENT and child-welfare
 * PARENT rows of int_persons), narrow (only what blocking and the comparisons
 * read), with cheap helper columns, whether anyone else is on their cases or
 * referrals (has_family), and how common their names are (tf_*). An SSN that
 * is also on another member of the parent's family is unknown here: it was
 * typed on the wrong person, and on which one nobody can tell.
 */
import type { Db } from '../db/database.js';
import { PERSON_HELPER_COLUMNS } from './comparisons.js';
import { tfComparisons } from './gammas.js';

/** The int_persons columns blocking and comparisons read. */
const MATCH_COLUMNS = [
  'pid',
  'system',
  'person_key',
  'first1',
  'first_joined',
  'first_groups',
  'first_phon',
  'first_is_initial',
  'given_tokens',
  'middle_name',
  'middle1',
  'last_joined',
  'last_tokens',
  'last_phon',
  'last_token_phons',
  'name_suffix',
  'dob',
  'dob_estimated',
  'birth_year',
  'sex',
  'ssn',
  'addr_number',
  'addr_street_letters',
  'addr_key',
  'zip',
  'city',
  'phone',
];

export async function buildMatchPersons(db: Db): Promise<void> {
  const tfs = tfComparisons();
  const tfCtes = tfs.map(
    (t) => `tf_${t.column} AS (
      SELECT ${t.column} AS v, count(*) / sum(count(*)) OVER () AS tf
      FROM int_persons WHERE role = 'PARENT' AND ${t.column} IS NOT NULL GROUP BY 1)`,
  );
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_match_persons AS
    WITH with_family AS (
      -- parents on a case or referral with anyone else
      SELECT DISTINCT fm.pid
      FROM int_family_members fm
      SEMI JOIN (SELECT system, family_key FROM int_family_members GROUP BY ALL HAVING min(pid) <> max(pid)) f
        ON f.system = fm.system AND f.family_key = fm.family_key
      WHERE fm.role = 'PARENT'
    ), family_shared_ssn AS (
      -- a parent whose SSN is also on another member of one of her families (a child's SSN typed on the
      -- mother, or hers on the child): which of the two it belongs to is unknown, so for matching it is unknown.
      -- Not so for a second record of the same person (same birth date): the SSN is hers.
      SELECT DISTINCT fm.pid
      FROM int_family_members fm
      JOIN int_persons p ON p.pid = fm.pid
      JOIN int_family_members o ON o.system = fm.system AND o.family_key = fm.family_key AND o.pid <> fm.pid
      JOIN int_persons op ON op.pid = o.pid
      WHERE fm.role = 'PARENT' AND p.ssn IS NOT NULL AND op.ssn = p.ssn AND op.dob IS DISTINCT FROM p.dob
    )${tfCtes.length ? `, ${tfCtes.join(', ')}` : ''}
    SELECT ${MATCH_COLUMNS.map((c) => (c === 'ssn' ? `CASE WHEN fs.pid IS NULL THEN p.ssn END AS ssn` : `p.${c}`)).join(', ')}, ${PERSON_HELPER_COLUMNS.replaceAll('p.ssn', 'CASE WHEN fs.pid IS NULL THEN p.ssn END')},
           wf.pid IS NOT NULL AS has_family${tfs.map((t) => `, tf_${t.column}.tf AS tf_${t.column}`).join('')}
    FROM int_persons p
    LEFT JOIN with_family wf ON wf.pid = p.pid
    LEFT JOIN family_shared_ssn fs ON fs.pid = p.pid
    ${tfs.map((t) => `LEFT JOIN tf_${t.column} ON tf_${t.column}.v = p.${t.column}`).join('\n    ')}
    WHERE p.role = 'PARENT'`);
}
