/**
 * The review page in a real browser (Debian's Chromium through playwright-core,
 * as the report test): a coordinator gives her name once, reviews five pairs
 * with the keyboard alone, undoes the last one, reloads; the four decisions
 * are in review_decisions with her name and source "review page", and the next
 * night links the MATCH pairs as CONFIRMED and never the NO_MATCH ones. Then a
 * nightly run holds the database: the page says so, keeps the decision made
 * meanwhile, and stores it when the run is over. No request leaves the server.
 * The screenshot of a pair is the one the README shows.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { ok } from '../helpers/cli.js';
import { serve, storedDecisions, type Served } from '../helpers/reviewServer.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;
const NIGHT1 = '2026-11-20';

type Row = Record<string, string>;
const readCsv = (path: string): Row[] => Papa.parse<Row>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;

describe('the review page in headless Chromium', () => {
  let tmp: string;
  let db: string;
  let synth: string;
  let cfg: string;
  let server: Served;
  let browser: Browser;
  /** One browser profile: the reviewer's name is asked once and remembered. */
  let context: BrowserContext;
  const requests: string[] = [];
  const errors: string[] = [];

  const run = (dir: string) =>
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
      '--config',
      cfg,
      '--db',
      db,
      '--out',
      join(tmp, 'out'),
      '--quiet',
      '--log-level',
      'error',
    ]);

  const decisions = () => storedDecisions(db);

  async function newPage(): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    return page;
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium`);
    tmp = mkdtempSync(join(tmpdir(), 'linkages-review-page-'));
    db = join(tmp, 'linkages.duckdb');
    synth = join(tmp, 'in');
    cfg = join(tmp, 'linkages.json');
    // Strict thresholds, so a small county leaves a queue worth reviewing.
    writeFileSync(cfg, JSON.stringify({ match: { link_threshold: 0.9999999, review_threshold: 0.05 }, review: { audit_sample_size: 10 } }));
    ok(['synth', '--families', '600', '--seed', '8', '--out', synth, '--nights', '2']);
    run(synth);
    server = await serve(['--db', db, '--config', cfg]);
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
    context = await browser.newContext({ viewport: { width: 1200, height: 1400 } });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (tmp && process.env.KEEP_TMP !== '1') rmSync(tmp, { recursive: true, force: true });
  });

  const reviewed: { l: string; r: string; decision: string }[] = [];

  it('reviews five pairs by keyboard, undoes one, and stores four decisions with the reviewer and source', async () => {
    const page = await newPage();
    await page.goto(server.url);
    expect(await page.locator('#left').textContent()).toMatch(/\d+ pairs left/);
    // Into the first pair with the keyboard: the start link, then Enter.
    await page.locator('#start').focus();
    await Promise.all([page.waitForURL(/\/pair\?id=/), page.keyboard.press('Enter')]);
    // The name is asked once, in a dialog.
    await expect.poll(() => page.locator('#who-dialog').evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
    await page.keyboard.type('A. Ruiz');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#who-name').textContent()).toBe('A. Ruiz');

    for (let i = 0; i < 5; i++) {
      const pair = page.locator('#pair');
      const l = (await pair.getAttribute('data-l'))!;
      const r = (await pair.getAttribute('data-r'))!;
      const decision = i % 2 === 0 ? 'MATCH' : 'NO_MATCH';
      if (i === 0) {
        // what the README shows
        expect(await page.locator('#records mark').count()).toBeGreaterThan(0);
        expect(await page.locator('#waterfall tbody tr').count()).toBeGreaterThan(5);
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, 'review-page.png'), fullPage: true });
      }
      const before = page.url();
      await page.locator('body').focus();
      await Promise.all([page.waitForURL((u) => u.toString() !== before), page.keyboard.press(decision === 'MATCH' ? 'm' : 'n')]);
      reviewed.push({ l, r, decision });
    }
    expect(new Set(reviewed.map((x) => `${x.l}|${x.r}`)).size).toBe(5);
    // Undo the last: back on that pair.
    const before = page.url();
    await Promise.all([page.waitForURL((u) => u.toString() !== before), page.keyboard.press('u')]);
    expect(await page.locator('#pair').getAttribute('data-l')).toBe(reviewed[4]!.l);
    await page.reload();
    expect(await page.locator('#pair').getAttribute('data-r')).toBe(reviewed[4]!.r);
    await page.close();

    const stored = await decisions();
    expect(stored).toEqual(reviewed.slice(0, 4).map((x) => ({ l: x.l, r: x.r, decision: x.decision, reviewer: 'A. Ruiz', source_file: 'review page' })));
  }, 120_000);

  it('keeps a decision made while a run holds the database, says so, and stores it afterwards', async () => {
    const page = await newPage();
    await page.goto(`${server.origin}/`);
    await page.locator('#start').click();
    await page.waitForURL(/\/pair\?id=/);
    const l = (await page.locator('#pair').getAttribute('data-l'))!;
    const r = (await page.locator('#pair').getAttribute('data-r'))!;
    // A "nightly run": another process takes the database for writing.
    const held = await openDatabase(db, { threads: 1, memoryLimit: '512MB' });
    try {
      await page.locator('body').focus();
      const before = page.url();
      await Promise.all([page.waitForURL((u) => u.toString() !== before), page.keyboard.press('n')]);
      const banner = await page.locator('#busy').textContent();
      expect(banner).toMatch(/A nightly run is using the database/);
      expect(banner).toMatch(/1 action is kept/);
      expect(await page.locator('#pair').count()).toBe(1); // still reviewing, from what was read before
      const state = await (await page.request.get(`${server.origin}/api/state`)).json();
      expect(state).toMatchObject({ pending: 1 });
      expect(state.busy_since).not.toBeNull();
    } finally {
      held.close();
    }
    const state = await (await page.request.get(`${server.origin}/api/state`)).json();
    expect(state).toEqual({ busy_since: null, pending: 0 });
    await page.close();
    const stored = await decisions();
    expect(stored[stored.length - 1]).toEqual({ l, r, decision: 'NO_MATCH', reviewer: 'A. Ruiz', source_file: 'review page' });
    reviewed.push({ l, r, decision: 'NO_MATCH' });
  }, 120_000);

  it('loaded nothing from the network and logged no personal data', () => {
    expect(errors).toEqual([]);
    for (const u of requests) expect(u.startsWith(server.origin)).toBe(true);
    const log = server.stderr();
    expect(log).toMatch(/actions stored/);
    for (const _x of reviewed) expect(log).not.toContain('A. Ruiz');
  });

  it('the next night links the MATCH pairs as CONFIRMED and never the NO_MATCH ones', async () => {
    await server.stop();
    run(join(synth, 'night-2'));
    const night2 = readCsv(join(tmp, 'out', '2026-11-21', 'links.csv'));
    const links = new Map(night2.map((k) => [`${k.calworks_person_id}|${k.cws_client_id}`, k.decision]));
    const kept = [...reviewed.slice(0, 4), ...reviewed.slice(5)];
    for (const x of kept.filter((k) => k.decision === 'MATCH')) expect(links.get(`${x.l}|${x.r}`), `${x.l}|${x.r}`).toBe('CONFIRMED');
    for (const x of kept.filter((k) => k.decision === 'NO_MATCH')) expect(links.has(`${x.l}|${x.r}`), `${x.l}|${x.r}`).toBe(false);
    // The undone pair is decided by nobody: it may be linked or queued again, but not CONFIRMED.
    expect(links.get(`${reviewed[4]!.l}|${reviewed[4]!.r}`)).not.toBe('CONFIRMED');
    expect(readCsv(join(tmp, 'out', NIGHT1, 'links.csv')).length).toBeGreaterThan(0);
    if (process.env.UPDATE_README_SCREENSHOT === '1')
      copyFileSync(join(ARTIFACTS, 'review-page.png'), new URL('../fixtures/review-page-screenshot.png', import.meta.url).pathname);
  }, 240_000);
});
