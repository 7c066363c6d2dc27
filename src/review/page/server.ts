/**
 * `linkages review serve`: the coordinators' review page on Node's own HTTP
 * server (no framework: six routes, one JSON endpoint). The thin shell around
 * the pure parts: safety.ts (who may ask), gate.ts (the database, opened per
 * request), journal.ts and store.ts (actions kept, then stored), data.ts (what
 * is read), html.ts (what is shown).
 *
 * What it keeps in memory: the latest queue it read (so the page still shows
 * the pairs while a nightly run holds the database) and the families of the
 * pairs it showed. Nothing of it is written anywhere but the journal of
 * pending actions. It logs ids and counts only, never a query string (a
 * search by name would put a name there).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Db } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import type { Logger } from '../../runtime/logger.js';
import { searchPeople } from '../../search/searchPeople.js';
import type { SearchHit } from '../../search/hit.js';
import { latestNight } from '../../pipeline/ledger.js';
import { DatabaseGate } from './gate.js';
import { Journal, journalPathFor, pageOpSchema, type PageOp } from './journal.js';
import { applyOps } from './store.js';
import {
  findById,
  loadAuditCounts,
  loadAuditSample,
  loadDecisions,
  loadRecentDecisions,
  type DecisionRecord,
  loadFamilies,
  loadMutualClient,
  loadNotes,
  loadQueue,
  type Families,
  type IdHit,
  type QueuePair,
  type QueueSnapshot,
} from './data.js';
import {
  auditPage,
  filtersQuery,
  historyPage,
  messagePage,
  mutualClientPage,
  pairPage,
  queuePage,
  searchPage,
  type PageContext,
  type QueueFilters,
} from './html.js';
import { allowedHosts, cookieValue, hostAllowed, isLoopback, newSecret, postAllowed, sameSecret, securityHeaders, TOKEN_COOKIE } from './safety.js';

export interface ServeOptions {
  dbPath: string;
  host: string;
  port: number;
  auditSampleSize: number;
  log: Logger;
  /** How often pending actions are retried while the database is held, ms. */
  retryMs?: number;
}

export interface ReviewServer {
  server: Server;
  url: string;
  token: string | null;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;
/** Families of the first pairs are read with the queue, so they show while a run holds the database. */
const PREFETCH_FAMILIES = 30;

const pairKey = (l: string, r: string) => `${l}\u001f${r}`;

/** Changes whenever the database file or its write-ahead log is written (by anyone). */
function filesKey(dbPath: string): string {
  return [dbPath, `${dbPath}.wal`]
    .map((f) => {
      try {
        const st = statSync(f, { bigint: true });
        return `${st.ino}:${st.size}:${st.mtimeNs}`;
      } catch {
        return '-';
      }
    })
    .join('|');
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startReviewServer(o: ServeOptions): Promise<ReviewServer> {
  const gate = new DatabaseGate(o.dbPath);
  const journal = new Journal(journalPathFor(o.dbPath));
  const tokenRequired = !isLoopback(o.host);
  const token = tokenRequired ? newSecret() : null;
  const csrf = newSecret();
  let snapshot: QueueSnapshot | null = null;
  let snapshotKey = '';
  const notes = new Map<string, { notes: { note: string; reviewer: string | null; noted_at: string }[]; history: DecisionRecord[] }>();
  /** Every pair of the current night the page has read, by pair_id (an undone decision brings one back). */
  const seenPairs = new Map<string, QueuePair>();
  const families = new Map<string, Families>();
  let wasBusy = false;

  const noteBusy = (busy: boolean) => {
    if (busy && !wasBusy) o.log.warn('review page: another process holds the database; actions are kept until it is free', { pending: journal.pending.length });
    if (!busy && wasBusy) o.log.info('review page: the database is free again', { pending: journal.pending.length });
    wasBusy = busy;
  };

  async function flush(): Promise<void> {
    if (!journal.pending.length) return;
    const ops = [...journal.pending];
    const r = await gate.write(async (db) => {
      await migrate(db);
      return applyOps(db, ops);
    });
    noteBusy(!r.ok);
    if (!r.ok) return;
    journal.remove(r.value.done);
    o.log.info('review page: actions stored', { actions: r.value.done.size, decisions: r.value.decisions, pending: journal.pending.length });
  }

  /**
   * The queue, read again whenever the database files changed (a run, an
   * import, the page's own store), else the one read before; the last one
   * read while another process holds the database.
   */
  async function queue(): Promise<QueueSnapshot | null> {
    const key = filesKey(o.dbPath);
    if (snapshot && key === snapshotKey) return snapshot;
    const r = await gate.read(async (db) => {
      const s = await loadQueue(db);
      const missing = s.pairs.slice(0, PREFETCH_FAMILIES).filter((p) => !families.has(p.pair_id));
      for (const p of missing) families.set(p.pair_id, await loadFamilies(db, s.night!, p.calworks_person_id, p.cws_client_id));
      return s;
    });
    noteBusy(!r.ok);
    if (r.ok) {
      if (snapshot?.night !== r.value.night) {
        seenPairs.clear();
        families.clear();
      }
      snapshot = r.value;
      snapshotKey = key;
      notes.clear();
      for (const p of snapshot.pairs) seenPairs.set(p.pair_id, p);
    }
    return snapshot;
  }

  /** Pairs decided on this page and not yet stored (a pending undo gives one back). */
  function pendingDecided(): Set<string> {
    const undone = new Set(journal.pending.filter((op) => op.kind === 'undo').map((op) => (op as { target: string }).target));
    return new Set(
      journal.pending
        .filter((op): op is Extract<PageOp, { kind: 'decision' }> => op.kind === 'decision' && !undone.has(op.op_id))
        .map((op) => pairKey(op.calworks_person_id, op.cws_client_id)),
    );
  }

  function openPairs(s: QueueSnapshot | null, f: QueueFilters): QueuePair[] {
    if (!s) return [];
    const decided = pendingDecided();
    return s.pairs.filter(
      (p) =>
        !decided.has(pairKey(p.calworks_person_id, p.cws_client_id)) &&
        (!f.office || p.calworks_office === f.office || p.cws_office === f.office) &&
        (!f.reason || p.reason === f.reason),
    );
  }

  function nextUrl(s: QueueSnapshot | null, f: QueueFilters, afterPairId: string | undefined): string {
    const open = openPairs(s, f).filter((p) => p.pair_id !== afterPairId);
    const order = s?.pairs.map((p) => p.pair_id) ?? [];
    const at = afterPairId ? order.indexOf(afterPairId) : -1;
    const next = open.find((p) => order.indexOf(p.pair_id) > at) ?? open[0];
    const q = filtersQuery(f);
    return next ? `/pair?id=${encodeURIComponent(next.pair_id)}${q ? `&${q}` : ''}` : `/${q ? `?${q}` : ''}`;
  }

  const ctxFor = (nonce: string): PageContext => ({
    nonce,
    csrf,
    busySince: gate.busySince,
    pending: journal.pending.length,
    night: snapshot?.night ?? null,
  });

  const filtersOf = (u: URL): QueueFilters => ({ office: u.searchParams.get('office') ?? '', reason: u.searchParams.get('reason') ?? '' });

  async function readOrNull<T>(fn: (db: Db) => Promise<T>): Promise<T | null> {
    const r = await gate.read(fn);
    noteBusy(!r.ok);
    return r.ok ? r.value : null;
  }

  async function page(u: URL, nonce: string): Promise<{ status: number; html: string } | { redirect: string }> {
    const path = u.pathname;
    const s = await queue();
    const ctx = ctxFor(nonce);
    if (path === '/') {
      const f = filtersOf(u);
      return { status: 200, html: queuePage(ctx, openPairs(s, { office: '', reason: '' }), openPairs(s, f), f, s?.decidedSinceNight ?? 0) };
    }
    if (path === '/next') return { redirect: nextUrl(s, filtersOf(u), u.searchParams.get('after') ?? undefined) };
    if (path === '/pair') {
      const id = u.searchParams.get('id') ?? '';
      const p = seenPairs.get(id);
      if (!p)
        return {
          status: 404,
          html: messagePage(ctx, 'Pair not in the queue', 'This pair is not in the queue of the latest night (it may have been decided already).'),
        };
      if (!families.has(p.pair_id) && s?.night) {
        const fam = await readOrNull((db) => loadFamilies(db, s.night!, p.calworks_person_id, p.cws_client_id));
        if (fam) families.set(p.pair_id, fam);
      }
      if (!notes.has(p.pair_id)) {
        const got = await readOrNull(async (db) => ({
          notes: await loadNotes(db, p.calworks_person_id, p.cws_client_id),
          history: await loadDecisions(db, [p.calworks_person_id], [p.cws_client_id]),
        }));
        if (got) notes.set(p.pair_id, got);
      }
      const f = filtersOf(u);
      const open = openPairs(s, f);
      const pos = open.findIndex((x) => x.pair_id === p.pair_id);
      const q = filtersQuery(f);
      return {
        status: 200,
        html: pairPage(ctxFor(nonce), {
          pair: p,
          position: pos >= 0 ? pos + 1 : 0,
          left: open.length,
          families: families.get(p.pair_id) ?? null,
          notes: notes.get(p.pair_id)?.notes ?? [],
          history: notes.get(p.pair_id)?.history ?? [],
          filters: f,
          skipUrl: `/next?after=${encodeURIComponent(p.pair_id)}${q ? `&${q}` : ''}`,
        }),
      };
    }
    if (path === '/history') return { status: 200, html: historyPage(ctxFor(nonce), await readOrNull((db) => loadRecentDecisions(db))) };
    if (path === '/audit') {
      const got = await readOrNull(async (db) => {
        const night = await latestNight(db);
        return { night, items: night ? await loadAuditSample(db, night, o.auditSampleSize) : [], counts: await loadAuditCounts(db) };
      });
      return { status: 200, html: auditPage(ctxFor(nonce), got?.night ?? s?.night ?? null, o.auditSampleSize, got?.items ?? null, got?.counts ?? null) };
    }
    const mc = /^\/mc\/([A-Za-z0-9_-]{1,40})$/.exec(path);
    if (mc) {
      const v = await readOrNull((db) => loadMutualClient(db, mc[1]!));
      if (v === null) {
        return gate.busySince
          ? { status: 503, html: messagePage(ctxFor(nonce), 'Not available now', 'A nightly run holds the database; try again when it has finished.') }
          : { status: 404, html: messagePage(ctxFor(nonce), 'No such mutual client', 'No mutual client has that id.') };
      }
      return { status: 200, html: mutualClientPage(ctxFor(nonce), v) };
    }
    if (path === '/search') {
      const q = (u.searchParams.get('q') ?? '').trim().slice(0, 200);
      const by = u.searchParams.get('by') === 'id' ? 'id' : 'name';
      let names: SearchHit[] | null = null;
      let ids: IdHit[] | null = null;
      if (q && by === 'name') names = await readOrNull(async (db) => (await searchPeople(db, { name: q, limit: 30 })).hits);
      if (q && by === 'id') ids = await readOrNull((db) => findById(db, q));
      return { status: 200, html: searchPage(ctxFor(nonce), q, by, names, ids) };
    }
    return { status: 404, html: messagePage(ctx, 'Not found', 'There is no such page.') };
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_BODY) throw new HttpError(413, 'request too large');
      chunks.push(c as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function postOp(req: IncomingMessage): Promise<Record<string, unknown>> {
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch (err) {
      if (err instanceof HttpError) throw err;
      throw new HttpError(400, 'not JSON');
    }
    const extra = body as { pair_id?: unknown; filters?: unknown };
    const parsed = pageOpSchema.safeParse({ ...(body as object), at: new Date().toISOString() });
    if (!parsed.success) throw new HttpError(400, `bad action: ${parsed.error.issues[0]?.path.join('.') || 'body'}: ${parsed.error.issues[0]?.message}`);
    const op = parsed.data;
    if (journal.pending.some((p) => p.op_id === op.op_id)) throw new HttpError(409, 'this action was already received');
    journal.add(op);
    await flush();
    const stored = !journal.pending.some((p) => p.op_id === op.op_id);
    const res: Record<string, unknown> = { state: stored ? 'stored' : 'pending', pending: journal.pending.length };
    if (op.kind === 'decision') {
      const f = new URLSearchParams(typeof extra.filters === 'string' ? extra.filters : '');
      const s = await queue();
      res.next = nextUrl(s, { office: f.get('office') ?? '', reason: f.get('reason') ?? '' }, typeof extra.pair_id === 'string' ? extra.pair_id : undefined);
    }
    return res;
  }

  const hosts: { allowed: Set<string> | null } = { allowed: null };

  function send(res: ServerResponse, status: number, type: string, body: string, nonce: string, extra: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': type, ...securityHeaders(nonce), ...extra });
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const nonce = randomBytes(16).toString('base64');
    const plain = (status: number, text: string) => send(res, status, 'text/plain; charset=utf-8', `${text}\n`, nonce);
    if (!hostAllowed(req.headers.host, hosts.allowed)) return plain(421, 'This server does not answer to that host name.');
    const u = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (token) {
      const given = u.searchParams.get('token');
      if (given !== null && req.method === 'GET' && sameSecret(given, token)) {
        u.searchParams.delete('token');
        res.writeHead(303, {
          Location: `${u.pathname}${u.search}`,
          'Set-Cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
          ...securityHeaders(nonce),
        });
        res.end();
        return;
      }
      if (!sameSecret(cookieValue(req.headers.cookie, TOKEN_COOKIE), token)) {
        o.log.warn('review page: request without the access token refused', { method: req.method ?? '' });
        return plain(403, 'This review page needs the access token printed when it was started: open the URL it printed.');
      }
    }
    if (req.method === 'POST' && u.pathname === '/api/op') {
      const ok = postAllowed(
        {
          origin: req.headers.origin,
          host: req.headers.host,
          csrf: req.headers['x-csrf-token'] as string | undefined,
          contentType: req.headers['content-type'],
        },
        csrf,
      );
      if (!ok.ok) {
        o.log.warn('review page: POST refused', { why: ok.why });
        return send(res, 403, 'application/json', JSON.stringify({ error: ok.why }), nonce);
      }
      const out = await postOp(req);
      return send(res, 200, 'application/json', JSON.stringify(out), nonce);
    }
    if (req.method === 'GET' && u.pathname === '/api/state') {
      await flush();
      return send(res, 200, 'application/json', JSON.stringify({ busy_since: gate.busySince?.toISOString() ?? null, pending: journal.pending.length }), nonce);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(405, 'Method not allowed.');
    await flush();
    const out = await page(u, nonce);
    if ('redirect' in out) {
      res.writeHead(303, { Location: out.redirect, ...securityHeaders(nonce) });
      res.end();
      return;
    }
    send(res, out.status, 'text/html; charset=utf-8', out.html, nonce);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      if (status === 500) o.log.error('review page: request failed', { path: (req.url ?? '').split('?')[0] ?? '' });
      if (!res.headersSent) {
        res.writeHead(status, { 'Content-Type': 'application/json', ...securityHeaders('x') });
        res.end(JSON.stringify({ error: err instanceof HttpError ? err.message : 'internal error (see the server log)' }));
      } else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  hosts.allowed = allowedHosts(o.host, port);
  // Store what an earlier page left pending, and make sure the page's tables exist.
  const first = await gate.write(async (db) => {
    await migrate(db);
    return applyOps(db, journal.pending);
  });
  if (first.ok) journal.remove(first.value.done);
  noteBusy(!first.ok);
  const timer = setInterval(() => {
    if (journal.pending.length) flush().catch(() => undefined);
  }, o.retryMs ?? 5000);
  timer.unref();
  const shownHost = o.host.includes(':') ? `[${o.host}]` : o.host;
  const url = `http://${shownHost}:${port}/${token ? `?token=${token}` : ''}`;
  o.log.info('review page: listening', { host: o.host, port, token_required: tokenRequired, pending: journal.pending.length });
  return {
    server,
    url,
    token,
    async close() {
      clearInterval(timer);
      await flush().catch(() => undefined);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
