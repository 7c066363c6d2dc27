/**
 * The report page's building blocks: axis scales in whole counts, text from
 * the data always escaped, time bins, and a page that carries no script and
 * no address to fetch, whatever the data says.
 */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/metrics/report/html.js';
import { binDays, type ReportData } from '../../src/metrics/report/reportData.js';
import type { Cell } from '../../src/metrics/suppress.js';
import { barChart, lineChart } from '../../src/metrics/report/charts.js';

const EVIL = '<script>alert(1)</script>"><img src=http://x/y.png>';

/** A shown figure (the registry's Cell) and a withheld one. */
const c = (n: number | null): Cell => ({ key: `k${n}`, n, mark: null });
const small: Cell = { key: 'small', n: null, mark: 'small' };

function data(overrides: Partial<ReportData> = {}): ReportData {
  return {
    span: { nights: 2, first: '2026-11-20', last: '2026-11-21', baseline: '2026-11-20' },
    runIds: ['r1', 'r2'],
    threshold: 11,
    withheld: { small: 1, complementary: 0 },
    tiers: [
      { night: '2026-11-20', MUTUAL: c(40), EARLY_INTERVENTION: c(300), PREVENTION: c(900) },
      { night: '2026-11-21', MUTUAL: c(45), EARLY_INTERVENTION: c(301), PREVENTION: c(890) },
    ],
    identified: { hasBaseline: true, baseline: c(40), new: c(12), all: c(52), returning: c(0) },
    weeks: [{ week: '2026-11-16', newMutualClients: c(12), nights: 1, perNight: c(12) }],
    caseOpening: { cohort: 'new', bins: binDays([0, 3, 40, null]).map((b) => ({ label: b.label, count: b.count ? small : c(0) })), median: c(3), total: c(12) },
    review: [{ night: '2026-11-20', queue: small, match: c(0), noMatch: c(0) }],
    probabilityNight: '2026-11-21',
    probabilities: [{ label: '90-100%', auto: c(400), confirmed: small, review: small }],
    outcomes: [],
    survival: [],
    ...overrides,
  };
}

describe('report building blocks', () => {
  it('draws charts as static SVG with an accessible name, leaving withheld values out', () => {
    const svg = barChart({
      title: 'Pairs',
      categories: ['a', 'b', 'c'],
      yLabel: 'pairs',
      log: true,
      series: [{ name: 'Linked', color: '#0072B2', values: [500, null, 12] }],
    });
    expect(svg).toMatch(/^<svg[^>]*role="img"/);
    expect(svg).toContain('aria-label="Pairs"');
    expect(svg).toContain('<title>Pairs</title>');
    // Two bars, one per shown value; the withheld one is not drawn as zero.
    expect(svg.match(/<rect/g)).toHaveLength(2);
    expect(svg).toContain('a, Linked: 500');
    const line = lineChart({
      title: 'T',
      categories: ['a', 'b'],
      yLabel: 'y',
      series: [
        { name: 'A', color: '#000', values: [20, 30] },
        { name: 'B', color: '#111', values: [null, 40] },
      ],
    });
    expect(line).toContain('<figure'); // with a legend
    expect(line.match(/<circle/g)).toHaveLength(3);
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
    expect(
      barChart({
        title: 't',
        categories: ['a'],
        yLabel: 'y',
        series: [
          { name: EVIL, color: '#000', values: [3] },
          { name: 'b', color: '#111', values: [4] },
        ],
      }),
    ).not.toContain('<img');
  });

  it('renders a page with no script and nothing to fetch, even from hostile data', () => {
    const html = renderReport(data({ weeks: [{ week: EVIL, newMutualClients: c(22), nights: 1, perNight: c(22) }], runIds: [EVIL] }));
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.filter((t) => /^<(script|img|link|iframe|object)|\s(src|href)=/i.test(t))).toEqual([]);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('Content-Security-Policy');
    expect(html.match(/<section /g)).toHaveLength(7);
  });

  it('says plainly when outcomes are not yet observable', () => {
    const html = renderReport(
      data({
        outcomes: [
          {
            month: '2026-11',
            cohort: 'new',
            mutualClients: c(15),
            sanctioned: small,
            sanctionedFollowed6m: c(0),
            cured6m: c(0),
            cureRate6m: c(null),
            followed6m: c(0),
            closed6m: c(0),
            closedRate6m: c(null),
            followed12m: c(0),
            closed12m: c(0),
            reReferral12m: c(0),
            reReferralRate12m: c(null),
            removedAfter: c(0),
          },
        ],
      }),
    );
    expect(html).toContain('not yet observable');
  });

  it('shows withheld counts as "<11", says so, and reconciles the counts in one sentence', () => {
    const html = renderReport(data());
    expect(html).toContain('&lt;11');
    expect(html).toMatch(/Counts from 1 to 10 are shown as/);
    expect(html).toContain('52 families were identified as mutual clients: 40 on the first night');
    expect(html).toContain('and 12 after it');
    expect(html).not.toMatch(/Internal use only/);
    const internal = renderReport(data({ threshold: null }));
    expect(internal).toMatch(/Internal use only: small counts are not suppressed/);
  });

  it('writes the same bytes for the same numbers', () => {
    expect(renderReport(data())).toBe(renderReport(data()));
  });
});
