/**
 * Writing the night's matching marts: links, review_queue, model_params.
 * Every row carries its explanation (level, label and weight per field), so
 * a link can be explained field by field long after the night.
 */
import type { Db } from '../db/database.js';
import { dateLit, lit } from '../db/sql.js';
import { COMPARISONS, gammaColumn } from './comparisons.js';
import type { EmResult } from './em.js';
import { levelWeight, priorWeight, weightColumn, type FittedModel } from './model.js';

/** The label of comparison k's level for a row aliased `alias`. */
export function labelSql(k: number, alias: string): string {
  const c = COMPARISONS[k]!;
  const whens = c.levels.map((lv, i) => `WHEN ${i} THEN ${lit(lv.label)}`).join(' ');
  return `CASE ${alias}.${gammaColumn(c)} WHEN -1 THEN 'missing' ${whens} END`;
}

/**
 * JSON explanation of a tmp_scored row (alias s). One to_json of a struct: nested json_object calls
 * would serialize each field's object and parse it again in the next (the same text, a third slower).
 */
export function explanationSql(model: FittedModel): string {
  const fields = COMPARISONS.map(
    (c, k) => `${lit(c.name)}: {'level': s.${gammaColumn(c)}, 'label': ${labelSql(k, 's')}, 'weight': round(s.${weightColumn(c.name)}, 3)}`,
  );
  return `to_json({'prior_weight': ${priorWeight(model).toFixed(3)}, 'fields': {${fields.join(', ')}}})`;
}

/** Values a reviewer needs to judge a pair, as recorded; SSN as its last four digits only. */
const displaySql = (p: string) => `json_object(
  'first_name', ${p}.first_name_display, 'middle_name', ${p}.middle_name_display, 'last_name', ${p}.last_name_display,
  'name_suffix', ${p}.name_suffix_display, 'dob', strftime(${p}.dob_display, '%Y-%m-%d'),
  'ssn_last4', CASE WHEN regexp_full_match(${p}.ssn_display, '[0-9]{9}') THEN right(${p}.ssn_display, 4) END,
  'street_address', ${p}.street_address_display, 'city', ${p}.city_display, 'zip', ${p}.zip_display,
  'phone', ${p}.phone_display, 'sex', ${p}.sex)`;

export const pairIdSql = (l: string, r: string) => `'RQ-' || upper(substr(md5(${l} || chr(31) || ${r}), 1, 12))`;

/**
 * tmp_explained: the explanation of each pair the night links or sends to review. Built with the
 * scores, before the night's transaction (nothing persistent is read or written): the JSON is the
 * costly part of the marts, and inside the transaction DuckDB would build it reading tmp_links on
 * one thread.
 */
export async function explainNight(db: Db, model: FittedModel): Promise<void> {
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_explained AS
    SELECT s.pid_l, s.pid_r, ${explanationSql(model)} AS explanation
    FROM tmp_scored s
    SEMI JOIN (SELECT pid_l, pid_r FROM tmp_links UNION ALL SELECT pid_l, pid_r FROM tmp_review) k ON k.pid_l = s.pid_l AND k.pid_r = s.pid_r`);
}

/** The night's links and review queue, with their explanations (tmp_explained, see explainNight). */
export async function persistNight(db: Db, runDate: string): Promise<void> {
  const d = dateLit(runDate);
  await db.exec(`
    DELETE FROM links WHERE run_date = ${d};
    INSERT INTO links BY NAME
    SELECT ${d} AS run_date, k.calworks_person_id, k.cws_client_id, k.match_probability, k.match_weight, k.decision,
           k.mutual_client_id, k.identity_weight, k.blocking_rules, e.explanation
    FROM tmp_links k JOIN tmp_explained e ON e.pid_l = k.pid_l AND e.pid_r = k.pid_r
    ORDER BY k.calworks_person_id, k.cws_client_id;

    DELETE FROM review_queue WHERE run_date = ${d};
    INSERT INTO review_queue BY NAME
    SELECT ${d} AS run_date, ${pairIdSql('q.calworks_person_id', 'q.cws_client_id')} AS pair_id, q.calworks_person_id, q.cws_client_id,
           q.match_probability, q.match_weight, q.identity_weight, q.reason,
           ${displaySql('l')} AS calworks, ${displaySql('r')} AS cws, e.explanation
    FROM tmp_review q
    JOIN tmp_explained e ON e.pid_l = q.pid_l AND e.pid_r = q.pid_r
    JOIN int_persons l ON l.pid = q.pid_l
    JOIN int_persons r ON r.pid = q.pid_r
    ORDER BY q.match_probability DESC, q.calworks_person_id, q.cws_client_id;`);
}

export interface ModelRunInfo {
  em: EmResult;
  linkThreshold: number;
  reviewThreshold: number;
  minIdentityWeight: number;
  minIdentityWeightFamily: number;
  holdDifferentFamilies: boolean;
  candidatePairs: number;
  uSamplePairs: number;
}

export async function persistModelParams(db: Db, runDate: string, model: FittedModel, info: ModelRunInfo): Promise<void> {
  const d = dateLit(runDate);
  const rows: string[] = [];
  COMPARISONS.forEach((c, k) => {
    c.levels.forEach((lv, g) => {
      rows.push(
        `(${d}, ${lit(c.name)}, ${g}, ${lit(lv.label)}, ${model.m[k]![g]}, ${model.u[k]![g]}, ${levelWeight(model, k, g)}, ` +
          `${lit(!!lv.tf)}, ${lit(c.identity)}, ${model.lambda}, ${priorWeight(model)}, ${info.linkThreshold}, ${info.reviewThreshold}, ` +
          `${info.minIdentityWeight}, ${info.minIdentityWeightFamily}, ${lit(info.holdDifferentFamilies)}, ${model.tfMaxUp}, ${model.tfMaxDown}, ${info.em.iterations}, ${lit(info.em.converged)}, ` +
          `${info.candidatePairs}, ${info.uSamplePairs})`,
      );
    });
  });
  await db.exec(`DELETE FROM model_params WHERE run_date = ${d}; INSERT INTO model_params (run_date, comparison, level, label, m, u, weight, tf_adjusted, identity_field, "lambda", prior_weight,
    link_threshold, review_threshold, min_identity_weight, min_identity_weight_family, hold_different_families, tf_max_up, tf_max_down,
    em_iterations, em_converged, candidate_pairs, u_sample_pairs) VALUES ${rows.join(',\n')}`);
}
