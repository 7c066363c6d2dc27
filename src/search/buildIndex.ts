/**
 * The person-search index: a compact copy of one night's persons, kept in the
 * database so `linkages search` answers in well under a second without
 * touching the big tables. Built by each night's export stage from the night's
 * int_persons (TEMP, gone once the night ends), so the index is never rebuilt
 * outside a run: written in the stage's `prepare` (prepareSearchIndex), renamed
 * into place inside the night (buildSearchIndex).
 *
 *   search_persons  (sid, system, person_key, hit): what is printed for a person, as one JSON text
 *                   (system, id, role, name and DOB as recorded, cases or referrals). Sorted by sid,
 *                   so the few hits are fetched by cheap point lookups; what a coordinator asks
 *                   next (mutual_client_id, ids linked on the other side, Linkages tier) is read for
 *                   those hits alone from the night's clusters and tiers (linkedFields).
 *   search_tokens   (token, sid, name_tokens, dob, parent), sorted by token: every name word of a person,
 *                   the joined first and last names (RODRIGUEZGARCIA, DELAROSA), and `G:<formal>`
 *                   for each nickname group of the first name (BOB, BOBBY and ROBERT all carry
 *                   G:ROBERT); with what ranking needs, so ranking never reads search_persons
 *   search_variants (variant, token): each name word of four letters or more and its one-letter
 *                   deletions. Two words within one typo of each other (a letter changed, added,
 *                   dropped or two swapped) share a variant, so the candidates for a misspelled
 *                   term are found by an exact lookup; fast-fuzzy then scores them.
 *   search_meta     the run and night the index shows, and the night's match.max_cluster_records
 *
 * The three tables read only int_persons and the night's rows: the export stage's prepare writes
 * them before the night's transaction as search_persons_next, search_tokens_next and
 * search_variants_next, tables of the database file that no reader looks at, and the night swaps
 * them in (a rename, inside its transaction, so readers see the old index or the new one). A night
 * that fails leaves them behind; the next night replaces them.
 *
 * Tokens come from normalize's columns (given_tokens, last_tokens, first_joined,
 * last_joined, first_groups), so search and matching read names the same way.
 * SEALED clients are not in int_persons, hence never searchable.
 */
import type { Db } from '../db/database.js';
import type { TableContract } from '../db/contract.js';
import { dateLit, lit } from '../db/sql.js';

/** Prefix of nickname-group tokens (never a name: names have no colon). */
export const GROUP_PREFIX = 'G:';
/** Words shorter than this are only found as typed (one letter off in ANA is another name). */
export const MIN_FUZZY_LENGTH = 4;

export interface SearchIndexInfo {
  run_id: string | null;
  run_date: string | null;
  persons: number;
  /**
   * The night's match.max_cluster_records, for the hits' links (linkedFields.ts); null for an index
   * built before this was recorded, whose persons' JSON holds their links and tier itself.
   */
  max_cluster_records?: number | null;
}

/**
 * Each person's cases, as (system, person_key, case_key): the CalWORKs case; on the child-welfare
 * side the case when one was opened, else the referral. From stg_<input>: built in `prepare`, they
 * are views of the validated rows, inside the night views of its snapshot; the same rows.
 */
const MEMBER_CASES_SQL = `
  CREATE OR REPLACE TEMP TABLE tmp_search_member_cases AS
  SELECT DISTINCT 'CALWORKS' AS system, person_id AS person_key, case_number AS case_key FROM stg_calworks
  UNION ALL
  SELECT DISTINCT 'CWS', client_id, coalesce(case_id, referral_id) FROM stg_cws`;

/** What the night swaps in (see the module comment): `<table>_next` becomes `<table>`. */
const STAGED_TABLES = ['search_persons', 'search_tokens', 'search_variants'] as const;
const staged = (table: (typeof STAGED_TABLES)[number]) => `${table}_next`;

/**
 * What the index takes from int_persons and the night's rows: built in the export stage's
 * `prepare`, before the night's transaction (DuckDB scans a table made inside a transaction on one
 * thread only), into the staged tables (see the module comment). Each person gets a small integer
 * sid in (system, id) order, numbered on a narrow table (sorting the wide one costs seconds at
 * 300,000 families).
 */
const PREPARE_STEPS: readonly string[] = [
  `CREATE OR REPLACE TEMP TABLE tmp_search_sids AS
   SELECT system, person_key, row_number() OVER (ORDER BY system, person_key)::INTEGER AS sid,
          len(list_distinct(list_filter(list_concat(coalesce(given_tokens, []), coalesce(last_tokens, [])), t -> length(t) > 1)))::INTEGER AS name_tokens
   FROM int_persons`,
  // A word twice in one name (MARIA DEL MAR MARIA) gives two rows; ranking takes the max per term, so that is harmless.
  // Joined forms only where they differ from the words (MARY ANN -> MARYANN, DE LA ROSA -> DELAROSA).
  // What ranking needs of a person is on every token row (so ranking never reads search_persons).
  `CREATE OR REPLACE TABLE ${staged('search_tokens')} AS
   WITH p AS (SELECT s.sid, s.name_tokens, p.dob_display AS dob, p.role = 'PARENT' AS parent,
                     p.given_tokens, p.last_tokens, p.first_joined, p.last_joined, p.first_has_variants, p.first_groups
              FROM int_persons p JOIN tmp_search_sids s ON s.system = p.system AND s.person_key = p.person_key)
   SELECT token, sid, name_tokens, dob, parent FROM (
     SELECT unnest(given_tokens) AS token, sid, name_tokens, dob, parent FROM p
     UNION ALL SELECT unnest(last_tokens), sid, name_tokens, dob, parent FROM p
     UNION ALL SELECT first_joined, sid, name_tokens, dob, parent FROM p WHERE first_joined IS DISTINCT FROM given_tokens[1]
     UNION ALL SELECT last_joined, sid, name_tokens, dob, parent FROM p
       WHERE len(last_tokens) IS DISTINCT FROM 1 OR last_joined IS DISTINCT FROM last_tokens[1]
     UNION ALL SELECT '${GROUP_PREFIX}' || unnest(first_groups), sid, name_tokens, dob, parent FROM p WHERE first_has_variants
   )
   WHERE token IS NOT NULL AND length(token) > 1
   ORDER BY token, sid`,
  `CREATE OR REPLACE TABLE ${staged('search_variants')} AS
   WITH words AS (SELECT DISTINCT token FROM ${staged('search_tokens')} WHERE NOT starts_with(token, '${GROUP_PREFIX}'))
   SELECT DISTINCT variant, token FROM (
     SELECT token AS variant, token FROM words
     UNION ALL
     SELECT left(token, i - 1) || substr(token, i + 1), token
     FROM words, range(1, 64) r(i)
     WHERE length(token) >= ${MIN_FUZZY_LENGTH} AND i <= length(token)
   )
   ORDER BY variant, token`,
  MEMBER_CASES_SQL,
];

const SCRATCH_TABLES = ['tmp_search_sids', 'tmp_search_member_cases'];

/**
 * The staged tables (see the module comment), from int_persons and stg_<input>: the export stage
 * runs this before the night; a night that skipped the prepares (src/db/scratch.ts) inside it.
 */
export async function prepareSearchIndex(db: Db, slicePersons = SEARCH_SLICE_PERSONS): Promise<void> {
  for (const sql of PREPARE_STEPS) await db.exec(sql);
  await db.exec(`CREATE OR REPLACE TABLE ${staged('search_persons')} (sid INTEGER, system VARCHAR, person_key VARCHAR, hit VARCHAR)`);
  const persons = await db.count(`SELECT count(*) FROM tmp_search_sids`);
  for (let lo = 1; lo <= persons; lo += slicePersons) await db.exec(personsSliceSql(lo, lo + slicePersons - 1));
  for (const t of SCRATCH_TABLES) await db.exec(`DROP TABLE IF EXISTS ${t}`);
}

/**
 * Persons per statement of search_persons. Its cases are a list aggregate, whose states DuckDB
 * cannot spill: built whole, the statewide night (6 million persons) ran out of memory there.
 * Slices of sids keep the lists of one slice in memory at a time (and 500,000 was measured
 * faster at 300,000 families than one slice or slices of 250,000).
 */
export const SEARCH_SLICE_PERSONS = 500_000;

/** The statement that adds the sids lo..hi to search_persons_next, in sid order (slices are appended in order, so the table stays sorted by sid). */
function personsSliceSql(lo: number, hi: number): string {
  return `INSERT INTO ${staged('search_persons')}
     WITH slice AS (SELECT system, person_key, sid FROM tmp_search_sids WHERE sid BETWEEN ${lo} AND ${hi}),
     cases AS (
       SELECT c.system, c.person_key, list(c.case_key ORDER BY c.case_key) AS cases
       FROM tmp_search_member_cases c JOIN slice USING (system, person_key) GROUP BY c.system, c.person_key
     )
     SELECT s.sid, p.system, p.person_key, to_json({
       'system': p.system, 'person_key': p.person_key, 'role': p.role, 'sensitive': coalesce(p.sensitive, FALSE),
       'first_name': p.first_name_display, 'middle_name': p.middle_name_display, 'last_name': p.last_name_display,
       'name_suffix': p.name_suffix_display, 'dob': strftime(p.dob_display, '%Y-%m-%d'),
       'cases': coalesce(cases.cases, [])
     })::VARCHAR AS hit
     FROM int_persons p
     JOIN slice s ON s.system = p.system AND s.person_key = p.person_key
     LEFT JOIN cases ON cases.system = p.system AND cases.person_key = p.person_key
     ORDER BY s.sid`;
}

/**
 * Inside the night: swaps the staged tables in and records which night the index shows; `runId`
 * records which run. `prepared`: this run's prepare staged them; otherwise (a night that skipped
 * the prepares, src/db/scratch.ts) they are staged here first, so tables a failed night left
 * behind are never swapped in.
 */
export async function buildSearchIndex(
  db: Db,
  runId: string | null,
  runDate: string | null,
  maxClusterRecords = 50,
  prepared = false,
): Promise<SearchIndexInfo> {
  const d = runDate ? dateLit(runDate) : 'NULL::DATE';
  if (!prepared) await prepareSearchIndex(db);
  for (const t of STAGED_TABLES) await db.exec(`DROP TABLE IF EXISTS ${t}; ALTER TABLE ${staged(t)} RENAME TO ${t}`);
  const persons = await db.count(`SELECT count(*) FROM search_persons`);
  await db.exec(`
    CREATE OR REPLACE TABLE search_meta AS
    SELECT ${lit(runId)}::VARCHAR AS run_id, ${d}::DATE AS run_date,
           now()::TIMESTAMP AS built_at, ${persons}::BIGINT AS persons, ${Math.floor(maxClusterRecords)}::INTEGER AS max_cluster_records`);
  return { run_id: runId, run_date: runDate, persons, max_cluster_records: Math.floor(maxClusterRecords) };
}

const INDEX_TABLES = ['search_meta', 'search_persons', 'search_tokens', 'search_variants'];

/**
 * The index, as the latest committed night left it (the export stage builds it
 * inside the night's transaction, so it always shows that night); null before
 * the first night. This runs before every search: one catalog lookup, one row.
 */
export async function currentSearchIndex(db: Db): Promise<SearchIndexInfo | null> {
  const found = await db.count(`SELECT count(*) FROM duckdb_tables() WHERE NOT temporary AND table_name IN (${INDEX_TABLES.map((t) => lit(t)).join(', ')})`);
  if (found < INDEX_TABLES.length) return null;
  const row = await db.one<{ run_id: string | null; run_date: string | null; persons: string | number; meta: string }>(
    `SELECT run_id, strftime(run_date, '%Y-%m-%d') AS run_date, persons, to_json(m)::VARCHAR AS meta FROM search_meta m`,
  );
  if (!row) return null;
  const mcr = (JSON.parse(row.meta) as { max_cluster_records?: number | null }).max_cluster_records;
  return { run_id: row.run_id, run_date: row.run_date, persons: Number(row.persons), max_cluster_records: mcr ?? null };
}

/**
 * The index's tables (written by the export stage when the night has int_persons: a
 * pipeline of ingest and export alone builds none), and what they promise (src/db/contract.ts).
 */
export const SEARCH_TABLES: readonly TableContract[] = [
  { table: 'search_persons', nightly: false, grain: ['sid'], optional: true },
  { table: 'search_tokens', nightly: false, notNull: ['token', 'sid'], optional: true },
  { table: 'search_meta', nightly: false, notNull: ['run_id', 'run_date'], optional: true },
];
