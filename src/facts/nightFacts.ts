/**
 * What the extracts of one night say, as parsed values, at the grain the
 * Linkages rules need: CalWORKs case members and cases, child-welfare rows,
 * cases and clients, and which CalWORKs person is linked to which
 * child-welfare clients. Built for any night still in the snapshots
 * (`snap_*`, keyed by run_date), so tonight and the previous night are read
 * the same way and compared value by value (a date written `01/05/2026` one
 * night and `2026-01-05` the next is the same DATE here).
 *
 * Each builder creates TEMP tables named `fx_<what>_<tag>` (tag: `t` tonight,
 * `l` the night before). The rows come from `NightRows`: a night's snapshot,
 * or, inside the night's run, tonight's stg_<input>. SEALED child-welfare clients are left out here, so
 * nothing downstream can list or notify them.
 */
import type { Db } from '../db/database.js';
import type { TableContract } from '../db/contract.js';
import { dateLit, lit } from '../db/sql.js';
import { loadReferenceData } from '../normalize/referenceData.js';
import { addressTokensSql, streetWordMapSql } from '../normalize/addressTokens.js';

export type NightTag = 't' | 'l';

export const fx = (what: string, tag: NightTag) => `fx_${what}_${tag}`;

/** Where a night's CalWORKs and child-welfare rows are read: relations with the staging columns. */
export interface NightRows {
  calworks: string;
  cws: string;
}

/** A night's rows from its snapshot (any night still kept). */
export const snapshotRows = (date: string): NightRows => ({
  calworks: `(SELECT * FROM snap_calworks WHERE run_date = ${dateLit(date)})`,
  cws: `(SELECT * FROM snap_cws WHERE run_date = ${dateLit(date)})`,
});

/**
 * Tonight's rows inside the night's run: stg_<input>, the same rows as tonight's snapshot. Written
 * inside the night's transaction, the snapshot is scanned on one thread (see Stage.prepare); while
 * the working tables are in memory, stg_<input> stays a view of the validated rows, scanned in
 * parallel (src/ingest/tables.ts).
 */
export const TONIGHT_ROWS: NightRows = { calworks: 'stg_calworks', cws: 'stg_cws' };

/** A deterministic "latest" key for a row: days since year 1 (nulls first), then a tie-breaker number below 10^8. */
export const latestKey = (date: string, tie: string) =>
  `(date_diff('day', DATE '0001-01-01', coalesce(${date}, DATE '0001-01-01'))::BIGINT * 100000000 + (${tie}))`;

/** Rank of a status for ties between rows of one day: the more open one wins. */
const statusRank = (col: string) => `CASE ${col} WHEN 'ACTIVE' THEN 4 WHEN 'PENDING' THEN 3 WHEN 'DISCONTINUED' THEN 2 WHEN 'DENIED' THEN 1 ELSE 0 END`;

/** Street words standardized with normalize's table (src/normalize/data/street_words.csv), loaded when missing. */
async function streetWordMap(db: Db): Promise<string> {
  if (!(await db.tableExists('int_ref_street_words'))) await loadReferenceData(db);
  return streetWordMapSql('#');
}

/**
 * `addr_key`: street, city and 5-digit ZIP as comparable text (upper case, no
 * accents or punctuation, STREET = ST, APT/UNIT/# = #). Two renderings of
 * one address give the same key; a move gives a different one.
 */
function addrKeySql(street: string, city: string, zip: string): string {
  return `CASE WHEN ${street} IS NULL THEN NULL ELSE
    array_to_string(list_transform(${addressTokensSql(street)}, w -> coalesce(street_words.m[w], w)), ' ')
    || ' | ' || coalesce(array_to_string(${addressTokensSql(city)}, ' '), '')
    || ' | ' || coalesce(left(regexp_replace(${zip}, '[^0-9]', '', 'g'), 5), '') END`;
}

/**
 * fx_cw_members_<tag>: one row per CalWORKs case and person (the extract has
 * one row per person per case; rows repeated with other values are folded:
 * a flag is Y when any row says Y, hours take the largest value).
 */
export async function buildCalworksMembers(db: Db, tag: NightTag, rows: NightRows): Promise<void> {
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE ${fx('cw_members', tag)} AS
    SELECT case_number, person_id,
           CASE WHEN bool_or(person_role = 'PARENT') THEN 'PARENT' WHEN bool_or(person_role = 'CHILD') THEN 'CHILD' ELSE 'OTHER' END AS role,
           coalesce(bool_or(fr_services), FALSE) AS fr_services,
           arg_max(wtw_status, ${latestKey('status_date', 'source_line')}) FILTER (WHERE wtw_status IS NOT NULL) AS wtw_status,
           max(wtw_plan_hours) AS wtw_hours,
           max(cfs_plan_hours) AS cfs_hours,
           coalesce(bool_or(family_stabilization), FALSE) AS family_stabilization,
           coalesce(bool_or(homeless), FALSE) AS homeless,
           coalesce(bool_or(domestic_abuse), FALSE) AS domestic_abuse,
           max(dob) AS dob,
           min(upper(trim(primary_language))) AS primary_language
    FROM ${rows.calworks}
    GROUP BY case_number, person_id`);
}

/**
 * fx_cw_member_addr_<tag>: the address key of each linked CalWORKs person on
 * each of their cases (the only addresses compared: notify's address change),
 * computed once per distinct address. Reads the night's clusters.
 */
export async function buildMemberAddresses(db: Db, date: string, tag: NightTag, rows: NightRows): Promise<void> {
  const d = dateLit(date);
  const wm = await streetWordMap(db);
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_member_addr AS
    SELECT case_number, person_id, min(struct_pack(s := street_address, c := city, z := zip)) AS addr
    FROM ${rows.calworks}
    WHERE street_address IS NOT NULL
      AND person_id IN (SELECT person_key FROM clusters WHERE run_date = ${d} AND system = 'CALWORKS')
    GROUP BY case_number, person_id;

    CREATE OR REPLACE TEMP TABLE tmp_addr_keys AS
    WITH street_words AS (SELECT ${wm} AS m), addresses AS (SELECT DISTINCT addr FROM tmp_member_addr)
    SELECT addr, ${addrKeySql('addr.s', 'addr.c', 'addr.z')} AS addr_key FROM addresses, street_words;

    CREATE OR REPLACE TEMP TABLE ${fx('cw_member_addr', tag)} AS
    SELECT a.case_number, a.person_id, k.addr_key
    FROM tmp_member_addr a JOIN tmp_addr_keys k ON k.addr = a.addr
    WHERE k.addr_key IS NOT NULL;
    DROP TABLE tmp_member_addr; DROP TABLE tmp_addr_keys;`);
}

/**
 * fx_cw_cases_<tag>: one row per CalWORKs case: its status (of the row with
 * the latest status_date), worker and office, whether it is open (an open
 * status, or a parent with FR services when the config says so), its
 * members, its parents and whether it has a child under six (a child with
 * no date of birth is not counted as under six): the WTW hours it requires
 * are classify's rule (src/classify/rules.ts).
 */
export async function buildCalworksCases(
  db: Db,
  date: string,
  tag: NightTag,
  openStatuses: readonly string[],
  frKeepsOpen: boolean,
  rows: NightRows = snapshotRows(date),
): Promise<void> {
  const d = dateLit(date);
  const statuses = openStatuses.map((s) => `'${s}'`).join(', ');
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE ${fx('cw_cases', tag)} AS
    WITH rows AS (
      SELECT case_number,
             arg_max(case_status, ${latestKey('status_date', statusRank('case_status'))}) AS status,
             max(status_date) AS status_date,
             min(office) AS office,
             min(struct_pack(id := worker_id, name := worker_name, email := worker_email, phone := worker_phone))
               FILTER (WHERE worker_id IS NOT NULL OR worker_email IS NOT NULL) AS worker
      FROM ${rows.calworks}
      GROUP BY case_number
    ), members AS (
      SELECT case_number,
             count(*) FILTER (WHERE role = 'PARENT')::INTEGER AS n_parents,
             coalesce(bool_or(role = 'CHILD' AND dob > ${d} - INTERVAL 6 YEAR AND dob <= ${d}), FALSE) AS child_under_six,
             coalesce(bool_or(role = 'PARENT' AND fr_services), FALSE) AS any_fr,
             list_sort(list(person_id)) AS members
      FROM ${fx('cw_members', tag)} GROUP BY case_number
    )
    SELECT r.case_number, r.status, r.status_date, r.office,
           r.worker.id AS worker_id, r.worker.name AS worker_name, r.worker.email AS worker_email, r.worker.phone AS worker_phone,
           (r.status IN (${statuses}) OR (${frKeepsOpen ? 'TRUE' : 'FALSE'} AND m.any_fr)) AS is_open,
           m.n_parents, m.child_under_six,
           m.members
    FROM rows r JOIN members m USING (case_number)`);
}

/**
 * fx_cws_rows_<tag>: the child-welfare rows of clients that are not SEALED
 * (a client is sealed when any of its rows says so), with the client's
 * sensitivity, and fx_cws_sealed_<tag>: how many clients were left out.
 */
export async function buildCwsRows(db: Db, date: string, tag: NightTag, rows: NightRows = snapshotRows(date)): Promise<void> {
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE ${fx('cws_clients', tag)} AS
    SELECT client_id,
           coalesce(bool_or(sensitivity = 'SEALED'), FALSE) AS sealed,
           coalesce(bool_or(sensitivity = 'SENSITIVE'), FALSE) AS sensitive,
           max(removal_date) AS removal_date
    FROM ${rows.cws} GROUP BY client_id;

    CREATE OR REPLACE TEMP TABLE ${fx('cws_rows', tag)} AS
    SELECT s.client_id, s.referral_id, s.case_id, s.client_role, s.referral_date, s.referral_disposition, s.dr_path,
           s.service_component, s.case_status, s.case_open_date, s.case_close_date, s.removal_date,
           s.worker_id, s.worker_name, s.worker_email, s.worker_phone, s.office,
           s.first_name, s.last_name, s.street_address, s.city, s.zip, s.phone, upper(trim(s.primary_language)) AS primary_language,
           c.sensitive, s.source_line
    FROM ${rows.cws} s JOIN ${fx('cws_clients', tag)} c USING (client_id)
    WHERE NOT c.sealed`);
}

/**
 * fx_cws_cases_<tag>: one row per child-welfare case: status, component and
 * worker of its latest referral row, first open date, last close date.
 */
export async function buildCwsCases(db: Db, tag: NightTag): Promise<void> {
  const key = latestKey('referral_date', 'source_line');
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE ${fx('cws_cases', tag)} AS
    SELECT case_id,
           arg_max(case_status, ${key}) AS status,
           arg_max(service_component, ${key}) AS component,
           min(case_open_date) AS open_date,
           max(case_close_date) AS close_date,
           arg_max(struct_pack(id := worker_id, name := worker_name, email := worker_email, office := office), ${key}) AS worker
    FROM ${fx('cws_rows', tag)} WHERE case_id IS NOT NULL
    GROUP BY case_id`);
}

/**
 * fx_links_<tag>: CalWORKs person -> mutual_client_id -> every child-welfare
 * client of the same linked component (one person may hold two client ids).
 * A component of more than `maxClusterRecords` records is not one person (a
 * chain of wrong links): it would pair every record with every other, so it
 * is left out (capped; classify counts it, oversizedClusters).
 */
export async function buildLinks(db: Db, date: string, tag: NightTag, maxClusterRecords = DEFAULT_MAX_CLUSTER_RECORDS): Promise<void> {
  const d = dateLit(date);
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE ${fx('links', tag)} AS
    WITH c AS (
      FROM clusters WHERE run_date = ${d}
        AND mutual_client_id NOT IN (${oversizedSql(d, maxClusterRecords)})
    )
    SELECT DISTINCT a.person_key AS person_id, a.mutual_client_id, b.person_key AS client_id
    FROM c a JOIN c b ON b.mutual_client_id = a.mutual_client_id AND b.system = 'CWS'
    WHERE a.system = 'CALWORKS'`);
}

const DEFAULT_MAX_CLUSTER_RECORDS = 50;

const oversizedSql = (d: string, max: number) =>
  `SELECT mutual_client_id FROM clusters WHERE run_date = ${d} GROUP BY mutual_client_id HAVING count(*) > ${Math.floor(max)}`;

/** Mutual clients of a night left out of classify for their size (buildLinks), and their records. */
export async function oversizedClusters(db: Db, date: string, maxClusterRecords: number): Promise<{ clusters: number; records: number; largest: number }> {
  const d = dateLit(date);
  const r = await db.one<Record<string, number | bigint | null>>(`
    SELECT count(*) AS clusters, sum(n) AS records, max(n) AS largest FROM (
      SELECT count(*) AS n FROM clusters WHERE run_date = ${d} GROUP BY mutual_client_id HAVING count(*) > ${Math.floor(maxClusterRecords)})`);
  return { clusters: Number(r?.clusters ?? 0), records: Number(r?.records ?? 0), largest: Number(r?.largest ?? 0) };
}

/** fx_linked_parents_<tag>: parents of CalWORKs cases who are linked, with each of their child-welfare clients. */
export async function buildLinkedParents(db: Db, tag: NightTag): Promise<void> {
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE ${fx('linked_parents', tag)} AS
    SELECT m.case_number, m.person_id, l.mutual_client_id, l.client_id, coalesce(c.sensitive, FALSE) AS sensitive
    FROM ${fx('cw_members', tag)} m
    JOIN ${fx('links', tag)} l ON l.person_id = m.person_id
    LEFT JOIN ${fx('cws_clients', tag)} c ON c.client_id = l.client_id
    WHERE m.role = 'PARENT' AND NOT coalesce(c.sealed, FALSE)`);
}

export interface FactsOptions {
  openStatuses: readonly string[];
  frKeepsOpen: boolean;
  /** config match.max_cluster_records (buildLinks). */
  maxClusterRecords: number;
}

/**
 * The facts that read only the night's rows (members, cases, child-welfare rows and cases): built
 * before the night's transaction for tonight (classify's prepare), where DuckDB scans in parallel
 * what it writes (see Stage.prepare).
 */
export async function buildRowFacts(db: Db, date: string, tag: NightTag, o: FactsOptions, rows: NightRows = snapshotRows(date)): Promise<void> {
  await buildCalworksMembers(db, tag, rows);
  await buildCalworksCases(db, date, tag, o.openStatuses, o.frKeepsOpen, rows);
  await buildCwsRows(db, date, tag, rows);
  await buildCwsCases(db, tag);
}

/** The facts that read the night's clusters too (linked persons' addresses, links, linked parents), and the marker. */
export async function buildLinkFacts(db: Db, date: string, tag: NightTag, o: FactsOptions, rows: NightRows = snapshotRows(date)): Promise<void> {
  await buildMemberAddresses(db, date, tag, rows);
  await buildLinks(db, date, tag, o.maxClusterRecords);
  await buildLinkedParents(db, tag);
  await db.exec(`CREATE OR REPLACE TEMP TABLE ${fx('night', tag)} AS SELECT ${lit(markerOf(date, o))} AS marker`);
}

/** Every fx_* table of one night, and a marker saying for which night and options they were built. */
export async function buildNightFacts(db: Db, date: string, tag: NightTag, o: FactsOptions, rows: NightRows = snapshotRows(date)): Promise<void> {
  await buildRowFacts(db, date, tag, o, rows);
  await buildLinkFacts(db, date, tag, o, rows);
}

const markerOf = (date: string, o: FactsOptions) => JSON.stringify({ date, ...o });

/**
 * The facts of a night, reusing the ones an earlier stage of the same run
 * built (classify builds tonight's; notify needs them again).
 */
export async function ensureNightFacts(db: Db, date: string, tag: NightTag, o: FactsOptions): Promise<void> {
  if (await db.tableExists(fx('night', tag))) {
    const m = await db.one<{ marker: string }>(`SELECT marker FROM ${fx('night', tag)}`);
    if (m?.marker === markerOf(date, o)) return;
  }
  await buildNightFacts(db, date, tag, o);
}

export const FACT_TABLES = ['night', 'cw_members', 'cw_member_addr', 'cw_cases', 'cws_clients', 'cws_rows', 'cws_cases', 'links', 'linked_parents'];

export async function dropNightFacts(db: Db, tag: NightTag): Promise<void> {
  for (const t of FACT_TABLES) await db.exec(`DROP TABLE IF EXISTS ${fx(t, tag)}`);
}

/**
 * What the facts promise (src/db/contract.ts): the grain each rule relies on.
 * A case or a case member twice would double a tier's reasons, a mutual
 * client or a notification. Checked after classify (tonight's).
 */
export const factContracts = (tag: NightTag): readonly TableContract[] => [
  { table: fx('cw_members', tag), nightly: false, grain: ['case_number', 'person_id'] },
  { table: fx('cw_member_addr', tag), nightly: false, grain: ['case_number', 'person_id'], notNull: ['addr_key'] },
  { table: fx('cw_cases', tag), nightly: false, grain: ['case_number'], notNull: ['is_open'] },
  { table: fx('cws_clients', tag), nightly: false, grain: ['client_id'] },
  { table: fx('cws_cases', tag), nightly: false, grain: ['case_id'] },
  { table: fx('links', tag), nightly: false, grain: ['person_id', 'mutual_client_id', 'client_id'] },
  { table: fx('linked_parents', tag), nightly: false, grain: ['case_number', 'person_id', 'client_id'] },
];
