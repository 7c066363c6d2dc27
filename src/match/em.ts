/**
 * Expectation-maximisation of the m-probabilities on comparison patterns.
 *
 * The night's candidate pairs are aggregated in SQL to distinct comparison
 * vectors with counts (a few thousand patterns for millions of pairs), so EM
 * here is fast and pure. u-probabilities are fixed (measured on random
 * pairs); m and the prior match rate lambda are estimated.
 *
 * lambda is the population rate: expected true pairs / all CalWORKs-parent x
 * child-welfare-parent pairs. With population u and population lambda the
 * posterior of a candidate pair is the same as if every pair had been
 * compared (blocking only depends on the compared values), so the candidate
 * pairs' non-matches are explained by u without biasing m.
 *
 * The M-step is a MAP estimate with a weak Dirichlet prior (`priorStrength`
 * pseudo-pairs spread as the prior m): a small night cannot run away from
 * sensible values, a large night is governed by its data.
 */

export interface Pattern {
  /** Level per comparison; -1 = missing (no evidence either way). */
  gammas: number[];
  count: number;
}

export interface EmInput {
  patterns: Pattern[];
  /** u[k][level]: fixed, or recomputed each iteration by `updateU` from the expected matches per level. */
  u: number[][];
  updateU?: (expectedMatches: number[][]) => number[][];
  /** Starting m and the prior's shape, m0[k][level] (each row sums to 1). */
  m0: number[][];
  /** Pseudo-pairs of the prior per comparison. */
  priorStrength: number;
  /** All possible pairs (n CalWORKs parents x n child-welfare parents). */
  totalPairs: number;
  lambda0: number;
  maxIterations: number;
  /** Stop when no m or lambda moves by more than this (relative for lambda). */
  tolerance?: number;
  /**
   * Comparisons that only corroborate: left out of the E-step (the posterior
   * that a pattern is a match), their m still learned in the M-step from the
   * posteriors the other comparisons give.
   */
  corroborating?: boolean[];
  /**
   * Pairs known to be true before EM starts (those agreeing on a valid SSN): lambda never falls
   * below them. In a county of one name and a handful of birth dates, EM can otherwise explain
   * every pattern as chance and drive lambda to nothing, and not even an exact SSN would link.
   */
  minExpectedMatches?: number;
  /** m rows known beforehand (anchoredM): kept as they are, not re-estimated. */
  fixedM?: (number[] | null)[];
}

export interface EmResult {
  m: number[][];
  u: number[][];
  lambda: number;
  iterations: number;
  converged: boolean;
  /** Expected number of true pairs among the patterns. */
  expectedMatches: number;
}

/** log2 Bayes factor of a pattern, without the prior (comparisons flagged in `skip` left out). */
export function patternWeight(gammas: number[], m: number[][], u: number[][], skip?: boolean[]): number {
  let w = 0;
  for (let k = 0; k < gammas.length; k++) {
    const g = gammas[k]!;
    if (g < 0 || skip?.[k]) continue;
    w += Math.log2(m[k]![g]! / u[k]![g]!);
  }
  return w;
}

export const logit2 = (p: number) => Math.log2(p / (1 - p));
export const fromLogit2 = (w: number) => 1 / (1 + 2 ** -w);

export function runEm(input: EmInput): EmResult {
  const { patterns, m0, priorStrength, totalPairs, maxIterations } = input;
  let u = input.u;
  const tol = input.tolerance ?? 1e-5;
  const K = u.length;
  const fixed = input.fixedM ?? [];
  let m = m0.map((row, k) => normalise([...(fixed[k] ?? row)]));
  let lambda = Math.min(Math.max(input.lambda0, 1e-12), 0.5);
  let iterations = 0;
  let converged = false;
  let expectedMatches = 0;

  for (iterations = 1; iterations <= maxIterations; iterations++) {
    const counts = u.map((row) => row.map(() => 0));
    const prior = logit2(lambda);
    expectedMatches = 0;
    for (const p of patterns) {
      const post = fromLogit2(prior + patternWeight(p.gammas, m, u, input.corroborating));
      const e = post * p.count;
      expectedMatches += e;
      for (let k = 0; k < K; k++) {
        const g = p.gammas[k]!;
        if (g >= 0) counts[k]![g]! += e;
      }
    }
    const next = counts.map((row, k) => {
      if (fixed[k]) return fixed[k]!;
      const total = row.reduce((a, b) => a + b, 0);
      return row.map((c, g) => (c + priorStrength * m0[k]![g]!) / (total + priorStrength));
    });
    const nextLambda = Math.min(Math.max(Math.max(expectedMatches, input.minExpectedMatches ?? 0) / totalPairs, 1e-12), 0.5);
    let delta = Math.abs(nextLambda - lambda) / lambda;
    for (let k = 0; k < K; k++) for (let g = 0; g < next[k]!.length; g++) delta = Math.max(delta, Math.abs(next[k]![g]! - m[k]![g]!));
    if (input.updateU) {
      const nextU = input.updateU(counts);
      for (let k = 0; k < K; k++) for (let g = 0; g < nextU[k]!.length; g++) delta = Math.max(delta, Math.abs(Math.log2(nextU[k]![g]! / u[k]![g]!)) / 100);
      u = nextU;
    }
    m = next.map(normalise);
    lambda = nextLambda;
    if (delta < tol) {
      converged = true;
      break;
    }
  }
  return { m, u, lambda, iterations: Math.min(iterations, maxIterations), converged, expectedMatches };
}

function normalise(row: number[]): number[] {
  const s = row.reduce((a, b) => a + b, 0);
  return s > 0 ? row.map((x) => x / s) : row.map(() => 1 / row.length);
}

/**
 * m from anchor pairs: the candidate pairs that agree exactly on a rare
 * identifier (a valid SSN) are the same person almost without exception, at
 * any county size, so how often they agree on each other field is that
 * field's m, counted rather than inferred. EM then only has to estimate what
 * the anchor cannot show (the anchor's own m, lambda, corroborating fields).
 * Left to EM, a small county's common names (same name, another birth date)
 * and a large county's households each pull "match" towards what they share.
 *
 * Returns a row per comparison (null: not anchored: the anchor itself, the
 * corroborating ones, or all when fewer than `minPairs` anchor pairs exist).
 * The prior's pseudo-pairs smooth levels the anchor pairs never show.
 */
export function anchoredM(
  patterns: Pattern[],
  anchor: { comparison: number; level: number },
  m0: number[][],
  priorStrength: number,
  minPairs: number,
  corroborating: boolean[] = [],
): (number[] | null)[] {
  const counts = m0.map((row) => row.map(() => 0));
  let pairs = 0;
  for (const p of patterns) {
    if (p.gammas[anchor.comparison] !== anchor.level) continue;
    pairs += p.count;
    p.gammas.forEach((g, k) => {
      if (g >= 0) counts[k]![g]! += p.count;
    });
  }
  if (pairs < minPairs) return m0.map(() => null);
  return counts.map((row, k) => {
    if (k === anchor.comparison || corroborating[k]) return null;
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((c, g) => (c + priorStrength * m0[k]![g]!) / (total + priorStrength));
  });
}
