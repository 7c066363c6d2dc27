/**
 * `linkages search`: people across both systems by name (and optionally DOB),
 * tolerant of typos, nicknames, swapped names and compound surnames.
 *
 *   1. the name is cleaned like normalize cleans names, and split into terms;
 *   2. each term is expanded to the index tokens it may stand for
 *      (fast-fuzzy over search_dict, nickname groups; expandTerms.ts);
 *   3. DuckDB joins those tokens to search_tokens and ranks persons: the mean
 *      over the terms of the best token score (a term not found scores 0),
 *      a little credit for covering all of the person's name words, and with
 *      --dob the closeness of the birth date;
 *   4. the top hits get what a coordinator needs next: case or referral,
 *      mutual_client_id, the ids linked on the other side, and the tier.
 *
 * Nothing here logs: the hits are printed for the coordinator and nowhere else.
 */
import type { Db } from '../db/database.js';
import { dateLit, lit } from '../db/sql.js';
import { prepareNormalize } from '../normalize/index.js';
import { currentSearchIndex, type SearchIndexInfo } from './buildIndex.js';
import { linkedFields } from './linkedFields.js';
import { expandTerms, nearWords, termVariants, type Candidates, type TokenHit } from './expandTerms.js';
import { queryTerms, type QueryTerms } from './queryTokens.js';
import { toHit, type SearchHit } from './hit.js';

export interface SearchOptions {
  name: string;
  dob?: string;
  limit: number;
}

export interface SearchResult {
  night: string | null;
  terms: string[];
  hits: SearchHit[];
  /** Persons matching at least one term beyond those shown. */
  more: number;
}

/** Hits must reach this score to be shown (a term or two of a longer name). */
export const MIN_SCORE = 0.45;

/**
 * The name cleaned exactly as normalize cleans names (its name_clean macro),
 * with normalize's reference data loaded too: the nickname groups come from
 * src/normalize/data/nicknames.csv, the file the matching uses.
 */
async function cleanName(db: Db, name: string): Promise<string | null> {
  await prepareNormalize(db);
  const row = await db.one<{ c: string | null }>(`SELECT name_clean(${lit(name)}) AS c`);
  return row?.c ?? null;
}

/** Name words near each term (sharing a one-letter-deletion variant) and which joined runs are words. */
async function lookupCandidates(db: Db, q: QueryTerms): Promise<Omit<Candidates, 'groups'>> {
  const variantsOf = new Map(q.terms.map((t) => [t, termVariants(t)]));
  const all = new Set([...[...variantsOf.values()].flat(), ...q.joined.map((j) => j.token)]);
  const rows = await db.all<{ variant: string; token: string }>(
    `SELECT variant, token FROM search_variants WHERE variant IN (${[...all].map(lit).join(', ')})`,
  );
  const byVariant = new Map<string, string[]>();
  for (const r of rows) {
    const list = byVariant.get(r.variant);
    if (list) list.push(r.token);
    else byVariant.set(r.variant, [r.token]);
  }
  const words = new Set(rows.filter((r) => r.variant === r.token).map((r) => r.token));
  return {
    near: (term) => [...new Set((variantsOf.get(term) ?? [term]).flatMap((v) => byVariant.get(v) ?? []))],
    isWord: (token) => words.has(token),
  };
}

async function loadGroups(db: Db, names: readonly string[]): Promise<Map<string, string[]>> {
  if (!names.length || !(await db.tableExists('int_ref_name_groups'))) return new Map();
  const rows = await db.all<{ name: string; groups: string[] }>(`SELECT name, groups FROM int_ref_name_groups WHERE name IN (${names.map(lit).join(', ')})`);
  return new Map(rows.map((r) => [r.name, r.groups]));
}

/** SQL score of a birth date against the one asked for: 1 same, 0.7 one slip (day, year, day/month swapped), 0.3 unknown, 0 else. */
export function dobScoreSql(col: string, dob: string): string {
  const q = dateLit(dob);
  return `CASE WHEN ${col} IS NULL THEN 0.3
    WHEN ${col} = ${q} THEN 1.0
    WHEN abs(date_diff('day', ${col}, ${q})) <= 1
      OR (year(${col}) = year(${q}) AND month(${col}) = day(${q}) AND day(${col}) = month(${q}))
      OR (month(${col}) = month(${q}) AND day(${col}) = day(${q}) AND abs(year(${col}) - year(${q})) = 1)
      THEN 0.7
    ELSE 0.0 END`;
}

function hitsValues(hits: TokenHit[]): string {
  return hits.map((h) => `(${lit(h.token)}, ${h.term}, ${h.score})`).join(', ');
}

export async function searchPeople(db: Db, opts: SearchOptions): Promise<SearchResult> {
  const info = await currentSearchIndex(db);
  const q = queryTerms(await cleanName(db, opts.name));
  const empty = (): SearchResult => ({ night: info?.run_date ?? null, terms: q.terms, hits: [], more: 0 });
  if (!info || !q.terms.length) return empty();

  const found = await lookupCandidates(db, q);
  // Nickname groups of the terms and of their close spellings.
  const names = new Set(q.terms.flatMap((t) => nearWords(t, { ...found, groups: () => [] }).map((n) => n.word)));
  const groups = await loadGroups(db, [...names]);
  const tokenHits = expandTerms(q, { ...found, groups: (n) => groups.get(n) ?? [] });
  if (!tokenHits.length) return empty();

  const ranked = await rankPersons(db, tokenHits, q.terms.length, opts);
  const hits = await personRows(db, info, ranked.top);
  return { night: info.run_date, terms: q.terms, hits, more: Math.max(0, ranked.total - hits.length) };
}

/**
 * Score every person holding a hit token; the best `limit` (sid and score) and
 * how many passed. Only search_tokens is read.
 */
async function rankPersons(db: Db, tokenHits: TokenHit[], nTerms: number, opts: SearchOptions) {
  const dobScore = opts.dob ? dobScoreSql('dob', opts.dob) : '1.0';
  const terms = Array.from({ length: nTerms }, (_, i) => i);
  // One aggregation per person: the best score of each term, and how many terms were found.
  const termSum = terms.map((i) => `coalesce(max(q.score) FILTER (WHERE q.term = ${i}), 0)`).join(' + ');
  const termsFound = terms.map((i) => `(count(*) FILTER (WHERE q.term = ${i}) > 0)::INTEGER`).join(' + ');
  const rows = await db.all<{ sid: number; score: number; total: number | string }>(`
    WITH q(token, term, score) AS (VALUES ${hitsValues(tokenHits)}),
    per_person AS (
      SELECT t.sid, (${termSum}) / ${nTerms} AS name_score, ${termsFound} AS terms_found,
             any_value(t.name_tokens) AS name_tokens, any_value(t.dob) AS dob, any_value(t.parent) AS parent
      FROM search_tokens t JOIN q ON q.token = t.token
      GROUP BY t.sid
    ),
    scored AS (
      SELECT sid, parent, ${dobScore} AS dob_score,
             0.85 * name_score + 0.15 * least(1.0, terms_found / greatest(name_tokens, 1)) AS base_score
      FROM per_person
    ),
    passed AS (
      SELECT sid, parent, round(base_score * ${opts.dob ? '(0.5 + 0.5 * dob_score)' : '1.0'}, 3)::DOUBLE AS score
      FROM scored WHERE dob_score > 0
    )
    SELECT sid, score, count(*) OVER () AS total
    FROM passed WHERE score >= ${MIN_SCORE}
    ORDER BY score DESC, parent DESC, sid
    LIMIT ${opts.limit}`);
  return { top: rows.map((r) => ({ sid: Number(r.sid), score: Number(r.score) })), total: rows.length ? Number(rows[0]!.total) : 0 };
}

/**
 * The hits as printed, in rank order (point lookups: search_persons is sorted by sid), with their
 * mutual client, links and tier (linkedFields.ts; in the JSON of an index from before).
 */
async function personRows(db: Db, info: SearchIndexInfo, top: { sid: number; score: number }[]): Promise<SearchHit[]> {
  if (!top.length) return [];
  const lookups = top.map((t, i) => `SELECT ${i} AS rank, hit FROM search_persons WHERE sid = ${t.sid}`);
  const rows = await db.all<{ rank: number; hit: string }>(`SELECT rank, hit FROM (${lookups.join(' UNION ALL ')}) ORDER BY rank`);
  const people = rows.map((r) => JSON.parse(r.hit) as Record<string, unknown>);
  if (info.max_cluster_records != null && info.run_date) {
    const keys = people.map((p) => ({ system: String(p.system), person_key: String(p.person_key), cases: Array.isArray(p.cases) ? p.cases.map(String) : [] }));
    const linked = await linkedFields(db, info.run_date, info.max_cluster_records, keys);
    people.forEach((p, i) => Object.assign(p, linked[i]));
  }
  return people.map((p, i) => toHit(p, top[Number(rows[i]!.rank)]!.score));
}
