/**
 * What the review page shows, read from the database: the open queue of the
 * latest night (most consequential first, as `review export` orders it), a
 * pair's two families, a mutual client's records and history, the night's
 * audit sample and the precision by night, and lookups by id. Read-only: every
 * query here runs on a connection opened READ_ONLY (temp tables are allowed).
 *
 * SEALED child-welfare clients never appear: they are never matched (not in
 * the queue, links or clusters), and every read of the child-welfare snapshot
 * here leaves out a client any of whose rows that night says SEALED.
 */
import type { Db } from '../../db/database.js';
import { dateLit, lit, litList } from '../../db/sql.js';
import { DECISIONS_IN_FORCE_SQL } from '../../match/tables.js';
import { latestNight } from '../../pipeline/ledger.js';
import { buildConsequences } from '../consequence.js';
import type { Explanation, Side } from './words.js';

export interface QueuePair {
  priority: number;
  pair_id: string;
  calworks_person_id: string;
  cws_client_id: string;
  probability: number;
  weight: number;
  reason: string;
  consequence: string;
  impact_rank: number;
  calworks: Side & Record<string, string | null>;
  cws: Side & Record<string, string | null>;
  explanation: Explanation;
  calworks_cases: string;
  cws_cases: string;
  current_tier: string | null;
  calworks_office: string | null;
  cws_office: string | null;
}

export interface QueueSnapshot {
  night: string | null;
  pairs: QueuePair[];
  /** Pairs of the night decided since it ran (not in `pairs`). */
  decidedSinceNight: number;
}

/** Client ids of the night that are SEALED (any row says so). */
export const SEALED_SQL = (night: string) =>
  `SELECT client_id FROM snap_cws WHERE run_date = ${dateLit(night)} GROUP BY client_id HAVING bool_or(sensitivity = 'SEALED')`;

const openQueueSql = (night: string) => `
  SELECT q.* FROM review_queue q
  WHERE q.run_date = ${dateLit(night)}
    AND NOT EXISTS (SELECT 1 FROM (${DECISIONS_IN_FORCE_SQL}) d
                    WHERE d.calworks_person_id = q.calworks_person_id AND d.cws_client_id = q.cws_client_id)
    AND q.cws_client_id NOT IN (${SEALED_SQL(night)})`;

const parse = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export async function loadQueue(db: Db): Promise<QueueSnapshot> {
  const night = await latestNight(db);
  if (!night) return { night: null, pairs: [], decidedSinceNight: 0 };
  const d = dateLit(night);
  await buildConsequences(db, night, openQueueSql(night));
  const rows = await db.all<Record<string, unknown>>(`
    SELECT row_number() OVER (ORDER BY c.impact_rank, q.match_probability DESC, q.calworks_person_id, q.cws_client_id)::INTEGER AS priority,
           q.pair_id, q.calworks_person_id, q.cws_client_id, q.match_probability AS probability, q.match_weight AS weight, q.reason,
           c.consequence, c.impact_rank, q.calworks::VARCHAR AS calworks, q.cws::VARCHAR AS cws, q.explanation::VARCHAR AS explanation,
           coalesce(c.calworks_cases, '') AS calworks_cases, coalesce(c.cws_cases, '') AS cws_cases, c.current_tier,
           (SELECT any_value(office) FROM snap_calworks s WHERE s.run_date = ${d} AND s.person_id = q.calworks_person_id) AS calworks_office,
           (SELECT any_value(office) FROM snap_cws s WHERE s.run_date = ${d} AND s.client_id = q.cws_client_id) AS cws_office
    FROM (${openQueueSql(night)}) q
    JOIN tmp_review_consequence c USING (calworks_person_id, cws_client_id)
    ORDER BY priority`);
  const total = await db.count(`SELECT count(*) FROM review_queue WHERE run_date = ${d}`);
  await db.exec('DROP TABLE IF EXISTS tmp_review_consequence');
  const pairs = rows.map((r): QueuePair => ({
    priority: Number(r.priority),
    pair_id: String(r.pair_id),
    calworks_person_id: String(r.calworks_person_id),
    cws_client_id: String(r.cws_client_id),
    probability: Number(r.probability),
    weight: Number(r.weight),
    reason: String(r.reason),
    consequence: String(r.consequence),
    impact_rank: Number(r.impact_rank),
    calworks: parse(r.calworks),
    cws: parse(r.cws),
    explanation: parse(r.explanation),
    calworks_cases: String(r.calworks_cases),
    cws_cases: String(r.cws_cases),
    current_tier: (r.current_tier as string | null) ?? null,
    calworks_office: (r.calworks_office as string | null) ?? null,
    cws_office: (r.cws_office as string | null) ?? null,
  }));
  return { night, pairs, decidedSinceNight: total - pairs.length };
}

export interface Member {
  id: string;
  role: string;
  name: string;
  dob: string | null;
  /** The group it belongs to: a CalWORKs case number, a referral (and case) id. */
  group: string;
  /** Ids on the other side this member is linked to tonight. */
  linked: string[];
}

export interface Families {
  calworks: Member[];
  cws: Member[];
}

const NAME_SQL = `concat_ws(' ', first_name, middle_name, last_name, name_suffix)`;

/** The other members of the CalWORKs case(s) and of the referral(s), and who of them is linked across. */
export async function loadFamilies(db: Db, night: string, calworksId: string, cwsId: string): Promise<Families> {
  const d = dateLit(night);
  const cw = await db.all<{ id: string; role: string; name: string; dob: string | null; grp: string }>(`
    SELECT DISTINCT person_id AS id, person_role AS role, ${NAME_SQL} AS name, strftime(dob, '%Y-%m-%d') AS dob, case_number AS grp
    FROM snap_calworks
    WHERE run_date = ${d} AND case_number IN (SELECT case_number FROM snap_calworks WHERE run_date = ${d} AND person_id = ${lit(calworksId)})
    ORDER BY grp, role DESC, id`);
  const cws = await db.all<{ id: string; role: string; name: string; dob: string | null; grp: string }>(`
    SELECT DISTINCT client_id AS id, client_role AS role, ${NAME_SQL} AS name, strftime(dob, '%Y-%m-%d') AS dob,
           referral_id || coalesce(' / case ' || case_id, '') AS grp
    FROM snap_cws
    WHERE run_date = ${d} AND referral_id IN (SELECT referral_id FROM snap_cws WHERE run_date = ${d} AND client_id = ${lit(cwsId)})
      AND client_id NOT IN (${SEALED_SQL(night)})
    ORDER BY grp, role DESC, id`);
  const links =
    cw.length && cws.length
      ? await db.all<{ l: string; r: string }>(`
        SELECT calworks_person_id AS l, cws_client_id AS r FROM links
        WHERE run_date = ${d} AND calworks_person_id IN (${litList(cw.map((m) => m.id))}) AND cws_client_id IN (${litList(cws.map((m) => m.id))})`)
      : [];
  const member = (m: { id: string; role: string; name: string; dob: string | null; grp: string }, side: 'l' | 'r'): Member => ({
    id: m.id,
    role: m.role,
    name: m.name,
    dob: m.dob,
    group: m.grp,
    linked: links.filter((k) => (side === 'l' ? k.l : k.r) === m.id).map((k) => (side === 'l' ? k.r : k.l)),
  });
  return { calworks: cw.map((m) => member(m, 'l')), cws: cws.map((m) => member(m, 'r')) };
}

export interface DecisionRecord {
  calworks_person_id: string;
  cws_client_id: string;
  decision: string;
  reviewer: string | null;
  decided_at: string;
  source_file: string | null;
}

/** A pair's (or a set of persons') decisions, newest first, with the notes written on the page. */
export async function loadDecisions(db: Db, calworksIds: readonly string[], cwsIds: readonly string[]): Promise<DecisionRecord[]> {
  if (!calworksIds.length && !cwsIds.length) return [];
  return db.all<DecisionRecord>(`
    SELECT calworks_person_id, cws_client_id, decision, reviewer, strftime(decided_at, '%Y-%m-%d %H:%M') AS decided_at, source_file
    FROM review_decisions
    WHERE calworks_person_id IN (${litList(calworksIds)}) OR cws_client_id IN (${litList(cwsIds)})
    ORDER BY review_decisions.decided_at DESC, decision_id DESC`);
}

/** The latest decisions of everyone, from every source (page, imports), newest first. */
export async function loadRecentDecisions(db: Db, limit = 200): Promise<DecisionRecord[]> {
  return db.all<DecisionRecord>(`
    SELECT calworks_person_id, cws_client_id, decision, reviewer, strftime(decided_at, '%Y-%m-%d %H:%M') AS decided_at, source_file
    FROM review_decisions ORDER BY review_decisions.decided_at DESC, decision_id DESC LIMIT ${Math.max(1, Math.floor(limit))}`);
}

export async function loadNotes(db: Db, l: string, r: string): Promise<{ note: string; reviewer: string | null; noted_at: string }[]> {
  if (!(await db.tableExists('review_notes'))) return [];
  return db.all(`SELECT note, reviewer, strftime(noted_at, '%Y-%m-%d %H:%M') AS noted_at FROM review_notes
                 WHERE calworks_person_id = ${lit(l)} AND cws_client_id = ${lit(r)} ORDER BY review_notes.noted_at`);
}

export interface MutualClientView {
  id: string;
  night: string | null;
  registry: { created_on: string; retired_on: string | null; retire_reason: string | null; predecessors: string[]; successors: string[] } | null;
  calworks: Record<string, string | null>[];
  cws: Record<string, string | null>[];
  links: { calworks_person_id: string; cws_client_id: string; probability: number; weight: number; decision: string; explanation: Explanation }[];
  decisions: DecisionRecord[];
}

const RECORD_COLS = `${NAME_SQL} AS name, strftime(dob, '%Y-%m-%d') AS dob, CASE WHEN regexp_full_match(ssn, '[0-9]{9}') THEN right(ssn, 4) END AS ssn_last4,
  street_address, city, zip, phone, office, worker_name`;

export async function loadMutualClient(db: Db, id: string): Promise<MutualClientView | null> {
  const reg = await db.one<Record<string, unknown>>(`
    SELECT strftime(created_on, '%Y-%m-%d') AS created_on, strftime(retired_on, '%Y-%m-%d') AS retired_on, retire_reason,
           predecessors, coalesce(successors, []) AS successors
    FROM mutual_client_registry WHERE mutual_client_id = ${lit(id)}`);
  if (!reg) return null;
  // The latest night this id has members (its last night when retired).
  const night =
    (await db.one<{ n: string | null }>(`SELECT strftime(max(run_date), '%Y-%m-%d') AS n FROM clusters WHERE mutual_client_id = ${lit(id)}`))?.n ?? null;
  const view: MutualClientView = {
    id,
    night,
    registry: {
      created_on: String(reg.created_on),
      retired_on: (reg.retired_on as string | null) ?? null,
      retire_reason: (reg.retire_reason as string | null) ?? null,
      predecessors: parse<string[]>(reg.predecessors) ?? [],
      successors: parse<string[]>(reg.successors) ?? [],
    },
    calworks: [],
    cws: [],
    links: [],
    decisions: [],
  };
  if (!night) return view;
  const d = dateLit(night);
  const members = `SELECT person_key FROM clusters WHERE run_date = ${d} AND mutual_client_id = ${lit(id)}`;
  view.calworks = await db.all(`
    SELECT DISTINCT person_id AS id, case_number, case_status, person_role AS role, ${RECORD_COLS}
    FROM snap_calworks WHERE run_date = ${d} AND person_id IN (${members} AND system = 'CALWORKS')
    ORDER BY id, case_number`);
  view.cws = await db.all(`
    SELECT DISTINCT client_id AS id, referral_id, case_id, service_component, case_status, client_role AS role,
           CASE WHEN sensitivity = 'SENSITIVE' THEN 'sensitive' END AS sensitivity, ${RECORD_COLS}
    FROM snap_cws WHERE run_date = ${d} AND client_id IN (${members} AND system = 'CWS') AND client_id NOT IN (${SEALED_SQL(night)})
    ORDER BY id, referral_id`);
  const links = await db.all<Record<string, unknown>>(`
    SELECT calworks_person_id, cws_client_id, match_probability AS probability, match_weight AS weight, decision, explanation::VARCHAR AS explanation
    FROM links WHERE run_date = ${d} AND mutual_client_id = ${lit(id)} ORDER BY calworks_person_id, cws_client_id`);
  view.links = links.map((l) => ({
    calworks_person_id: String(l.calworks_person_id),
    cws_client_id: String(l.cws_client_id),
    probability: Number(l.probability),
    weight: Number(l.weight),
    decision: String(l.decision),
    explanation: parse<Explanation>(l.explanation),
  }));
  view.decisions = await loadDecisions(
    db,
    view.calworks.map((r) => String(r.id)),
    view.cws.map((r) => String(r.id)),
  );
  return view;
}

/** The night's AUTO links drawn for audit: a fixed random sample per night (the same on every visit). */
export interface AuditItem {
  calworks_person_id: string;
  cws_client_id: string;
  probability: number;
  mutual_client_id: string;
  explanation: Explanation;
  calworks: Record<string, string | null>;
  cws: Record<string, string | null>;
  verdict: string | null;
  reviewer: string | null;
}

const LATEST_VERDICTS = `SELECT * FROM audit_verdicts
  QUALIFY row_number() OVER (PARTITION BY run_date, calworks_person_id, cws_client_id ORDER BY decided_at DESC) = 1`;

const personSql = (table: 'snap_calworks' | 'snap_cws', idCol: string, night: string, id: string) => `(
  SELECT json_object('name', ${NAME_SQL}, 'dob', strftime(dob, '%Y-%m-%d'),
                     'ssn_last4', CASE WHEN regexp_full_match(ssn, '[0-9]{9}') THEN right(ssn, 4) END,
                     'address', concat_ws(', ', street_address, city, zip))::VARCHAR
  FROM ${table} WHERE run_date = ${dateLit(night)} AND ${idCol} = ${id} LIMIT 1)`;

export async function loadAuditSample(db: Db, night: string, size: number): Promise<AuditItem[]> {
  const d = dateLit(night);
  const rows = await db.all<Record<string, unknown>>(`
    WITH sample AS (
      SELECT * FROM links WHERE run_date = ${d} AND decision = 'AUTO'
      ORDER BY hash(${lit(night)} || '|' || calworks_person_id || '|' || cws_client_id), calworks_person_id, cws_client_id
      LIMIT ${Math.max(0, Math.floor(size))})
    SELECT s.calworks_person_id, s.cws_client_id, s.match_probability AS probability, s.mutual_client_id, s.explanation::VARCHAR AS explanation,
           ${personSql('snap_calworks', 'person_id', night, 's.calworks_person_id')} AS calworks,
           ${personSql('snap_cws', 'client_id', night, 's.cws_client_id')} AS cws,
           v.verdict, v.reviewer
    FROM sample s LEFT JOIN (${LATEST_VERDICTS}) v
      ON v.run_date = ${d} AND v.calworks_person_id = s.calworks_person_id AND v.cws_client_id = s.cws_client_id
    ORDER BY s.calworks_person_id, s.cws_client_id`);
  return rows.map((r) => ({
    calworks_person_id: String(r.calworks_person_id),
    cws_client_id: String(r.cws_client_id),
    probability: Number(r.probability),
    mutual_client_id: String(r.mutual_client_id),
    explanation: parse<Explanation>(r.explanation),
    calworks: parse<Record<string, string | null>>(r.calworks) ?? {},
    cws: parse<Record<string, string | null>>(r.cws) ?? {},
    verdict: (r.verdict as string | null) ?? null,
    reviewer: (r.reviewer as string | null) ?? null,
  }));
}

/** Audited and confirmed links per night (latest verdict per link), newest night first. */
export async function loadAuditCounts(db: Db): Promise<{ night: string; audited: number; confirmed: number; auto_links: number }[]> {
  if (!(await db.tableExists('audit_verdicts'))) return [];
  const rows = await db.all<Record<string, unknown>>(`
    SELECT strftime(v.run_date, '%Y-%m-%d') AS night, count(*) AS audited, count(*) FILTER (WHERE verdict = 'CONFIRMED') AS confirmed,
           (SELECT count(*) FROM links l WHERE l.run_date = v.run_date AND l.decision = 'AUTO') AS auto_links
    FROM (${LATEST_VERDICTS}) v GROUP BY v.run_date ORDER BY v.run_date DESC`);
  return rows.map((r) => ({ night: String(r.night), audited: Number(r.audited), confirmed: Number(r.confirmed), auto_links: Number(r.auto_links) }));
}

export interface IdHit {
  system: 'CALWORKS' | 'CWS' | 'MUTUAL_CLIENT';
  id: string;
  name: string;
  dob: string | null;
  what: string;
  mutual_client_id: string | null;
}

/** People found by an exact id: a CalWORKs person, case or CIN; a child-welfare client, referral or case; a mutual client. */
export async function findById(db: Db, raw: string): Promise<IdHit[]> {
  const night = await latestNight(db);
  if (!night) return [];
  const d = dateLit(night);
  const q = lit(raw.trim());
  const mc = `(SELECT any_value(mutual_client_id) FROM clusters c WHERE c.run_date = ${d} AND c.system = `;
  const rows = await db.all<IdHit>(`
    SELECT 'MUTUAL_CLIENT' AS system, mutual_client_id AS id, '' AS name, NULL AS dob, 'mutual client' AS what, mutual_client_id
    FROM mutual_client_registry WHERE mutual_client_id = upper(${q})
    UNION ALL
    SELECT DISTINCT 'CALWORKS', person_id, ${NAME_SQL}, strftime(dob, '%Y-%m-%d'), 'CalWORKs ' || person_role || ' on case ' || case_number,
           ${mc}'CALWORKS' AND c.person_key = person_id)
    FROM snap_calworks WHERE run_date = ${d} AND (person_id = ${q} OR case_number = ${q} OR cin = ${q})
    UNION ALL
    SELECT DISTINCT 'CWS', client_id, ${NAME_SQL}, strftime(dob, '%Y-%m-%d'), 'child-welfare ' || client_role || ' on referral ' || referral_id || coalesce(', case ' || case_id, ''),
           ${mc}'CWS' AND c.person_key = client_id)
    FROM snap_cws WHERE run_date = ${d} AND (client_id = ${q} OR referral_id = ${q} OR case_id = ${q})
      AND client_id NOT IN (${SEALED_SQL(night)})
    ORDER BY 1, 2 LIMIT 200`);
  return rows;
}
