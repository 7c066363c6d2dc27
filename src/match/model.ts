/**
 * The fitted Fellegi-Sunter model of a night: m and u per comparison level,
 * their log2 ratios (the weights), the prior match rate lambda, and the
 * term-frequency bounds. Pure; the SQL it emits is literal numbers, so a
 * night's scores can be reproduced from its stored parameters (model_params).
 *
 * match_weight = prior_weight + sum of field weights, in bits (log2 odds);
 * match_probability = 1 / (1 + 2^-match_weight).
 */
import { COMPARISONS, gammaColumn } from './comparisons.js';
import { tfColumn } from './gammas.js';
import { logit2 } from './em.js';

export interface FittedModel {
  m: number[][];
  u: number[][];
  lambda: number;
  /** Largest raise / cut of a term-frequency level's weight relative to its average weight, in bits. */
  tfMaxUp: number;
  tfMaxDown: number;
}

export function priorM(): number[][] {
  return COMPARISONS.map((c) => {
    const s = c.levels.reduce((a, l) => a + l.m, 0);
    return c.levels.map((l) => l.m / s);
  });
}

/**
 * Constraints on a fitted model's m (u stays as measured):
 * - a level whose evidence another comparison counts weighs nothing (m = u);
 * - a comparison's last level ("different") never counts for a pair: where
 *   the night holds too few pairs to learn it (a suffix is JR almost always,
 *   so two people with different suffixes are almost never seen), m from the
 *   prior could exceed u and make a disagreement look like evidence.
 */
export function constrainM(m: number[][], u: number[][]): number[][] {
  return COMPARISONS.map((c, k) =>
    c.levels.map((lv, g) => {
      const mk = m[k]![g]!;
      const uk = u[k]![g]!;
      if (lv.countedBy) return uk;
      if (g === c.levels.length - 1) return Math.min(mk, uk);
      return mk;
    }),
  );
}

/** Patterns for EM: levels another comparison counts are no evidence (as if missing). */
export function withoutCountedElsewhere(gammas: number[]): number[] {
  return gammas.map((g, k) => (g >= 0 && COMPARISONS[k]!.levels[g]?.countedBy ? -1 : g));
}

export const levelWeight = (model: FittedModel, k: number, g: number): number => Math.log2(model.m[k]![g]! / model.u[k]![g]!);

export const priorWeight = (model: FittedModel): number => logit2(model.lambda);

export const weightColumn = (name: string) => `w_${name}`;

const num = (x: number) => {
  if (!Number.isFinite(x)) throw new Error(`non-finite model weight ${x}`);
  return x.toPrecision(12);
};

/** SQL giving the weight of comparison k for a row with g_<name> (and tf_<name>). */
export function weightSql(model: FittedModel, k: number): string {
  const c = COMPARISONS[k]!;
  const g = gammaColumn(c);
  const whens = c.levels.map((lv, i) => {
    const w = levelWeight(model, k, i);
    if (!lv.tf) return `WHEN ${i} THEN ${num(w)}`;
    // A shared common value (GARCIA) is weaker evidence than a shared rare one: use its frequency as u.
    const m = model.m[k]![i]!;
    const tf = `greatest(${tfColumn(c.name)}, 1e-9)`;
    return `WHEN ${i} THEN coalesce(greatest(least(log2(${num(m)} / ${tf}), ${num(w + model.tfMaxUp)}), ${num(w - model.tfMaxDown)}), ${num(w)})`;
  });
  return `(CASE ${g} ${whens.join(' ')} ELSE 0 END)::DOUBLE`;
}

/** Field weights, total match weight, and identity weight for rows of a gamma table. */
export function scoreSelectList(model: FittedModel): string {
  const w = COMPARISONS.map((c, k) => `${weightSql(model, k)} AS ${weightColumn(c.name)}`);
  return w.join(',\n      ');
}

export function matchWeightSql(model: FittedModel): string {
  return `(${num(priorWeight(model))} + ${COMPARISONS.map((c) => weightColumn(c.name)).join(' + ')})`;
}

const sumOf = (pick: (c: (typeof COMPARISONS)[number]) => boolean) =>
  `(${
    COMPARISONS.filter(pick)
      .map((c) => weightColumn(c.name))
      .join(' + ') || '0'
  })`;

/** Weight of the fields that describe the person (given name, DOB, SSN, sex...). */
export const identityWeightSql = () => sumOf((c) => c.identity);
