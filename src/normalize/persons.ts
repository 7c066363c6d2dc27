/**
 * int_persons: one row per person per system, built from the staging tables.
 *
 * A person has several rows in an extract (one per CalWORKs case, one per
 * child-welfare referral); each field takes the person's latest known value
 * (latest status or referral date; on the same day, by the values' hash, so
 * the order of the file does not matter), except the surname,
 * whose token set gathers every surname the person was recorded under.
 * SEALED child-welfare clients are left out altogether: never matched, never
 * listed (they are only counted).
 *
 * Speed: string work (cleaning, phonetic keys, address parsing) runs once per
 * distinct value in small dictionaries (tmp_name_dict, tmp_phon_dict,
 * tmp_addr_dict) joined back to the persons; address words are standardized
 * set-based (tokens joined to int_ref_street_words), not per row. Working
 * tables are written TEMP, int_persons too, never committed: in a night they are
 * built before the night's transaction opens (the stage's `prepare`), so that
 * every later scan of them runs on all threads; only the export stage (the
 * search index) reads int_persons after match.
 */
import type { Db } from '../db/database.js';
import { addressTokensSql, streetWordMapSql } from './addressTokens.js';
import { lit } from '../db/sql.js';
import { SURNAME_PARTICLES } from './macros.js';

const PERSON_FIELDS = [
  'first_name',
  'middle_name',
  'last_name',
  'name_suffix',
  'dob',
  'sex',
  'ssn',
  'street_address',
  'city',
  'zip',
  'phone',
  'primary_language',
] as const;

const listLiteral = (values: readonly string[]) => `[${values.map(lit).join(', ')}]`;

/**
 * Between two rows of one person on the same day, the one whose values hash
 * higher: never the line number, so sorting the file differently cannot
 * change who a person is (MELISSA on one case, MELISA on another).
 */
const VALUE_TIEBREAK = `(hash(${PERSON_FIELDS.join(', ')}) % 100000000)::BIGINT`;

/** Rows of both extracts in one shape. `ord` orders a person's rows, latest last. */
const personRows = `
SELECT 'CALWORKS' AS system, person_id AS person_key, person_role AS role,
       ${PERSON_FIELDS.join(', ')},
       'NONE' AS sensitivity, extract_date,
       date_diff('day', DATE '1900-01-01', coalesce(status_date, extract_date))::BIGINT * 100000000 + ${VALUE_TIEBREAK} AS ord
FROM stg_calworks
UNION ALL
SELECT 'CWS', client_id, client_role,
       ${PERSON_FIELDS.join(', ')},
       coalesce(sensitivity, 'NONE'), extract_date,
       date_diff('day', DATE '1900-01-01', referral_date)::BIGINT * 100000000 + ${VALUE_TIEBREAK}
FROM stg_cws`;

const latest = (f: string) => `arg_max(${f}, ord) FILTER (WHERE ${f} IS NOT NULL) AS ${f}_raw`;

/** The aggregates of personAggSql for a person of one row, without aggregating (arg_max skips a row whose ord is NULL). */
const singleRowColumns = `
  pid, system, person_key, FALSE AS pid_collision,
  CASE WHEN role = 'PARENT' THEN 'PARENT' WHEN role = 'CHILD' THEN 'CHILD' ELSE 'OTHER' END AS role,
  sensitivity = 'SEALED' AS sealed,
  sensitivity = 'SENSITIVE' AS sensitive,
  extract_date,
  1 AS source_rows,
  ${PERSON_FIELDS.map((f) => `CASE WHEN ord IS NOT NULL THEN ${f} END AS ${f}_raw`).join(',\n  ')},
  CASE WHEN last_name IS NOT NULL THEN [last_name] END AS last_names_all`;

/**
 * One row per person with the latest value of each field, as recorded. Most persons have one row:
 * they are projected as they are, and only persons of several rows are aggregated (a dozen
 * arg_max over every row cost twice the time at 300,000 families).
 */
const personAggSql = `
CREATE OR REPLACE TEMP TABLE tmp_person_agg AS
WITH r AS (SELECT hash(system, person_key) AS pid, * FROM (${personRows})),
rows_per_person AS MATERIALIZED (SELECT pid, count(*) AS n FROM r GROUP BY pid)
SELECT ${singleRowColumns}
FROM r SEMI JOIN (SELECT pid FROM rows_per_person WHERE n = 1) one USING (pid)
UNION ALL
SELECT pid, any_value(system) AS system, any_value(person_key) AS person_key,
       min(person_key) <> max(person_key) OR min(system) <> max(system) AS pid_collision,
       CASE WHEN bool_or(role = 'PARENT') THEN 'PARENT' WHEN bool_or(role = 'CHILD') THEN 'CHILD' ELSE 'OTHER' END AS role,
       bool_or(sensitivity = 'SEALED') AS sealed,
       bool_or(sensitivity = 'SENSITIVE') AS sensitive,
       max(extract_date) AS extract_date,
       count(*)::INTEGER AS source_rows,
       ${PERSON_FIELDS.map(latest).join(',\n       ')},
       list(last_name) FILTER (WHERE last_name IS NOT NULL) AS last_names_all
FROM r SEMI JOIN (SELECT pid FROM rows_per_person WHERE n > 1) several USING (pid)
GROUP BY pid`;

/**
 * Every distinct name string (any part) once: cleaned, its generational
 * suffix split off, which parts it is a placeholder for, its first word, its
 * letters joined, and its surname tokens (without particles and suffixes).
 */
const nameDictSql = `
CREATE OR REPLACE TEMP TABLE tmp_name_dict AS
WITH raw AS (
  SELECT DISTINCT raw FROM (
    SELECT first_name_raw AS raw FROM tmp_person_agg
    UNION ALL SELECT middle_name_raw FROM tmp_person_agg
    UNION ALL SELECT name_suffix_raw FROM tmp_person_agg
    UNION ALL SELECT unnest(last_names_all) FROM tmp_person_agg
  ) WHERE raw IS NOT NULL
), cleaned AS (
  SELECT raw, name_clean(raw) AS c0 FROM raw
), with_tail_suffix AS (
  SELECT raw, c0, name_suffix_std(regexp_extract(c0, '[ -]([A-Z0-9]+)$', 1)) AS tail_suffix FROM cleaned
), name_parts AS (
  SELECT raw, tail_suffix,
         CASE WHEN tail_suffix IS NOT NULL THEN regexp_replace(c0, '[ -][A-Z0-9]+$', '') ELSE c0 END AS clean,
         name_suffix_std(replace(c0, ' ', '')) AS as_suffix
  FROM with_tail_suffix
)
SELECT name_parts.raw, name_parts.clean, name_parts.tail_suffix, name_parts.as_suffix,
       coalesce(ph.parts, []) AS placeholder_for,
       list_has_any(coalesce(ph.parts, []), ['ANY', 'FIRST']) AS ph_first,
       list_has_any(coalesce(ph.parts, []), ['ANY', 'MIDDLE']) AS ph_middle,
       list_has_any(coalesce(ph.parts, []), ['ANY', 'LAST']) AS ph_last,
       split_part(name_parts.clean, ' ', 1) AS first1,
       name_letters(split_part(name_parts.clean, ' ', 1)) AS first1_letters,
       name_letters(name_parts.clean) AS letters,
       list_filter(regexp_split_to_array(name_parts.clean, '[ -]'), t -> length(t) > 1) AS words,
       list_filter(regexp_split_to_array(name_parts.clean, '[ -]'),
                   t -> t <> '' AND NOT list_contains(${listLiteral(SURNAME_PARTICLES)}, t) AND name_suffix_std(t) IS NULL) AS tokens
FROM name_parts
LEFT JOIN (SELECT value, list(part) AS parts FROM int_ref_name_placeholders GROUP BY value) ph ON ph.value = name_parts.clean`;

/** Phonetic key of every distinct word that needs one (first words, joined surnames, surname tokens). */
const phonDictSql = `
CREATE OR REPLACE TEMP TABLE tmp_phon_dict AS
WITH words AS (
  SELECT DISTINCT v FROM (
    SELECT first1_letters AS v FROM tmp_name_dict
    UNION ALL SELECT letters FROM tmp_name_dict
    UNION ALL SELECT unnest(tokens) FROM tmp_name_dict
  ) WHERE v IS NOT NULL AND v <> ''
), based AS (
  SELECT v, phonetic_base(v) AS b FROM words
), skeletons AS (
  SELECT v, phonetic_skeleton(b) AS sk FROM based
)
SELECT v, nullif(left(collapse_repeats(sk), 8), '') AS phon FROM skeletons`;

/**
 * Addresses, once per distinct string: words standardized through
 * int_ref_street_words (STREET -> ST, NORTH -> N, APARTMENT/#/UNIT -> unit),
 * then split into house number, street, the street's core (no suffix or
 * direction), the street's letters joined, and the unit.
 */
const addressDictSql = `
CREATE OR REPLACE TEMP TABLE tmp_addr_dict AS
WITH maps AS (
  SELECT ${streetWordMapSql('#UNIT')} AS wm,
         (SELECT map_from_entries(list(DISTINCT {'k': standard, 'v': kind}))
          FROM int_ref_street_words WHERE kind IN ('SUFFIX', 'DIRECTION')) AS km
), raw AS (
  SELECT DISTINCT street_address_raw AS raw FROM tmp_person_agg WHERE street_address_raw IS NOT NULL
), tokenized AS (
  SELECT raw, ${addressTokensSql('raw')} AS toks
  FROM raw
), standardized AS (
  -- standard words; a unit designator (APT, UNIT, #...) becomes #UNIT
  SELECT t.raw, list_transform(t.toks, w -> coalesce(maps.wm[w], w)) AS m, maps.km FROM tokenized t, maps
), unit_found AS (
  SELECT raw, m, km, coalesce(list_position(m, '#UNIT'), 0) AS up FROM standardized
), unit_split AS (
  SELECT raw, km, CASE WHEN up > 0 THEN m[1:up - 1] ELSE m END AS st, CASE WHEN up > 0 THEN m[up + 1:] END AS unit_toks FROM unit_found
), number_found AS (
  SELECT raw, km, st, unit_toks, regexp_full_match(st[1], '[0-9]+[A-Z]?') AS has_num FROM unit_split
), number_split AS (
  SELECT raw, km, CASE WHEN has_num THEN st[1] END AS addr_number, CASE WHEN has_num THEN st[2:] ELSE st END AS so, unit_toks FROM number_found
), word_kinds AS (
  SELECT raw, addr_number, so, len(so) AS n, list_transform(so, w -> coalesce(km[w], '')) AS kinds, unit_toks FROM number_split
)
SELECT raw, addr_number,
       nullif(array_to_string(so, ' '), '') AS addr_street,
       -- the street without a trailing suffix or a leading/trailing direction: MAIN in N MAIN ST
       coalesce(nullif(array_to_string(list_filter(so, (w, i) ->
                  NOT ((i = n AND n > 1 AND kinds[i] = 'SUFFIX') OR ((i = 1 OR i = n) AND n > 1 AND kinds[i] = 'DIRECTION'))), ' '), ''),
                nullif(array_to_string(so, ' '), '')) AS addr_street_core,
       nullif(array_to_string(so, ''), '') AS addr_street_letters,
       nullif(array_to_string(unit_toks, ' '), '') AS addr_unit
FROM word_kinds`;

/** The phonetic keys of each distinct name string's surname tokens. */
const nameTokenPhonsSql = `
CREATE OR REPLACE TEMP TABLE tmp_name_token_phons AS
SELECT d.raw, list(DISTINCT p.phon ORDER BY p.phon) AS token_phons
FROM (SELECT raw, unnest(tokens) AS tok FROM tmp_name_dict) d
JOIN tmp_phon_dict p ON p.v = d.tok
WHERE p.phon IS NOT NULL
GROUP BY d.raw`;

/**
 * Persons recorded under more than one surname (maiden and married, one part
 * of a compound surname...): the union of every surname's tokens and keys.
 * The others take their one surname's tokens straight from the dictionary.
 */
const surnameTokensSql = `
CREATE OR REPLACE TEMP TABLE tmp_surname_tokens AS
SELECT a.pid,
       list_distinct(flatten(list(d.tokens))) AS last_tokens,
       list_distinct(flatten(list(tp.token_phons))) AS last_token_phons
FROM (
  SELECT pid, unnest(list_distinct(last_names_all)) AS raw
  FROM tmp_person_agg WHERE NOT sealed AND len(list_distinct(last_names_all)) > 1
) a
JOIN tmp_name_dict d ON d.raw = a.raw
LEFT JOIN tmp_name_token_phons tp ON tp.raw = a.raw
WHERE NOT d.ph_last
GROUP BY a.pid`;

/** Name parts from the dictionary, or NULLs when the value is a placeholder for that part. */
const namePart = (alias: string, part: string, cols: Record<string, string>) => {
  const ph = `${alias}.ph_${part.toLowerCase()}`;
  return Object.entries(cols)
    .map(([col, as]) => `CASE WHEN ${ph} THEN NULL ELSE ${alias}.${col} END AS ${as}`)
    .join(',\n         ');
};

const personsSql = `
CREATE OR REPLACE TEMP TABLE int_persons AS
WITH n AS (
  SELECT a.*,
         ${namePart('fd', 'FIRST', { clean: 'first_clean', first1: 'first1', first1_letters: 'first1_letters', letters: 'first_joined', words: 'first_words' })},
         ${namePart('md', 'MIDDLE', { clean: 'middle_clean', first1: 'middle1', words: 'middle_words' })},
         ${namePart('ld', 'LAST', { clean: 'last_clean', letters: 'last_joined', tokens: 'last_tokens1' })},
         coalesce(sd.as_suffix, ld.tail_suffix, fd.tail_suffix) AS suffix,
         phone_digits(regexp_replace(a.phone_raw, '[^0-9]', '', 'g')) AS phone_d,
         regexp_replace(a.zip_raw, '[^0-9]', '', 'g') AS zip_d,
         CASE WHEN dob_is_valid(a.dob_raw, a.extract_date) THEN a.dob_raw END AS dob_valid,
         ssn_is_valid(a.ssn_raw) AS ssn_ok
  FROM tmp_person_agg a
  LEFT JOIN tmp_name_dict fd ON fd.raw = a.first_name_raw
  LEFT JOIN tmp_name_dict md ON md.raw = a.middle_name_raw
  LEFT JOIN tmp_name_dict ld ON ld.raw = a.last_name_raw
  LEFT JOIN tmp_name_dict sd ON sd.raw = a.name_suffix_raw
  WHERE NOT a.sealed
)
SELECT
  n.pid, n.system, n.person_key, n.role, n.sensitive, n.source_rows, n.extract_date,
  -- as recorded (latest), for reviewers
  n.first_name_raw AS first_name_display, n.middle_name_raw AS middle_name_display,
  n.last_name_raw AS last_name_display, n.name_suffix_raw AS name_suffix_display,
  n.dob_raw AS dob_display, n.ssn_raw AS ssn_display, n.street_address_raw AS street_address_display,
  n.city_raw AS city_display, n.zip_raw AS zip_display, n.phone_raw AS phone_display,
  -- names
  n.first_clean AS first_name, n.first1, n.first_joined,
  length(n.first1) = 1 AS first_is_initial,
  coalesce(g.groups, CASE WHEN n.first1 IS NOT NULL THEN [n.first1] END) AS first_groups,
  g.name IS NOT NULL AS first_has_variants,
  fp.phon AS first_phon,
  n.middle_clean AS middle_name, n.middle1,
  -- every given-name part (first and middle), for first/middle swaps and compound given names
  list_concat(coalesce(n.first_words, []), coalesce(n.middle_words, [])) AS given_tokens,
  n.last_clean AS last_name, n.last_joined,
  CASE WHEN st.pid IS NOT NULL THEN st.last_tokens WHEN n.last_clean IS NOT NULL AND len(n.last_tokens1) > 0 THEN n.last_tokens1 END AS last_tokens,
  lp.phon AS last_phon,
  CASE WHEN st.pid IS NOT NULL THEN st.last_token_phons WHEN n.last_clean IS NOT NULL THEN ltp.token_phons END AS last_token_phons,
  n.suffix AS name_suffix,
  -- dates and identifiers (staging SSNs are 9 digits already)
  n.dob_valid AS dob,
  dob_is_estimated(n.dob_valid) AS dob_estimated,
  year(n.dob_valid)::INTEGER AS birth_year,
  CASE WHEN n.sex_raw IN ('F', 'M') THEN n.sex_raw END AS sex,
  CASE WHEN n.ssn_ok THEN n.ssn_raw END AS ssn,
  n.ssn_raw IS NOT NULL AND NOT n.ssn_ok AS ssn_placeholder,
  -- contact
  ad.addr_number, ad.addr_street, ad.addr_street_core, ad.addr_street_letters, ad.addr_unit,
  CASE WHEN ad.addr_number IS NOT NULL AND ad.addr_street_core IS NOT NULL
       THEN ad.addr_number || ' ' || ad.addr_street_core END AS addr_key,
  cd.clean AS city,
  zip_from_digits(n.zip_d) AS zip,
  CASE WHEN phone_valid(n.phone_d) THEN n.phone_d END AS phone,
  upper(trim(n.primary_language_raw)) AS primary_language
FROM n
LEFT JOIN int_ref_name_groups g ON g.name = n.first1
LEFT JOIN tmp_phon_dict fp ON fp.v = n.first1_letters
LEFT JOIN tmp_phon_dict lp ON lp.v = n.last_joined
LEFT JOIN tmp_surname_tokens st ON st.pid = n.pid
LEFT JOIN tmp_name_token_phons ltp ON ltp.raw = n.last_name_raw
LEFT JOIN tmp_addr_dict ad ON ad.raw = n.street_address_raw
LEFT JOIN (SELECT raw, name_clean(raw) AS clean FROM (SELECT DISTINCT city_raw AS raw FROM tmp_person_agg)) cd ON cd.raw = n.city_raw`;

/**
 * An SSN recorded for three or more different persons of one system is a
 * placeholder in practice (a worker's default, an agency number): unknown.
 */
const sharedSsnSql = `
UPDATE int_persons SET ssn = NULL, ssn_placeholder = TRUE
WHERE (system, ssn) IN (
  SELECT system, ssn FROM int_persons WHERE ssn IS NOT NULL GROUP BY system, ssn HAVING count(*) >= 3
)`;

/** Family membership (CalWORKs case; child-welfare referral and case), for household corroboration. */
const familyMembersSql = `
CREATE OR REPLACE TEMP TABLE int_family_members AS
SELECT DISTINCT hash(r.system, r.person_key) AS pid, r.system, r.family_key, r.role
FROM (
  SELECT 'CALWORKS' AS system, person_id AS person_key, case_number AS family_key, person_role AS role FROM stg_calworks
  UNION ALL SELECT 'CWS', client_id, 'R:' || referral_id, client_role FROM stg_cws
  UNION ALL SELECT 'CWS', client_id, 'C:' || case_id, client_role FROM stg_cws WHERE case_id IS NOT NULL
) r
WHERE hash(r.system, r.person_key) IN (SELECT pid FROM int_persons)`;

/** pid = hash(system, person_key): a collision would merge two persons, so it is checked (never seen in practice). */
const pidCheckSql = `SELECT count(*) FROM tmp_person_agg WHERE pid_collision`;

export interface NormalizeCounts {
  persons: number;
  parents: number;
  sealed: number;
  placeholder_names: number;
  invalid_ssn: number;
  invalid_dob: number;
}

const TEMP_TABLES = ['tmp_person_agg', 'tmp_name_dict', 'tmp_phon_dict', 'tmp_name_token_phons', 'tmp_addr_dict', 'tmp_surname_tokens'];

/** The statements of buildPersons, in order (exported for profiling). */
export const PERSON_STEPS: readonly (readonly [string, string])[] = [
  ['aggregate', personAggSql],
  ['name_dictionary', nameDictSql],
  ['phonetic_dictionary', phonDictSql],
  ['name_token_phonetics', nameTokenPhonsSql],
  ['address_dictionary', addressDictSql],
  ['surname_tokens', surnameTokensSql],
  ['persons', personsSql],
  ['shared_ssn', sharedSsnSql],
  ['family_members', familyMembersSql],
];

export async function buildPersons(db: Db, onStep?: (step: string, seconds: number) => void): Promise<NormalizeCounts> {
  for (const [name, sql] of PERSON_STEPS) {
    const t = performance.now();
    await db.exec(sql);
    onStep?.(name, (performance.now() - t) / 1000);
    if (name === 'aggregate' && (await db.count(pidCheckSql)) > 0) {
      throw new Error('normalize: two persons hash to the same pid; rename one of the ids');
    }
  }
  const c = await db.one<Record<string, number | string>>(`
    SELECT (SELECT count(*) FROM int_persons) AS persons,
           (SELECT count(*) FROM int_persons WHERE role = 'PARENT') AS parents,
           (SELECT count(*) FROM tmp_person_agg WHERE sealed) AS sealed,
           (SELECT count(*) FROM tmp_person_agg a JOIN tmp_name_dict d ON d.raw = a.first_name_raw WHERE d.ph_first)
           + (SELECT count(*) FROM tmp_person_agg a JOIN tmp_name_dict d ON d.raw = a.last_name_raw WHERE d.ph_last) AS placeholder_names,
           (SELECT count(*) FROM int_persons WHERE ssn_placeholder) AS invalid_ssn,
           (SELECT count(*) FROM int_persons WHERE dob_display IS NOT NULL AND dob IS NULL) AS invalid_dob`);
  for (const t of TEMP_TABLES) await db.exec(`DROP TABLE IF EXISTS ${t}`);
  return Object.fromEntries(Object.entries(c ?? {}).map(([k, v]) => [k, Number(v)])) as unknown as NormalizeCounts;
}

/**
 * A family (a CalWORKs case, a child-welfare referral or case) with more than
 * `maxMembers` persons is a shelter's group referral or a data error, not a
 * household: it says nothing about who is whom, and every household join
 * would grow with its square. Its rows leave int_family_members (its members
 * keep their other families); the families and members are counted.
 */
export async function capFamilies(db: Db, maxMembers: number): Promise<{ families: number; members: number; largest: number }> {
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_big_families AS
    SELECT system, family_key, count(DISTINCT pid) AS n FROM int_family_members GROUP BY ALL HAVING count(DISTINCT pid) > ${Math.floor(maxMembers)}`);
  const c = await db.one<Record<string, number | bigint | null>>(`SELECT count(*) AS families, sum(n) AS members, max(n) AS largest FROM tmp_big_families`);
  if (Number(c?.families ?? 0) > 0) {
    await db.exec(`DELETE FROM int_family_members WHERE (system, family_key) IN (SELECT system, family_key FROM tmp_big_families)`);
  }
  await db.exec(`DROP TABLE tmp_big_families`);
  return { families: Number(c?.families ?? 0), members: Number(c?.members ?? 0), largest: Number(c?.largest ?? 0) };
}
