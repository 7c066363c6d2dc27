/**
 * The review page's guards and its audit, over HTTP as a browser (or an
 * attacker's page) would reach it: loopback by default and no answer to a
 * foreign Host name; on another address nothing without the access token; a
 * cross-site POST refused and nothing stored; SEALED child-welfare clients on
 * no page (even one put on the referral of a queued pair); the audit records
 * verdicts, turns a rejection into a NO_MATCH decision and shows the
 * precision with its Wilson interval.
 */
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/cli.js';
import { serve, storedDecisions, type Served } from '../helpers/reviewServer.js';

type Row = Record<string, string>;
const readCsv = (path: string): Row[] => Papa.parse<Row>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request (fetch will not let a test set Host or leave Origin out as it likes). */
function http(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers ?? {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

const csrfOf = (html: string) => /<meta name="csrf" content="([^"]+)"/.exec(html)![1]!;

describe('review page: safety, SEALED clients, audit', () => {
  let tmp: string;
  let db: string;
  let server: Served;
  const sealedIds = new Set<string>();
  const sealedNames = new Set<string>();

  const decisions = () => storedDecisions(db);

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'linkages-review-safety-'));
    db = join(tmp, 'linkages.duckdb');
    const synth = join(tmp, 'in');
    const cfg = join(tmp, 'linkages.json');
    writeFileSync(cfg, JSON.stringify({ match: { link_threshold: 0.9999999, review_threshold: 0.05 }, review: { audit_sample_size: 10 } }));
    ok(['synth', '--families', '400', '--seed', '12', '--out', synth]);
    const run = () =>
      ok([
        'run',
        '--calworks',
        join(synth, 'calworks.csv'),
        '--cws',
        join(synth, 'cws.csv'),
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
    run();
    // A SEALED child on the referral of every queued pair, then the same night again.
    const night = readCsv(join(tmp, 'out', '2026-11-20', 'review_queue.csv'));
    expect(night.length).toBeGreaterThan(2);
    const cwsText = readFileSync(join(synth, 'cws.csv'), 'utf8');
    const cws = Papa.parse<Row>(cwsText, { header: true, skipEmptyLines: true });
    const queued = new Set(night.map((r) => r.cws_client_id));
    const extra: Row[] = [];
    for (const row of cws.data.filter((r) => queued.has(r.client_id!))) {
      const n = extra.length + 1;
      extra.push({
        ...row,
        client_id: `CLSEALED${n}`,
        client_role: 'CHILD',
        first_name: 'Zebedee',
        last_name: `Sealedkid${n}`,
        ssn: '',
        sensitivity: 'SEALED',
      });
    }
    for (const r of [...cws.data, ...extra]) {
      if (r.sensitivity === 'SEALED') {
        sealedIds.add(r.client_id!);
        if (r.last_name) sealedNames.add(r.last_name.toUpperCase());
      }
    }
    writeFileSync(join(synth, 'cws.csv'), Papa.unparse([...cws.data, ...extra], { columns: cws.meta.fields }));
    run();
    server = await serve(['--db', db, '--config', cfg]);
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    if (tmp && process.env.KEEP_TMP !== '1') rmSync(tmp, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 by default and answers no foreign Host name', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await http(server.url);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    // a web page elsewhere reaching the loopback server through a rebound DNS name
    const rebound = await http(server.url, { headers: { Host: `evil.example:${new URL(server.url).port}` } });
    expect(rebound.status).toBe(421);
  });

  it('refuses a cross-site POST and stores nothing', async () => {
    const queue = await http(server.url);
    const pairUrl = /href="(\/pair\?id=[^"]+)"/.exec(queue.body)![1]!.replace(/&amp;/g, '&');
    const pair = await http(`${server.origin}${pairUrl}`);
    const l = /data-l="([^"]+)"/.exec(pair.body)![1]!;
    const r = /data-r="([^"]+)"/.exec(pair.body)![1]!;
    const body = JSON.stringify({ kind: 'decision', op_id: 'x1', calworks_person_id: l, cws_client_id: r, decision: 'MATCH', reviewer: 'Mallory' });
    const api = `${server.origin}/api/op`;
    const csrf = csrfOf(pair.body);
    // another site's page (even one that somehow knew the token), a form post, a script without the token
    const attempts: Record<string, string>[] = [
      { Origin: 'http://evil.example', 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      { 'Content-Type': 'text/plain' },
      { Origin: server.origin, 'Content-Type': 'application/x-www-form-urlencoded' },
      { Origin: server.origin, 'Content-Type': 'application/json' },
      { Origin: server.origin, 'Content-Type': 'application/json', 'X-CSRF-Token': 'guess' },
    ];
    for (const headers of attempts) {
      const res = await http(api, { method: 'POST', headers, body });
      expect(res.status, JSON.stringify(headers)).toBe(403);
    }
    expect(await decisions()).toEqual([]);
    // the page's own request goes through
    const own = await http(api, { method: 'POST', headers: { Origin: server.origin, 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body });
    expect(own.status).toBe(200);
    expect(JSON.parse(own.body)).toMatchObject({ state: 'stored', pending: 0 });
    expect(await decisions()).toEqual([{ l, r, decision: 'MATCH', reviewer: 'Mallory', source_file: 'review page' }]);
  });

  it('on another address, refuses every request without the access token', async () => {
    const open = await serve(['--db', db, '--host', '0.0.0.0']);
    try {
      const token = new URL(open.url).searchParams.get('token');
      expect(token).toMatch(/^[\w-]{20,}$/);
      const base = `http://127.0.0.1:${new URL(open.url).port}`;
      for (const path of ['/', '/audit', '/search?q=maria', '/api/state', `/?token=wrong${token}`]) {
        const res = await http(`${base}${path}`);
        expect(res.status, path).toBe(403);
        expect(res.body).not.toMatch(/<table/);
      }
      const post = await http(`${base}/api/op`, { method: 'POST', headers: { Origin: base, 'Content-Type': 'application/json' }, body: '{}' });
      expect(post.status).toBe(403);
      // the printed URL: a redirect that keeps the token in an HttpOnly, same-site cookie
      const first = await http(`${base}/?token=${token}`);
      expect(first.status).toBe(303);
      const cookie = String(first.headers['set-cookie']).split(';')[0]!;
      expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
      expect((await http(`${base}/`, { headers: { Cookie: cookie } })).status).toBe(200);
    } finally {
      await open.stop();
    }
  }, 120_000);

  it('shows SEALED clients on no page: queue, pairs and their families, audit, mutual clients, search', async () => {
    expect(sealedIds.size).toBeGreaterThan(2);
    const pages: string[] = [];
    const get = async (path: string) => {
      const res = await http(`${server.origin}${path}`);
      expect(res.status, path).toBe(200);
      // (the search box shows what was typed in it: that is the coordinator's own query, not a record)
      pages.push(res.body.replace(/<input id="q" name="q" value="[^"]*"/, ''));
      return res.body;
    };
    const queue = await get('/');
    const pairs = [...queue.matchAll(/href="(\/pair\?id=[^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    expect(pairs.length).toBeGreaterThan(1);
    for (const p of new Set(pairs)) await get(p);
    const audit = await get('/audit');
    for (const mc of new Set([...audit.matchAll(/href="\/mc\/([^"]+)"/g)].map((m) => m[1]!))) await get(`/mc/${mc}`);
    for (const id of sealedIds) await get(`/search?by=id&q=${encodeURIComponent(id)}`);
    for (const name of [...sealedNames].filter((n) => n.startsWith('SEALEDKID')).slice(0, 3)) await get(`/search?q=${encodeURIComponent(`Zebedee ${name}`)}`);
    // the planted sibling's referral is on the pages (its family is shown), the sealed child is not
    const all = pages.join('\n').toUpperCase();
    expect(all).toContain('THE TWO FAMILIES');
    for (const id of sealedIds) expect(all).not.toContain(id.toUpperCase());
    expect(all).not.toContain('ZEBEDEE');
    expect(all).not.toContain('SEALEDKID');
  }, 120_000);

  it('audits a sample of AUTO links: a rejection is a NO_MATCH decision, the precision shows with its Wilson interval', async () => {
    const page = await http(`${server.origin}/audit`);
    const csrf = csrfOf(page.body);
    const rows = [...page.body.matchAll(/<tr data-night="([^"]+)" data-l="([^"]+)" data-r="([^"]+)"/g)].map((m) => ({ night: m[1]!, l: m[2]!, r: m[3]! }));
    expect(rows).toHaveLength(10); // review.audit_sample_size
    // the same sample on every visit
    const again = await http(`${server.origin}/audit`);
    expect([...again.body.matchAll(/data-l="([^"]+)" data-r="([^"]+)"/g)].map((m) => `${m[1]}|${m[2]}`)).toEqual(rows.map((x) => `${x.l}|${x.r}`));
    const before = (await decisions()).length;
    for (const [i, x] of rows.entries()) {
      const verdict = i === 3 ? 'REJECTED' : 'CONFIRMED';
      const res = await http(`${server.origin}/api/op`, {
        method: 'POST',
        headers: { Origin: server.origin, 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
        body: JSON.stringify({
          kind: 'audit',
          op_id: `audit-${i}`,
          run_date: x.night,
          calworks_person_id: x.l,
          cws_client_id: x.r,
          verdict,
          reviewer: 'B. Chen',
        }),
      });
      expect(res.status).toBe(200);
    }
    const after = await decisions();
    expect(after.slice(before)).toEqual([{ l: rows[3]!.l, r: rows[3]!.r, decision: 'NO_MATCH', reviewer: 'B. Chen', source_file: 'review page' }]);
    const shown = (await http(`${server.origin}/audit`)).body;
    // 9 of 10: Wilson 95% interval 59.6% to 98.2%
    expect(shown).toContain('9 of 10 checked links were right: about 90.0% (95% interval 59.6% to 98.2%)');
  });

  it('filters the queue by office and reason, and finds people by name, id and mutual client', async () => {
    const queue = (await http(server.url)).body;
    const total = Number(/<p id="left"><strong>(\d+)<\/strong>/.exec(queue)![1]);
    const office = /<select id="f-office" name="office"><option value=""[^>]*>all offices<\/option><option value="([^"]+)"/.exec(queue)![1]!;
    const filtered = (await http(`${server.origin}/?office=${encodeURIComponent(office)}`)).body;
    const left = Number(/<p id="left"><strong>(\d+)<\/strong>/.exec(filtered)![1]);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(total);
    expect(filtered).toContain(`(of ${total} before filters)`);
    const l = /data-l="([^"]+)"/.exec((await http(`${server.origin}${/href="(\/pair\?id=[^"]+)"/.exec(queue)![1]!.replace(/&amp;/g, '&')}`)).body)![1]!;
    const byId = (await http(`${server.origin}/search?by=id&q=${l}`)).body;
    expect(byId).toMatch(new RegExp(`<td>CALWORKS</td><td>${l}</td>`));
    const audit = (await http(`${server.origin}/audit`)).body;
    const mc = /href="\/mc\/([^"]+)"/.exec(audit)![1]!;
    const mcPage = (await http(`${server.origin}/mc/${mc}`)).body;
    expect(mcPage).toContain(`<h1>Mutual client ${mc}</h1>`);
    for (const h of ['History', 'CalWORKs records', 'Child-welfare records', 'Links', 'Decisions']) expect(mcPage).toContain(`<h2>${h}</h2>`);
    expect(mcPage).toMatch(/Created on \d{4}-\d{2}-\d{2}/);
    expect(mcPage).toMatch(/<td>AUTO<\/td><td>\+\d/);
    const byMc = (await http(`${server.origin}/search?by=id&q=${mc.toLowerCase()}`)).body;
    expect(byMc).toContain(`href="/mc/${mc}"`);
    const byName = (await http(`${server.origin}/search?q=maria`)).body;
    expect(byName).toMatch(/<table id="results">/);
    expect((await http(`${server.origin}/mc/MC9999999`)).status).toBe(404);
    // the decision history: every decision on record, newest first, with who and from where
    const history = (await http(`${server.origin}/history`)).body;
    expect(history).toMatch(/<td>NO_MATCH<\/td><td>B\. Chen<\/td><td>review page<\/td>/);
    expect(history).toMatch(/<td>MATCH<\/td><td>Mallory<\/td><td>review page<\/td>/);
  });
});
