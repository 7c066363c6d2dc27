/**
 * u-probabilities: how often two persons who are NOT the same agree at each
 * comparison level. Measured on random CalWORKs-parent x child-welfare-parent
 * pairs (deterministic: pair i takes hash(i) positions), which are non-matches
 * but for a negligible fraction.
 *
 * Levels that are plain equality of a column (`exactOn`: DOB, SSN, surname...)
 * are computed exactly from value frequencies, sum over values of
 * n_left(v) * n_right(v) / (N_left * N_right): a random sample holds too few
 * agreements on a rare value to count them. The other levels share the rest
 * in the sample's proportions. No level's u is below one sampled pair.
 */
import type { Db } from '../db/database.js';
import { lit } from '../db/sql.js';
import { COMPARISONS, gammaColumn } from './comparisons.js';
import { gammaSelect } from './gammas.js';

/** What the night measured for u: sampled level counts and exact agreement counts. */
export interface UMeasure {
  /** Sampled random pairs per level, per comparison. */
  sample: number[][];
  /** For equality levels: pairs of all persons that agree on the value, and all non-missing pairs. */
  exact: ({ agree: number; pairs: number } | null)[][];
  samplePairs: number;
}

async function exactCounts(db: Db, column: string, filter: string | undefined): Promise<{ agree: number; pairs: number }> {
  const side = (system: string) =>
    `SELECT ${column} AS v, count(*)::DOUBLE AS n FROM tmp_match_persons p WHERE p.system = ${lit(system)} AND p.${column} IS NOT NULL${filter ? ` AND ${filter}` : ''} GROUP BY ALL`;
  const total = (system: string) => `SELECT count(*)::DOUBLE FROM tmp_match_persons p WHERE p.system = ${lit(system)} AND p.${column} IS NOT NULL`;
  const row = await db.one<{ agree: number | null; nl: number; nr: number }>(`
    SELECT (SELECT sum(a.n * b.n) FROM (${side('CALWORKS')}) a JOIN (${side('CWS')}) b ON a.v = b.v) AS agree,
           (${total('CALWORKS')}) AS nl, (${total('CWS')}) AS nr`);
  return { agree: Number(row?.agree ?? 0), pairs: Number(row?.nl ?? 0) * Number(row?.nr ?? 0) };
}

export async function measureU(db: Db, samplePairs: number): Promise<UMeasure> {
  const nl = await db.count(`SELECT count(*) FROM tmp_match_persons WHERE system = 'CALWORKS'`);
  const nr = await db.count(`SELECT count(*) FROM tmp_match_persons WHERE system = 'CWS'`);
  const n = Math.max(0, Math.min(samplePairs, nl * nr));
  const cols = COMPARISONS.map(gammaColumn);
  let hist: Record<string, unknown> = {};
  if (n > 0) {
    await db.exec(`
      CREATE OR REPLACE TEMP TABLE tmp_side_index AS
      SELECT pid, system, (row_number() OVER (PARTITION BY system ORDER BY pid) - 1)::BIGINT AS i
      FROM tmp_match_persons`);
    const pairs = `
      SELECT a.pid AS pid_l, b.pid AS pid_r
      FROM (SELECT range AS s, hash(range, 'left') % ${nl} AS il, hash(range, 'right') % ${nr} AS ir FROM range(${n})) x
      JOIN tmp_side_index a ON a.system = 'CALWORKS' AND a.i = x.il
      JOIN tmp_side_index b ON b.system = 'CWS' AND b.i = x.ir`;
    hist = (await db.one(`SELECT ${cols.map((c) => `histogram(${c}) AS ${c}`).join(', ')} FROM (${gammaSelect(pairs)})`)) ?? {};
    await db.exec(`DROP TABLE tmp_side_index`);
  }
  const sample = COMPARISONS.map((c, k) => {
    const h = (hist[cols[k]!] ?? []) as { key: number; value: number | string }[];
    return c.levels.map((_, g) => Number(h.find((e) => Number(e.key) === g)?.value ?? 0));
  });
  const exact: UMeasure['exact'] = [];
  for (const c of COMPARISONS) {
    const row: UMeasure['exact'][number] = [];
    for (const lv of c.levels) row.push(lv.exactOn ? await exactCounts(db, lv.exactOn.column, lv.exactOn.filter) : null);
    exact.push(row);
  }
  return { sample, exact, samplePairs: n };
}

/**
 * u per level from the measure. `expectedMatches[k][g]` (from EM) removes the
 * true pairs from the exact agreement counts: among all pairs agreeing on a
 * rare identifier most are the same person, and u is about the others.
 * A comparison never observed gets u = m0 (weight 0).
 */
export function composeU(measure: UMeasure, m0: number[][], expectedMatches?: number[][]): number[][] {
  return COMPARISONS.map((c, k) => {
    const sample = measure.sample[k]!;
    const exact = measure.exact[k]!;
    const nonMissing = sample.reduce((a, b) => a + b, 0);
    const floor = 1 / Math.max(nonMissing, measure.samplePairs, 1);
    const exactU = exact.map((e, g) => {
      if (!e || e.pairs <= 0) return null;
      const matched = expectedMatches?.[k]?.[g] ?? 0;
      const matchedAll = expectedMatches?.[k]?.reduce((a, b) => a + b, 0) ?? 0;
      return Math.max((e.agree - matched) / Math.max(e.pairs - matchedAll, 1), floor);
    });
    const observed = nonMissing > 0 || exact.some((e) => e && e.agree > 0);
    if (!observed) return [...m0[k]!];
    const exactTotal = exactU.reduce<number>((a, b) => a + (b ?? 0), 0);
    const otherSample = sample.reduce((a, s, g) => a + (exactU[g] === null ? s : 0), 0);
    const others = c.levels.filter((_, g) => exactU[g] === null).length;
    const row = c.levels.map((_, g) => {
      const e = exactU[g];
      if (e !== null && e !== undefined) return e;
      const share = otherSample > 0 ? sample[g]! / otherSample : 1 / Math.max(others, 1);
      return Math.max(share * Math.max(1 - exactTotal, 0), floor);
    });
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((x) => x / sum);
  });
}
