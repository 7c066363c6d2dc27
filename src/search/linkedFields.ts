/**
 * What a coordinator asks next about a search hit, read at search time for the few hits shown
 * (the index holds only what the night's rows say; these come from the night's matching and
 * tiers): the mutual_client_id, the ids linked on the other side, and the Linkages tier, the
 * highest of the CalWORKs cases of the person or, for a child-welfare client, of the CalWORKs
 * records of their mutual client. A mutual client of more records than one person has
 * (match.max_cluster_records, capped in classify too) would pair each record with every other:
 * its records show no id and no links. Three lookups with the keys written out (DuckDB filters
 * the scans by them): the hits' mutual clients, the CalWORKs records' cases, the cases' tiers.
 */
import type { Db } from '../db/database.js';
import { dateLit, litList } from '../db/sql.js';
import { TIER_RANK, type Tier } from '../classify/rules.js';
import { tiersAvailable } from './tiersTable.js';

export interface Hit {
  system: string;
  person_key: string;
  /** The person's cases (CalWORKs case numbers for a CalWORKs person), from the index. */
  cases: string[];
}

export interface LinkedFields {
  mutual_client_id: string | null;
  linked_ids: string[];
  tier: string | null;
}

interface Member {
  mutual_client_id: string;
  system: string;
  person_key: string;
}

/** The fields of each hit, in the order given, for the night `runDate` of the index. */
export async function linkedFields(db: Db, runDate: string, maxClusterRecords: number, hits: readonly Hit[]): Promise<LinkedFields[]> {
  const d = dateLit(runDate);
  const key = (system: string, personKey: string) => `${system}|${personKey}`;
  // The hits' mutual clients, and every record of them.
  const members =
    hits.length && (await db.tableExists('clusters'))
      ? await db.all<Member>(`
          SELECT mutual_client_id, system, person_key FROM clusters
          WHERE run_date = ${d} AND mutual_client_id IN (
            SELECT mutual_client_id FROM clusters WHERE run_date = ${d} AND person_key IN (${litList(hits.map((h) => h.person_key))}))`)
      : [];
  const byId = new Map<string, Member[]>();
  const idOf = new Map<string, string>();
  for (const m of members) {
    byId.set(m.mutual_client_id, [...(byId.get(m.mutual_client_id) ?? []), m]);
    idOf.set(key(m.system, m.person_key), m.mutual_client_id);
  }
  // The CalWORKs records whose cases give each hit's tier.
  const tierPeople = hits.map((h) => {
    const id = idOf.get(key(h.system, h.person_key));
    return h.system === 'CALWORKS' ? [] : (byId.get(id ?? '') ?? []).filter((m) => m.system === 'CALWORKS').map((m) => m.person_key);
  });
  const tierOf = await caseTiers(db, d, hits, tierPeople.flat());
  const rank = (tier: string | null) => (tier === null ? -1 : (TIER_RANK[tier as Tier] ?? 0));
  const best = (tiers: (string | null)[]) => tiers.reduce<string | null>((a, t) => (rank(t) > rank(a) ? t : a), null);
  return hits.map((h, i) => {
    const id = idOf.get(key(h.system, h.person_key)) ?? null;
    const records = id ? (byId.get(id) ?? []) : [];
    const linked = id !== null && records.length <= Math.floor(maxClusterRecords);
    const tier = best(
      [...(h.system === 'CALWORKS' ? h.cases : []), ...tierPeople[i]!.flatMap((p) => tierOf.casesOf.get(p) ?? [])].map((c) => tierOf.tiers.get(c) ?? null),
    );
    return {
      mutual_client_id: linked ? id : null,
      linked_ids: linked ? [...new Set(records.filter((m) => m.system !== h.system).map((m) => m.person_key))].sort() : [],
      tier,
    };
  });
}

/** The night's tier of each case of the CalWORKs hits and of the CalWORKs records `others` (their cases from the index). */
async function caseTiers(db: Db, d: string, hits: readonly Hit[], others: string[]) {
  const casesOf = new Map<string, string[]>();
  if (others.length) {
    const rows = await db.all<{ person_key: string; hit: string }>(
      `SELECT person_key, hit FROM search_persons WHERE system = 'CALWORKS' AND person_key IN (${litList([...new Set(others)])})`,
    );
    for (const r of rows) casesOf.set(r.person_key, ((JSON.parse(r.hit) as { cases?: string[] }).cases ?? []).map(String));
  }
  const cases = [...new Set([...hits.filter((h) => h.system === 'CALWORKS').flatMap((h) => h.cases), ...[...casesOf.values()].flat()])];
  const tiers = new Map<string, string>();
  if (cases.length && (await tiersAvailable(db))) {
    const rows = await db.all<{ case_number: string; tier: string }>(
      `SELECT case_number, tier FROM tiers WHERE run_date = ${d} AND case_number IN (${litList(cases)})`,
    );
    for (const r of rows) tiers.set(r.case_number, r.tier);
  }
  return { casesOf, tiers };
}
