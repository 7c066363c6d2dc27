/**
 * Small-cell suppression and the Kaplan-Meier estimate, on cases small
 * enough to check by hand: counts from 1 to 10 are withheld, a total never
 * gives a withheld cell away (one more cell goes with it), rates follow their
 * counts; a family followed briefly counts while followed, not as "no event".
 */
import { describe, expect, it } from 'vitest';
import { Figures, suppressionMarks } from '../../src/metrics/suppress.js';
import { kaplanMeier } from '../../src/metrics/survival.js';

describe('small-cell suppression', () => {
  it('withholds counts from 1 to 10, shows 0 and 11 up', () => {
    const marks = suppressionMarks(
      new Map([
        ['a', 0],
        ['b', 1],
        ['c', 10],
        ['d', 11],
        ['e', 500],
      ]),
      [],
      11,
    );
    expect([...marks.entries()]).toEqual([
      ['b', 'small'],
      ['c', 'small'],
    ]);
  });

  it('withholds the smallest other part when a total would reveal a small one', () => {
    // 40 = 3 + 12 + 25: with 40, 12 and 25 shown, the 3 is 40 - 37. So the 12 goes too.
    const values = new Map([
      ['total', 40],
      ['x', 3],
      ['y', 12],
      ['z', 25],
    ]);
    const marks = suppressionMarks(values, [{ total: 'total', parts: ['x', 'y', 'z'] }], 11);
    expect(Object.fromEntries(marks)).toEqual({ x: 'small', y: 'complementary' });
  });

  it('follows a withheld cell into every sum it belongs to (nights in weeks, weeks in the period)', () => {
    // Week 1: nights 30, 4 (small) -> week total 34; week 2: nights 20, 25 -> 45; period 79.
    const values = new Map([
      ['n1', 30],
      ['n2', 4],
      ['n3', 20],
      ['n4', 25],
      ['w1', 34],
      ['w2', 45],
      ['all', 79],
    ]);
    const groups = [
      { total: 'w1', parts: ['n1', 'n2'] },
      { total: 'w2', parts: ['n3', 'n4'] },
      { total: 'all', parts: ['w1', 'w2'] },
    ];
    const marks = suppressionMarks(values, groups, 11);
    expect(marks.get('n2')).toBe('small');
    expect(marks.get('n1')).toBe('complementary');
    // No sum is left with exactly one unknown member.
    for (const g of groups) expect([g.total, ...g.parts].filter((k) => marks.has(k)).length).not.toBe(1);
  });

  it('protects a small cell that is never published but would be the difference of two shown ones', () => {
    // at risk 30 on day 3 and 25 on day 4: 5 left in between, a count of 5 families.
    const fig = new Figures();
    fig.count('d3', 30);
    fig.count('d4', 25);
    fig.hidden('left', 5);
    fig.sum('d3', ['d4', 'left']);
    expect(fig.suppress(11)).toEqual({ small: 0, complementary: 1 });
    expect(fig.get('d4')).toMatchObject({ n: null, mark: 'complementary' });
    expect(fig.get('d3').n).toBe(30);
  });

  it('withholds a rate with its count, and a median over fewer than 11 families', () => {
    const fig = new Figures();
    fig.count('cured', 4);
    fig.count('followed', 40);
    fig.derive('rate', 0.1, ['cured', 'followed']);
    const known = fig.hidden('known', 6);
    fig.derive('median', 12, [], known.key);
    fig.suppress(11);
    expect(fig.get('cured')).toMatchObject({ n: null, mark: 'small' });
    expect(fig.get('rate')).toMatchObject({ n: null, mark: 'complementary' });
    expect(fig.get('median')).toMatchObject({ n: null, mark: 'complementary' });
    expect(fig.get('followed').n).toBe(40);
  });

  it('takes a configured threshold', () => {
    expect(
      suppressionMarks(
        new Map([
          ['a', 4],
          ['b', 5],
        ]),
        [],
        5,
      ).get('a'),
    ).toBe('small');
    expect(
      suppressionMarks(
        new Map([
          ['a', 4],
          ['b', 5],
        ]),
        [],
        5,
      ).has('b'),
    ).toBe(false);
  });
});

describe('Kaplan-Meier after identification', () => {
  it('matches the estimate worked by hand, with censored families', () => {
    // A: event day 2; B: followed 3 days, no event (censored); C: event day 5; D: followed 10, no event;
    // E: event day 5 (followed 6).
    // Day 2: 5 followed, 1 event -> S = 4/5. Day 5: C, D, E followed (A had its event, B left on day 3),
    // 2 events -> S = 4/5 * 1/3 = 0.2667: 73% by day 5, where a plain share would say 3 of 5 = 60%.
    const points = kaplanMeier([
      { eventDay: 2, followed: 10 },
      { eventDay: null, followed: 3 },
      { eventDay: 5, followed: 10 },
      { eventDay: null, followed: 10 },
      { eventDay: 5, followed: 6 },
    ]);
    expect(points.map((p) => [p.day, p.atRisk, p.eventsBy, p.cumulativeIncidence])).toEqual([
      [0, 5, 0, 0],
      [1, 5, 0, 0],
      [2, 5, 1, 0.2],
      [3, 4, 1, 0.2],
      [4, 3, 1, 0.2],
      [5, 3, 3, 0.7333],
      [6, 1, 3, 0.7333],
      [7, 1, 3, 0.7333],
    ]);
  });

  it('ignores an event after the last night looked at, and stops at the longest follow-up', () => {
    const points = kaplanMeier([
      { eventDay: 9, followed: 3 },
      { eventDay: null, followed: 3 },
    ]);
    expect(points.map((p) => p.day)).toEqual([0, 1, 2, 3]);
    expect(points.every((p) => p.eventsBy === 0 && p.cumulativeIncidence === 0)).toBe(true);
  });
});
