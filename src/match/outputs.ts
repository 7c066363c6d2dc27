/**
 * The matching stage's output files (docs/interface.md section 4), written from
 * the persisted marts of one night through writeCsv (formula-escaped, ordered
 * so a re-run writes the same bytes):
 *
 * links.csv         one row per accepted link, with its per-field explanation
 * review_queue.csv  one row per pair for clerical review: both sides' values
 *                   as recorded (SSN as its last four digits), each field's
 *                   comparison level and weight, and an empty `decision`
 *                   column for the coordinator (MATCH or NO_MATCH), read back
 *                   by `linkages review import`
 */
import { join } from 'node:path';
import type { Db } from '../db/database.js';
import { dateLit, ident, lit } from '../db/sql.js';
import { writeCsv } from '../db/csv.js';
import { COMPARISONS } from './comparisons.js';

export const LINKS_FILE = 'links.csv';
export const REVIEW_QUEUE_FILE = 'review_queue.csv';

/**
 * "first_name: exact (+7.8); dob: one day off (+2.5); ..." from an explanation JSON column. The JSON
 * is parsed once per row (json_extract_string with a list of paths) rather than twice per field:
 * links.csv is every link of the night.
 */
export function explanationTextSql(col: string): string {
  const paths = COMPARISONS.flatMap((c) => [`$.fields.${c.name}.label`, `$.fields.${c.name}.weight`]);
  const parts = COMPARISONS.map((c, k) => {
    const [label, weight] = [`v[${2 * k + 1}]`, `v[${2 * k + 2}]`];
    return `CASE WHEN ${label} <> 'missing' THEN ${lit(`${c.name}: `)} || ${label} || ' (' || printf('%+.1f', ${weight}::DOUBLE) || ')' END`;
  });
  return `list_transform([json_extract_string(${col}, [${paths.map(lit).join(', ')}])], v -> concat_ws('; ', ${parts.join(', ')}))[1]`;
}

export async function writeLinksCsv(db: Db, runDate: string, dir: string): Promise<void> {
  await writeCsv(
    db,
    `SELECT calworks_person_id, cws_client_id,
            round(match_probability, 6) AS match_probability, round(match_weight, 3) AS match_weight,
            decision, mutual_client_id,
            round(identity_weight, 3) AS identity_weight,
            array_to_string(blocking_rules, ';') AS blocking_rules,
            ${explanationTextSql('explanation')} AS explanation
     FROM links WHERE run_date = ${dateLit(runDate)}
     ORDER BY calworks_person_id, cws_client_id`,
    join(dir, LINKS_FILE),
  );
}

const SIDE_FIELDS = ['first_name', 'middle_name', 'last_name', 'name_suffix', 'dob', 'ssn_last4', 'sex', 'street_address', 'city', 'zip', 'phone'];

export async function writeReviewQueueCsv(db: Db, runDate: string, dir: string): Promise<void> {
  const side = (system: 'calworks' | 'cws') => SIDE_FIELDS.map((f) => `${system}->>${lit(f)} AS ${ident(`${system}_${f}`)}`).join(', ');
  const fields = COMPARISONS.map(
    (c) =>
      `explanation->'fields'->${lit(c.name)}->>'label' AS ${ident(`${c.name}_level`)}, ` +
      `round((explanation->'fields'->${lit(c.name)}->>'weight')::DOUBLE, 2) AS ${ident(`${c.name}_weight`)}`,
  );
  await writeCsv(
    db,
    `SELECT pair_id, calworks_person_id, cws_client_id,
            round(match_probability, 6) AS match_probability, round(match_weight, 3) AS match_weight, reason,
            ${side('calworks')}, ${side('cws')}, ${fields.join(', ')},
            NULL::VARCHAR AS decision
     FROM review_queue WHERE run_date = ${dateLit(runDate)}
     ORDER BY match_probability DESC, calworks_person_id, cws_client_id`,
    join(dir, REVIEW_QUEUE_FILE),
  );
}
