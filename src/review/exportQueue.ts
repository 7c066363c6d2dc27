/**
 * `linkages review export`: the latest night's review queue as a coordinator's
 * worksheet. One row per pair still undecided (a pair decided since the night
 * ran is left out), the most consequential first (consequence.ts), then the
 * most likely matches. Each row: what confirming it would change, both records
 * side by side (as recorded; SSN as its last four digits), each field's
 * comparison level and weight, the reason it was not linked automatically,
 * and an empty `decision` column to fill with MATCH or NO_MATCH and import back.
 * Written through writeCsv, so cells a spreadsheet would run are escaped.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Db } from '../db/database.js';
import { dateLit, ident, lit } from '../db/sql.js';
import { writeCsv } from '../db/csv.js';
import { COMPARISONS } from '../match/comparisons.js';
import { explanationTextSql } from '../match/outputs.js';
import { DECISIONS_IN_FORCE_SQL } from '../match/tables.js';
import { buildConsequences } from './consequence.js';

/** Side-by-side fields, in the order a person compares two records. */
export const SIDE_FIELDS = ['first_name', 'middle_name', 'last_name', 'name_suffix', 'dob', 'sex', 'ssn_last4', 'street_address', 'city', 'zip', 'phone'];

export interface ExportResult {
  night: string;
  file: string;
  pairs: number;
  byConsequence: Record<string, number>;
  decidedSinceNight: number;
}

/** The night's queue without the pairs decided since (the decision in force wins). */
const openQueueSql = (night: string) => `
  SELECT q.* FROM review_queue q
  WHERE q.run_date = ${dateLit(night)}
    AND NOT EXISTS (SELECT 1 FROM (${DECISIONS_IN_FORCE_SQL}) d
                    WHERE d.calworks_person_id = q.calworks_person_id AND d.cws_client_id = q.cws_client_id)`;

export function worksheetSql(night: string): string {
  const sides = SIDE_FIELDS.map((f) => `q.calworks->>${lit(f)} AS ${ident(`calworks_${f}`)}, q.cws->>${lit(f)} AS ${ident(`cws_${f}`)}`).join(',\n           ');
  const fields = COMPARISONS.map(
    (c) =>
      `q.explanation->'fields'->${lit(c.name)}->>'label' AS ${ident(`${c.name}_level`)}, ` +
      `round((q.explanation->'fields'->${lit(c.name)}->>'weight')::DOUBLE, 2) AS ${ident(`${c.name}_weight`)}`,
  ).join(',\n           ');
  return `
    SELECT row_number() OVER (ORDER BY c.impact_rank, q.match_probability DESC, q.calworks_person_id, q.cws_client_id)::INTEGER AS priority,
           c.consequence, q.pair_id, q.calworks_person_id, q.cws_client_id,
           NULL::VARCHAR AS decision,
           round(q.match_probability, 6) AS match_probability, round(q.match_weight, 3) AS match_weight, q.reason,
           c.calworks_cases, c.calworks_case_open, c.current_tier, c.cws_cases, c.cws_open_fm_fr_case,
           ${sides},
           ${fields},
           ${explanationTextSql('q.explanation')} AS explanation
    FROM (${openQueueSql(night)}) q
    JOIN tmp_review_consequence c USING (calworks_person_id, cws_client_id)
    ORDER BY priority`;
}

export async function exportReviewQueue(db: Db, night: string, file: string): Promise<ExportResult> {
  await buildConsequences(db, night, openQueueSql(night));
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  await writeCsv(db, worksheetSql(night), file);
  chmodSync(file, 0o600); // personal data: the owner's eyes only
  const counts = await db.all<{ consequence: string; n: number | string }>(`
    SELECT c.consequence, count(*) AS n
    FROM (${openQueueSql(night)}) q JOIN tmp_review_consequence c USING (calworks_person_id, cws_client_id)
    GROUP BY ALL ORDER BY min(c.impact_rank)`);
  const total = await db.count(`SELECT count(*) FROM review_queue WHERE run_date = ${dateLit(night)}`);
  await db.exec('DROP TABLE IF EXISTS tmp_review_consequence');
  const byConsequence = Object.fromEntries(counts.map((r) => [r.consequence, Number(r.n)]));
  const pairs = Object.values(byConsequence).reduce((a, b) => a + b, 0);
  return { night, file, pairs, byConsequence, decidedSinceNight: total - pairs };
}
