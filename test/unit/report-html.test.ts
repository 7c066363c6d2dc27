/**
 * The report page's building blocks: axis scales in whole counts, text from
 * the data always escaped, time bins, and a page that carries no script and
 * no address to fetch, whatever the data says.
 */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/metrics/report/html.js';
import { binDays, type ReportData } from '../../src/metrics/report/reportData.js';
import { barChart, lineChart, niceScale } from '../../src/metrics/report/svg.js';

const EVIL = '<script>alert(1)</script>"><img src=http://x/y.png>';

function data(overrides: Partial<ReportData> = {}): ReportData {
  return {
    span: { nights: 2, first: '2026-11-20', last: '2026-11-21', baseline: '2026-11-20' },
    runIds: ['r1', 'r2'],
    tiers: [
      { night: '2026-11-20', MUTUAL: 40, EARLY_INTERVENTION: 300, PREVENTION: 900 },
      { night: '2026-11-21', MUTUAL: 45, EARLY_INTERVENTION: 301, PREVENTION: 890 },
    ],
    baselineNewMutualClients: 40,
    weeks: [{ week: '2026-11-16', newMutualClients: 5, nights: 1 }],
    caseOpening: { cohort: 'new', bins: binDays([0, 3, 40, null]), median: 3, known: 3 },
    review: [{ night: '2026-11-20', queue: 7, match: 0, noMatch: 0 }],
    probabilityNight: '2026-11-21',
    probabilities: [{ label: '95-100%', auto: 400, confirmed: 2, review: 3 }],
    outcomes: [],
    ...overrides,
  };
}

describe('report building blocks', () => {
  it('scales axes to round numbers, in whole steps for counts', () => {
    expect(niceScale(12)).toEqual({ top: 15, step: 5 });
    expect(niceScale(9)).toEqual({ top: 10, step: 2 });
    expect(niceScale(518)).toEqual({ top: 600, step: 200 });
    expect(niceScale(3).step).toBe(1);
    expect(niceScale(0)).toEqual({ top: 1, step: 0.2 });
  });

  it('bins days from case opening for a manager, unknown apart', () => {
    expect(binDays([0, 7, 8, 30, 31, 200, 400, -2, null]).map((b) => `${b.label}:${b.count}`)).toEqual([
      '0-7 days:3',
      '8-30 days:2',
      '1-3 months:1',
      '3-6 months:0',
      '6-12 months:1',
      'over a year:1',
      'unknown:1',
    ]);
  });

  it('escapes every label that comes from data', () => {
    const svg = barChart({ title: EVIL, categories: [EVIL], yLabel: EVIL, series: [{ name: EVIL, color: '#000', values: [3] }] });
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<img');
    expect(lineChart({ title: 't', categories: [EVIL, 'b'], yLabel: 'y', series: [{ name: 's', color: '#000', values: [1, null] }] })).not.toContain('<script');
  });

  it('renders a page with no script and nothing to fetch, even from hostile data', () => {
    const html = renderReport(data({ weeks: [{ week: EVIL, newMutualClients: 2, nights: 1 }], runIds: [EVIL] }));
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.filter((t) => /^<(script|img|link|iframe|object)|\s(src|href)=/i.test(t))).toEqual([]);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('Content-Security-Policy');
    expect(html.match(/<section /g)).toHaveLength(6);
  });

  it('says plainly when outcomes are not yet observable', () => {
    const html = renderReport(
      data({
        outcomes: [
          { month: '2026-11', cohort: 'new', mutualClients: 5, sanctioned: 1, sanctionedFollowed6m: 0, cured6m: 0, cureRate6m: null, followed6m: 0, closed6m: 0, followed12m: 0, closed12m: 0, reReferral12m: 0, reReferralRate12m: null, removedAfter: 0 },
        ],
      }),
    );
    expect(html).toContain('not yet observable');
  });

  it('writes the same bytes for the same numbers', () => {
    expect(renderReport(data())).toBe(renderReport(data()));
  });
});
