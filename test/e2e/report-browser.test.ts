/**
 * report.html in a real browser: Debian's Chromium, headless, driven by
 * playwright-core (nothing is downloaded or installed at run time; .ci/run
 * installs the chromium package when it is missing, and so does `make test`
 * where it can; where it cannot, make test skips this file with a notice). The page must render
 * its six charts with their captions and tables, log no console error and
 * make no network request; a screenshot is saved to test/artifacts/.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const CHROMIUM = process.env.LINKAGES_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;

function ok(args: string[]) {
  const r = runCli(args);
  if (r.code !== 0) throw new Error(`linkages ${args.join(' ')} -> ${r.code}\n${r.stderr}`);
  return r;
}

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
    ok(['synth', '--families', '800', '--seed', '8', '--out', synth, '--nights', '2']);
    for (const dir of [synth, join(synth, 'night-2')]) {
      ok(['run', '--calworks', join(dir, 'calworks.csv'), '--cws', join(dir, 'cws.csv'), '--workers', join(synth, 'workers.csv'),
        '--contacts', join(synth, 'contacts.csv'), '--db', db, '--out', join(tmp, 'out'), '--quiet', '--log-level', 'error']);
    }
    ok(['metrics', '--db', db, '--out', join(tmp, 'metrics')]);
    report = join(tmp, 'metrics', 'report.html');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (tmp && process.env.KEEP_TMP !== '1') rmSync(tmp, { recursive: true, force: true });
  });

  it('is one self-contained file: no script, no link to anywhere', () => {
    const html = readFileSync(report, 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<link|<img|@import|url\(/i);
    expect(readdirSync(join(tmp, 'metrics')).sort()).toEqual(['metrics_identification.csv', 'metrics_outcomes.csv', 'metrics_runs.csv', 'report.html']);
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
        svgs: s.querySelectorAll('svg').length,
        marks: s.querySelectorAll('svg rect, svg polyline, svg circle').length,
        rows: s.querySelectorAll('table tbody tr').length,
        svgWidth: s.querySelector('svg')?.getBoundingClientRect().width ?? 0,
      })),
    );
    expect(sections.map((s) => s.id)).toEqual(['tiers', 'new-mutual-clients', 'time-to-identification', 'review', 'match-probability', 'outcomes']);
    for (const s of sections) {
      expect(s.caption.length, s.id).toBeGreaterThan(40);
      expect(s.svgs, s.id).toBe(1);
      expect(s.rows, s.id).toBeGreaterThan(0);
      expect(s.svgWidth, s.id).toBeGreaterThan(300);
    }
    // Charts with data draw marks (lines and points, bars) besides their legend keys.
    const marks = (id: string) => sections.find((s) => s.id === id)!.marks;
    expect(marks('tiers')).toBeGreaterThan(6);
    // (legend keys: one in the two single-series charts, three in the probability chart)
    expect(marks('new-mutual-clients')).toBeGreaterThan(1);
    expect(marks('time-to-identification')).toBeGreaterThan(1);
    expect(marks('match-probability')).toBeGreaterThan(3);
    const tierRows = await page.locator('#tiers tbody tr').count();
    expect(tierRows).toBe(2);

    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    await page.close();

    expect(errors).toEqual([]);
    expect(requests).toEqual([`file://${report}`]);
  });
});
