/**
 * Comparison vectors: for a set of pairs (pid_l, pid_r), the level of every
 * comparison (g_<name>, -1 missing) and, for term-frequency levels, how
 * common the shared value is (tf_<name>). Vectorized SQL; the same for the
 * candidate pairs and the random pairs that measure u.
 *
 * Two layers: the inner one joins both persons and the household pairs and
 * computes the pair features (comparisons.ts FEATURES) once; the outer one
 * evaluates the level conditions, lazily, over those columns. The conditions
 * are written with `l.`, `r.` and `hh.` references, which become the inner
 * layer's `l__x`, `r__x`, `hh__x` columns.
 */
import type { Db } from '../db/database.js';
import { COMPARISONS, FEATURES, gammaColumn, levelSql } from './comparisons.js';

export const tfColumn = (name: string) => `tf_${name}`;

/** Comparisons with a term-frequency level, and that level's column. */
export function tfComparisons(): { name: string; level: number; column: string }[] {
  const out: { name: string; level: number; column: string }[] = [];
  for (const c of COMPARISONS) {
    c.levels.forEach((lv, i) => {
      if (lv.tf) out.push({ name: c.name, level: i, column: lv.tf.column });
    });
  }
  return out;
}

const REF = /\b(l|r|hh)\.([a-z_][a-z0-9_]*)/g;

/** `l.first1` -> `l__first1`, so outer conditions read the inner layer's columns. */
const toInner = (sql: string) => sql.replace(REF, (_, a: string, c: string) => `${a}__${c}`);

function referencedColumns(): string[] {
  const texts = [
    ...Object.values(FEATURES),
    ...COMPARISONS.flatMap((c) => [c.missing, ...c.levels.map((l) => l.when)]),
    ...tfComparisons().flatMap((t) => [`l.${t.column}`, `r.${t.column}`, `l.tf_${t.column}`]),
  ].join('\n');
  const refs = new Set<string>();
  for (const m of texts.matchAll(REF)) refs.add(`${m[1]}.${m[2]}`);
  return [...refs].sort();
}

/** SELECT of pairs with their comparison vector; `pairs` yields pid_l, pid_r and any pass-through columns. */
export function gammaSelect(pairs: string): string {
  const cols = referencedColumns().map((ref) => `${ref} AS ${ref.replace('.', '__')}`);
  const features = Object.entries(FEATURES).map(([name, sql]) => `${sql.replace(/\s+/g, ' ')} AS ${name}`);
  const levels = COMPARISONS.map((c) => `${toInner(levelSql(c))} AS ${gammaColumn(c)}`);
  const tfs = tfComparisons().map((t) => `CASE WHEN l__${t.column} = r__${t.column} THEN l__tf_${t.column} END AS ${tfColumn(t.name)}`);
  const passThrough = `x.* EXCLUDE (${[...cols, ...features].map((c) => c.split(' AS ').pop()).join(', ')})`;
  return `
    SELECT ${passThrough}, ${[...levels, ...tfs].join(',\n      ')}
    FROM (
      SELECT pr.*, ${[...cols, ...features].join(',\n        ')}
      FROM (${pairs}) pr
      JOIN tmp_match_persons l ON l.pid = pr.pid_l
      JOIN tmp_match_persons r ON r.pid = pr.pid_r
      LEFT JOIN int_household_pairs hh ON hh.pid_l = pr.pid_l AND hh.pid_r = pr.pid_r
    ) x`;
}

export async function buildCandidateGammas(db: Db): Promise<void> {
  await db.exec(`CREATE OR REPLACE TEMP TABLE tmp_pair_gammas AS ${gammaSelect('SELECT pid_l, pid_r, rules FROM tmp_candidates')}`);
}

/** Distinct comparison vectors of the candidate pairs with their counts, for EM. */
export async function candidatePatterns(db: Db): Promise<{ gammas: number[]; count: number }[]> {
  const cols = COMPARISONS.map(gammaColumn);
  const rows = await db.all<Record<string, number | string>>(`SELECT ${cols.join(', ')}, count(*)::BIGINT AS n FROM tmp_pair_gammas GROUP BY ALL ORDER BY ALL`);
  return rows.map((r) => ({ gammas: cols.map((c) => Number(r[c])), count: Number(r.n) }));
}
