/**
 * EM on comparison patterns recovers known m-probabilities and the match
 * rate, with u fixed, including when some values are missing.
 */
import { describe, expect, it } from 'vitest';
import { anchoredM, fromLogit2, logit2, patternWeight, runEm, type Pattern } from '../../src/match/em.js';

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

describe('EM robust to households and to size', () => {
  // comparisons: 0 = given name, 1 = birth date (agree / differ), 2 = household (shared child / none)
  const u = [
    [0.01, 0.99],
    [0.001, 0.999],
    [0.00001, 0.99999],
  ];
  const m0 = [
    [0.9, 0.1],
    [0.9, 0.1],
    [0.5, 0.5],
  ];
  const total = 10_000_000;
  // 1,000 true pairs (names and birth dates agree 90%, 60% share a child) and 5,000 co-parents (names and
  // birth dates differ, all share a child): more households than persons, as in a large county
  const counts = new Map<string, number>();
  const add = (g: number[], n: number) => counts.set(g.join(','), (counts.get(g.join(',')) ?? 0) + n);
  for (const f of [0, 1])
    for (const d of [0, 1])
      for (const h of [0, 1]) {
        add([f, d, h], 1_000 * (f ? 0.1 : 0.9) * (d ? 0.1 : 0.9) * (h ? 0.4 : 0.6));
        add([f, d, h], (total - 6_000) * u[0]![f]! * u[1]![d]! * u[2]![h]!);
      }
  add([1, 1, 0], 5_000);
  const patterns = [...counts].map(([k, count]) => ({ gammas: k.split(',').map(Number), count }));
  const fit = (corroborating?: boolean[]) =>
    runEm({ patterns, u, m0, priorStrength: 0, totalPairs: total, lambda0: 1e-4, maxIterations: 5000, tolerance: 1e-9, corroborating });

  it('with the household as evidence, EM calls the co-parents matches', () => {
    expect(fit().m[1]![1]).toBeGreaterThan(0.5);
  });

  it("with the household only corroborating, the birth date's m stays the persons' and the household's m is learned", () => {
    const r = fit([false, false, true]);
    expect(r.m[1]![1]).toBeLessThan(0.15);
    expect(r.m[2]![0]).toBeGreaterThan(0.4);
    expect(r.expectedMatches).toBeLessThan(1_500);
  });
});

describe('m anchored on pairs that agree on SSN', () => {
  const m0 = [
    [0.9, 0.1],
    [0.9, 0.1],
    [0.5, 0.5],
  ];
  // comparison 0 = SSN (exact / different), 1 = birth date (exact / different), 2 = household (corroborating)
  const patterns = [
    { gammas: [0, 0, 0], count: 950 },
    { gammas: [0, 1, 0], count: 50 },
    { gammas: [-1, 1, 0], count: 100_000 },
  ];

  it("counts the other fields' m on the anchor pairs, leaves the anchor and corroborating fields to EM", () => {
    const fixed = anchoredM(patterns, { comparison: 0, level: 0 }, m0, 0, 200, [false, false, true]);
    expect(fixed[0]).toBeNull();
    expect(fixed[2]).toBeNull();
    expect(fixed[1]![0]).toBeCloseTo(0.95, 6);
    expect(fixed[1]![1]).toBeCloseTo(0.05, 6);
  });

  it('anchors nothing when too few pairs agree on SSN', () => {
    expect(anchoredM(patterns, { comparison: 0, level: 0 }, m0, 0, 5_000).every((r) => r === null)).toBe(true);
  });

  it('EM keeps anchored rows as they are', () => {
    const fixedM = anchoredM(patterns, { comparison: 0, level: 0 }, m0, 0, 200, [false, false, true]);
    const u = [
      [0.0001, 0.9999],
      [0.001, 0.999],
      [0.001, 0.999],
    ];
    const r = runEm({ patterns, u, m0, priorStrength: 0, totalPairs: 1e8, lambda0: 1e-5, maxIterations: 200, fixedM, corroborating: [false, false, true] });
    expect(r.m[1]).toEqual(fixedM[1]);
  });
});
