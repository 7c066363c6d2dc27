/**
 * The wrong links of a scored night, by the kind of look-alike that made
 * them, read from the two records' own values (so it works on any data with a
 * truth file, ours or another generator's):
 *
 *   twin          same birth date, different given names (twins, same-birthday siblings)
 *   junior_senior same given name, birth dates 12 or more years apart (JR/SR, mother and daughter)
 *   namesake      same given name and surname, birth dates less than 12 years apart
 *   other         anything else
 *
 * Expects the night's `links`, the staged extracts (`stg_calworks`, `stg_cws`)
 * and `truth (l, r)` in the connection.
 */
import type { Db } from '../db/database.js';

export interface WrongLinkCounts {
  twin: number;
  junior_senior: number;
  namesake: number;
  other: number;
}

export const WRONG_KINDS: (keyof WrongLinkCounts)[] = ['twin', 'junior_senior', 'namesake', 'other'];

const person = (table: string, id: string) => `
  SELECT ${id} AS id, any_value(upper(trim(first_name))) AS f, any_value(upper(trim(last_name))) AS n, any_value(dob) AS d
  FROM ${table} GROUP BY ${id}`;

export const WRONG_KIND_SQL = `
  CASE WHEN l.d = r.d AND l.f <> r.f THEN 'twin'
       WHEN jaro_winkler_similarity(l.f, r.f) >= 0.9 AND abs(date_diff('year', l.d, r.d)) >= 12 THEN 'junior_senior'
       WHEN jaro_winkler_similarity(l.f, r.f) >= 0.9 AND jaro_winkler_similarity(l.n, r.n) >= 0.9 THEN 'namesake'
       ELSE 'other' END`;

export async function countWrongLinks(db: Db): Promise<WrongLinkCounts> {
  const rows = await db.all<{ kind: string; n: number | bigint }>(`
    WITH wrong AS (
      SELECT k.calworks_person_id AS l_id, k.cws_client_id AS r_id FROM links k
      ANTI JOIN truth t ON t.l = k.calworks_person_id AND t.r = k.cws_client_id
    )
    SELECT ${WRONG_KIND_SQL} AS kind, count(*) AS n
    FROM wrong w
    JOIN (${person('stg_calworks', 'person_id')}) l ON l.id = w.l_id
    JOIN (${person('stg_cws', 'client_id')}) r ON r.id = w.r_id
    GROUP BY ALL`);
  const out: WrongLinkCounts = { twin: 0, junior_senior: 0, namesake: 0, other: 0 };
  for (const r of rows) out[r.kind as keyof WrongLinkCounts] = Number(r.n);
  return out;
}
