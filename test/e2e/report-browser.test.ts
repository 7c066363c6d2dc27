/**
 * report.html in a real browser: Debian's Chromium, headless, driven by
 * playwright-core (nothing is downloaded or installed at run time; .ci/run
 * installs the chromium package when it is missing, and so does `make test`
 * where it can; where it cannot, make test skips this file with a notice). The page must render
 * its seven sections (charts drawn by Observable Plot as static SVG, each
 * with a caption and a table), say how small counts are withheld, log no
 * console error and make no network request; a screenshot is saved to
 * test/artifacts/ (the one in the README is a copy of it).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/cli.js';

const CHROMIUM = process.env.LINKAGES_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;

// `make test` on a machine where Chromium cannot be installed sets LINKAGES_SKIP_BROWSER=1
// (scripts/ensure-chromium.sh says why); anywhere else a missing browser fails the test.
const skip = process.env.LINKAGES_SKIP_BROWSER === '1' && !existsSync(CHROMIUM);
if (skip) console.warn(`SKIPPED: report.html browser test: no Chromium at ${CHROMIUM} (see the make test notice above)`);

describe.skipIf(skip)('report.html in headless Chromium', () => {
  let tmp: string;
  let report: string;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is not installed at ${CHROMIUM}: install Debian's package (apt-get install -y chromium; .ci/run does it)`);
    }
    tmp = mkdtempSync(join(tmpdir(), 'linkages-report-'));
    const db = join(tmp, 'linkages.duckdb');
    const synth = join(tmp, 'in');
    ok(['synth', '--families', '1500', '--seed', '8', '--out', synth, '--nights', '3']);
    for (const dir of [synth, join(synth, 'night-2'), join(synth, 'night-3')]) {
      ok([
        'run',
        '--calworks',
        join(dir, 'calworks.csv'),
        '--cws',
        join(dir, 'cws.csv'),
        '--workers',
        join(synth, 'workers.csv'),
        '--contacts',
        join(synth, 'contacts.csv'),
        '--db',
        db,
        '--out',
        join(tmp, 'out'),
        '--quiet',
        '--log-level',
        'error',
      ]);
    }
    ok(['metrics', '--db', db, '--out', join(tmp, 'metrics')]);
    report = join(tmp, 'metrics', 'report.html');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (tmp && process.env.KEEP_TMP !== '1') rmSync(tmp, { recursive: true, force: true });
  });

  it('is one self-contained file: no script, no link to anywhere', () => {
    const html = readFileSync(report, 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<link|<img|@import|url\(/i);
    expect(readdirSync(join(tmp, 'metrics')).sort()).toEqual([
      'codebook.md',
      'metrics_identification.csv',
      'metrics_outcomes.csv',
      'metrics_runs.csv',
      'metrics_survival.csv',
      'report.html',
    ]);
  });

  it('renders every chart with its caption and table, without console errors or network requests', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${report}`, { waitUntil: 'load' });

    const sections = await page.locator('section').evaluateAll((els) =>
      els.map((s) => ({
        id: s.id,
        caption: s.querySelector('p.caption')?.textContent ?? '',
        charts: [...s.querySelectorAll('svg.chart')].map((c) => ({ role: c.getAttribute('role'), label: c.getAttribute('aria-label') ?? '' })),
        marks: s.querySelectorAll('svg.chart rect, svg.chart path, svg.chart circle').length,
        rows: s.querySelectorAll('table tbody tr').length,
        svgWidth: s.querySelector('svg.chart')?.getBoundingClientRect().width ?? 0,
      })),
    );
    expect(sections.map((s) => s.id)).toEqual([
      'tiers',
      'new-mutual-clients',
      'time-to-identification',
      'review',
      'match-probability',
      'time-to-event',
      'outcomes',
    ]);
    for (const s of sections) {
      expect(s.caption.length, s.id).toBeGreaterThan(40);
      expect(s.charts.length, s.id).toBeGreaterThan(0);
      for (const c of s.charts) {
        expect(c.role, s.id).toBe('img');
        expect(c.label.length, s.id).toBeGreaterThan(5);
      }
      expect(s.rows, s.id).toBeGreaterThan(0);
      expect(s.svgWidth, s.id).toBeGreaterThan(300);
    }
    // Charts with data draw marks (lines and points, bars); the mutual tier has its own panel.
    const section = (id: string) => sections.find((s) => s.id === id)!;
    expect(section('tiers').charts.map((c) => c.label)).toEqual([
      'Open CalWORKs cases in the mutual tier',
      'Open CalWORKs cases in the early intervention and prevention tiers',
    ]);
    expect(section('tiers').marks).toBeGreaterThan(9);
    expect(section('new-mutual-clients').marks).toBeGreaterThan(1);
    expect(section('match-probability').marks).toBeGreaterThan(1);
    expect(section('time-to-event').charts).toHaveLength(2);
    expect(await page.locator('#tiers tbody tr').count()).toBe(3);
    // Small counts are withheld, and the page says so above the figures.
    expect(await page.locator('#suppression').textContent()).toMatch(/Counts from 1 to 10 are shown as “<11”/);
    expect(await page.locator('#reconciliation').textContent()).toMatch(
      /families were identified as mutual clients: \S+ on the first night .* and \S+ after it/,
    );

    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    await page.close();

    expect(errors).toEqual([]);
    expect(requests).toEqual([`file://${report}`]);
  });
});
