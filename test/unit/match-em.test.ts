/**
 * EM on comparison patterns recovers known m-probabilities and the match
 * rate, with u fixed, including when some values are missing.
 */
import { describe, expect, it } from 'vitest';
import { fromLogit2, logit2, patternWeight, runEm, type Pattern } from '../../src/match/em.js';

const M_TRUE = [
  [0.9, 0.07, 0.03],
  [0.95, 0.05],
  [0.8, 0.15, 0.05],
];
const U = [
  [0.01, 0.04, 0.95],
  [0.3, 0.7],
  [0.001, 0.02, 0.979],
];

/** Exact expected counts of every pattern among `total` pairs of which `matches` are true. */
function population(total: number, matches: number, missingShare = 0): Pattern[] {
  const patterns: Pattern[] = [];
  const rec = (k: number, gammas: number[], pm: number, pu: number) => {
    if (k === M_TRUE.length) {
      patterns.push({ gammas, count: matches * pm + (total - matches) * pu });
      return;
    }
    // a share of each comparison is missing on one side: no evidence either way
    if (missingShare > 0) rec(k + 1, [...gammas, -1], pm * missingShare, pu * missingShare);
    M_TRUE[k]!.forEach((m, g) => rec(k + 1, [...gammas, g], pm * m * (1 - missingShare), pu * U[k]![g]! * (1 - missingShare)));
  };
  rec(0, [], 1, 1);
  return patterns;
}

const flatStart = M_TRUE.map((row) => row.map(() => 1 / row.length));

/** EM from a flat start with no prior, to convergence. */
const fitUnpriored = (patterns: Pattern[], total: number) =>
  runEm({ patterns, u: U, m0: flatStart, priorStrength: 0, totalPairs: total, lambda0: 1e-4, maxIterations: 5000, tolerance: 1e-7 });

describe('EM', () => {
  it('recovers m and lambda from the pattern counts', () => {
    const total = 1_000_000;
    const r = fitUnpriored(population(total, 2_000), total);
    expect(r.converged).toBe(true);
    r.m.forEach((row, k) => row.forEach((m, g) => expect(m).toBeCloseTo(M_TRUE[k]![g]!, 3)));
    expect(r.lambda).toBeCloseTo(2_000 / total, 6);
    expect(r.expectedMatches).toBeCloseTo(2_000, -1);
  });

  it('treats a missing value as no evidence', () => {
    const total = 1_000_000;
    const r = fitUnpriored(population(total, 2_000, 0.3), total);
    r.m.forEach((row, k) => row.forEach((m, g) => expect(m).toBeCloseTo(M_TRUE[k]![g]!, 3)));
    expect(patternWeight([-1, -1, -1], r.m, U)).toBe(0);
  });

  it('keeps a small night near the prior', () => {
    const prior = M_TRUE.map((row) => [...row]);
    const r = runEm({
      patterns: [{ gammas: [2, 1, 2], count: 3 }],
      u: U,
      m0: prior,
      priorStrength: 50,
      totalPairs: 100,
      lambda0: 0.01,
      maxIterations: 50,
    });
    r.m.forEach((row, k) => row.forEach((m, g) => expect(Math.abs(m - prior[k]![g]!)).toBeLessThan(0.05)));
  });

  it('converts between probability and log2 odds', () => {
    expect(fromLogit2(logit2(0.95))).toBeCloseTo(0.95, 12);
    expect(fromLogit2(0)).toBe(0.5);
  });
});
