/**
 * The review page's HTML, rendered on the server: plain pages that work with
 * the keyboard and a screen reader (labels, headings, a live status line,
 * visible focus, contrast above 7:1 for text), one small inline script for
 * the keys and the decision buttons, and nothing loaded from anywhere (the
 * Content-Security-Policy of server.ts forbids it; the script and style carry
 * the request's nonce). Pure: data in, text out; every value is escaped.
 */
import { charDiff, compareWord, type Segment } from './diff.js';
import { estimatePrecision, precisionWords } from './precision.js';
import type { AuditItem, DecisionRecord, Families, IdHit, Member, MutualClientView, QueuePair } from './data.js';
import { FIELD_WORDS, pairWords, scoreWords, weightToProbability, type Explanation } from './words.js';
import type { SearchHit } from '../../search/hit.js';

export const esc = (v: unknown): string =>
  String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface PageContext {
  nonce: string;
  csrf: string;
  /** Set while another process (a nightly run) holds the database. */
  busySince: Date | null;
  /** Actions kept in the journal, not yet in the database. */
  pending: number;
  night: string | null;
}

const CSS = `
:root { color-scheme: light; --ink:#111; --muted:#444; --line:#767676; --accent:#0b4f8a; --good:#0b6b2f; --bad:#a11b1b; --bg:#fff; --soft:#f2f4f7; }
* { box-sizing: border-box; }
body { font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); margin: 0; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid #e8a200; outline-offset: 2px; }
header.top { background: #0b2e4f; color: #fff; padding: .5rem 1rem; display: flex; gap: 1.5rem; align-items: center; flex-wrap: wrap; }
header.top a { color: #fff; }
header.top .who { margin-left: auto; }
main { padding: 1rem; max-width: 75rem; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: .5rem; background: #fff; color: #000; padding: .5rem; z-index: 9; }
.banner { border: 2px solid #8a5a00; background: #fff4d6; padding: .75rem 1rem; margin: 0 0 1rem; }
.banner.ok { border-color: var(--good); background: #e8f5ec; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
thead th { background: var(--soft); }
th[scope=row] { background: var(--soft); font-weight: 600; white-space: nowrap; }
mark { background: #ffd84d; color: #000; text-decoration: underline; text-decoration-style: wavy; }
.differs { color: var(--bad); font-weight: 600; } .same { color: var(--good); }
.actions { display: flex; gap: .75rem; flex-wrap: wrap; margin: 1rem 0; align-items: center; }
button { font: inherit; padding: .55rem 1rem; border: 2px solid var(--ink); background: #fff; color: var(--ink); border-radius: 4px; cursor: pointer; }
button.match { background: var(--good); border-color: var(--good); color: #fff; }
button.nomatch { background: var(--bad); border-color: var(--bad); color: #fff; }
kbd { border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 3px; padding: 0 .3rem; font-size: .85em; background: var(--soft); color: var(--ink); }
button kbd { background: transparent; color: inherit; border-color: currentColor; }
.headline { font-size: 1.2rem; font-weight: 600; margin: .25rem 0; }
.muted { color: var(--muted); }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; } .cols > * { min-width: 0; overflow-x: auto; } @media (max-width: 50rem) { .cols { grid-template-columns: 1fr; } }
svg.bar { display: block; }
label { font-weight: 600; display: block; margin: .5rem 0 .25rem; }
textarea, input, select { font: inherit; padding: .4rem; border: 2px solid var(--line); border-radius: 4px; }
textarea { width: 100%; min-height: 3.5rem; }
#status { min-height: 1.5rem; font-weight: 600; }
dialog { border: 2px solid var(--ink); padding: 1.5rem; max-width: 28rem; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

/** The page script: reviewer name once per browser, keys, decisions, undo, audit verdicts. */
const SCRIPT = `
(function () {
  var csrf = document.querySelector('meta[name=csrf]').content;
  var statusEl = document.getElementById('status');
  var say = function (t) { if (statusEl) statusEl.textContent = t; };
  var KEY = 'linkages.reviewer';
  var reviewer = function () { try { return localStorage.getItem(KEY) || ''; } catch (e) { return ''; } };
  var who = document.getElementById('who-name');
  var dlg = document.getElementById('who-dialog');
  var askName = function () { if (dlg && !dlg.open) { dlg.showModal(); document.getElementById('who-input').focus(); } };
  var showName = function () { if (who) who.textContent = reviewer() || '(not set)'; };
  showName();
  if (dlg) {
    document.getElementById('who-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var v = document.getElementById('who-input').value.trim();
      if (!v) return;
      try { localStorage.setItem(KEY, v); } catch (err) {}
      dlg.close(); showName(); say('Reviewing as ' + v + '.');
    });
    var change = document.getElementById('who-change');
    if (change) change.addEventListener('click', askName);
    if (document.body.dataset.needsReviewer === '1' && !reviewer()) askName();
  }
  var hex = function () { var a = new Uint8Array(16); crypto.getRandomValues(a); return Array.prototype.map.call(a, function (b) { return ('0' + b.toString(16)).slice(-2); }).join(''); };
  var post = function (body) {
    return fetch('/api/op', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.error || ('error ' + r.status)); return j; }); });
  };
  var stack = function () { try { return JSON.parse(sessionStorage.getItem('linkages.undo') || '[]'); } catch (e) { return []; } };
  var setStack = function (s) { try { sessionStorage.setItem('linkages.undo', JSON.stringify(s.slice(-50))); } catch (e) {} };
  var stored = function (j) { return j.state === 'stored' ? 'stored' : 'kept, to be stored when the nightly run finishes'; };
  var busy = false;
  var pair = document.getElementById('pair');
  var decide = function (decision) {
    if (!pair || busy) return;
    if (!reviewer()) { askName(); return; }
    busy = true;
    var op = { kind: 'decision', op_id: hex(), calworks_person_id: pair.dataset.l, cws_client_id: pair.dataset.r, decision: decision,
               reviewer: reviewer(), note: (document.getElementById('note') || {}).value || undefined, pair_id: pair.dataset.pair, filters: pair.dataset.filters };
    say('Saving ' + decision + '...');
    post(op).then(function (j) {
      var s = stack(); s.push({ op_id: op.op_id, pair_id: pair.dataset.pair, decision: decision }); setStack(s);
      say(decision + ' ' + stored(j) + '.');
      location.assign(j.next);
    }).catch(function (e) { busy = false; say('Not saved: ' + e.message); });
  };
  var undo = function () {
    var s = stack(); var last = s.pop();
    if (!last) { say('Nothing to undo in this browser tab.'); return; }
    if (!reviewer()) { askName(); return; }
    post({ kind: 'undo', op_id: hex(), target: last.op_id, reviewer: reviewer() }).then(function (j) {
      setStack(s); say('Undone: ' + last.decision + ' (' + stored(j) + ').');
      location.assign('/pair?id=' + encodeURIComponent(last.pair_id) + (pair && pair.dataset.filters ? '&' + pair.dataset.filters : ''));
    }).catch(function (e) { say('Not undone: ' + e.message); });
  };
  var skip = function () { if (pair) location.assign(pair.dataset.skip); };
  document.querySelectorAll('[data-decide]').forEach(function (b) { b.addEventListener('click', function () { decide(b.dataset.decide); }); });
  document.querySelectorAll('[data-undo]').forEach(function (b) { b.addEventListener('click', undo); });
  document.querySelectorAll('[data-skip]').forEach(function (b) { b.addEventListener('click', skip); });
  var saveNote = document.getElementById('save-note');
  if (saveNote) saveNote.addEventListener('click', function () {
    var v = document.getElementById('note').value.trim();
    if (!v) { say('The note is empty.'); return; }
    if (!reviewer()) { askName(); return; }
    post({ kind: 'note', op_id: hex(), calworks_person_id: pair.dataset.l, cws_client_id: pair.dataset.r, note: v, reviewer: reviewer() })
      .then(function (j) { say('Note ' + stored(j) + '.'); }).catch(function (e) { say('Note not saved: ' + e.message); });
  });
  document.querySelectorAll('[data-audit]').forEach(function (b) {
    b.addEventListener('click', function () {
      if (!reviewer()) { askName(); return; }
      var row = b.closest('tr');
      post({ kind: 'audit', op_id: hex(), run_date: row.dataset.night, calworks_person_id: row.dataset.l, cws_client_id: row.dataset.r, verdict: b.dataset.audit, reviewer: reviewer() })
        .then(function (j) { row.querySelector('.verdict').textContent = b.dataset.audit + ' (' + stored(j) + ')'; say(b.dataset.audit + ': ' + row.dataset.l + ' / ' + row.dataset.r + ' ' + stored(j) + '.'); })
        .catch(function (e) { say('Not saved: ' + e.message); });
    });
  });
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target; var tag = t && t.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (dlg && dlg.open)) return;
    var k = e.key.toLowerCase();
    if (k === 'm') { e.preventDefault(); decide('MATCH'); }
    else if (k === 'n') { e.preventDefault(); decide('NO_MATCH'); }
    else if (k === 's') { e.preventDefault(); skip(); }
    else if (k === 'u') { e.preventDefault(); undo(); }
  });
})();
`;

function banner(ctx: PageContext): string {
  if (ctx.busySince) {
    const since = ctx.busySince.toISOString().slice(11, 16);
    return `<div class="banner" role="status" id="busy"><strong>A nightly run is using the database</strong> (since ${esc(since)} UTC, when this page first saw it).
      You can keep deciding: ${ctx.pending ? `<strong>${ctx.pending}</strong> action${ctx.pending === 1 ? ' is' : 's are'} kept` : 'what you decide is kept'}
      and stored as soon as the run has finished. What you see is from before the run.</div>`;
  }
  if (ctx.pending) {
    return `<div class="banner" role="status">${ctx.pending} action${ctx.pending === 1 ? '' : 's'} waiting to be stored.</div>`;
  }
  return '';
}

export function layout(ctx: PageContext, title: string, body: string, opts: { needsReviewer?: boolean } = {}): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><meta name="csrf" content="${esc(ctx.csrf)}"><meta name="referrer" content="no-referrer">
<title>${esc(title)} · Linkages review</title><style nonce="${esc(ctx.nonce)}">${CSS}</style></head>
<body data-needs-reviewer="${opts.needsReviewer ? '1' : '0'}">
<a class="skip" href="#main">Skip to content</a>
<header class="top"><strong>Linkages review</strong>
<nav aria-label="Pages"><a href="/">Queue</a> · <a href="/history">Decisions</a> · <a href="/audit">Audit</a> · <a href="/search">Search</a></nav>
<span class="who">Reviewer: <span id="who-name">…</span> <button type="button" id="who-change">Change</button></span></header>
<main id="main">${banner(ctx)}${body}
<p id="status" role="status" aria-live="polite"></p></main>
<dialog id="who-dialog" aria-labelledby="who-title"><form id="who-form">
<h2 id="who-title">Who is reviewing?</h2><p>Your name is stored with every decision you make. This browser remembers it.</p>
<label for="who-input">Your name</label><input id="who-input" name="reviewer" autocomplete="name" required maxlength="100">
<p><button type="submit">Start</button></p></form></dialog>
<script nonce="${esc(ctx.nonce)}">${SCRIPT}</script></body></html>`;
}

const fmtWeight = (w: number) => `${w >= 0 ? '+' : '−'}${Math.abs(w).toFixed(1)}`;

export interface QueueFilters {
  office: string;
  reason: string;
}

export const filtersQuery = (f: QueueFilters) =>
  [f.office && `office=${encodeURIComponent(f.office)}`, f.reason && `reason=${encodeURIComponent(f.reason)}`].filter(Boolean).join('&');

export function queuePage(ctx: PageContext, all: QueuePair[], shown: QueuePair[], f: QueueFilters, decidedSinceNight: number): string {
  const offices = [...new Set(all.flatMap((p) => [p.calworks_office, p.cws_office]).filter((o): o is string => !!o))].sort();
  const reasons = [...new Set(all.map((p) => p.reason))].sort();
  const option = (v: string, cur: string, label = v) => `<option value="${esc(v)}"${v === cur ? ' selected' : ''}>${esc(label)}</option>`;
  const q = filtersQuery(f);
  const rows = shown
    .map((p) => {
      const w = pairWords(p);
      return `<tr><td>${p.priority}</td><td>${esc(p.consequence)}</td>
<td><a href="/pair?id=${encodeURIComponent(p.pair_id)}${q ? `&amp;${esc(q)}` : ''}">${esc(p.calworks.first_name)} ${esc(p.calworks.last_name)} / ${esc(p.cws.first_name)} ${esc(p.cws.last_name)}</a>
<div class="muted">${esc(p.calworks_person_id)} / ${esc(p.cws_client_id)}</div></td>
<td>${esc(w.headline)}</td><td>${esc(scoreWords(p.probability))}</td><td>${esc(p.calworks_office ?? '')}${p.cws_office && p.cws_office !== p.calworks_office ? ` / ${esc(p.cws_office)}` : ''}</td></tr>`;
    })
    .join('\n');
  const first = shown[0];
  return layout(
    ctx,
    'Queue',
    `<h1>Review queue${ctx.night ? `, night ${esc(ctx.night)}` : ''}</h1>
<p id="left"><strong>${shown.length}</strong> pair${shown.length === 1 ? '' : 's'} left${shown.length !== all.length ? ` (of ${all.length} before filters)` : ''}${decidedSinceNight ? `; ${decidedSinceNight} decided since the night ran` : ''}. The pairs whose decision changes most for a family come first.</p>
<form method="get" action="/" class="actions" aria-label="Filter the queue">
<label for="f-office">Office</label><select id="f-office" name="office">${option('', f.office, 'all offices')}${offices.map((o) => option(o, f.office)).join('')}</select>
<label for="f-reason">Why in the queue</label><select id="f-reason" name="reason">${option('', f.reason, 'all reasons')}${reasons.map((r) => option(r, f.reason)).join('')}</select>
<button type="submit">Filter</button></form>
${first ? `<p><a id="start" href="/pair?id=${encodeURIComponent(first.pair_id)}${q ? `&amp;${esc(q)}` : ''}">Start with the first pair</a> (then <kbd>M</kbd> match, <kbd>N</kbd> no match, <kbd>S</kbd> skip, <kbd>U</kbd> undo).</p>` : '<p id="done">Nothing left to review. Thank you.</p>'}
<table><caption class="sr">Pairs waiting for a decision</caption>
<thead><tr><th scope="col">#</th><th scope="col">What a match would change</th><th scope="col">Pair (CalWORKs / child welfare)</th><th scope="col">Why in the queue</th><th scope="col">Score</th><th scope="col">Office</th></tr></thead>
<tbody>${rows}</tbody></table>`,
  );
}

function segments(s: Segment[]): string {
  return s.map((x) => (x.same ? esc(x.text) : `<mark>${esc(x.text)}</mark>`)).join('');
}

const SIDE_ROWS: [string, string][] = [
  ['first_name', 'First name'],
  ['middle_name', 'Middle name'],
  ['last_name', 'Last name'],
  ['name_suffix', 'Suffix'],
  ['dob', 'Birth date'],
  ['sex', 'Sex'],
  ['ssn_last4', 'SSN (last four)'],
  ['street_address', 'Street address'],
  ['city', 'City'],
  ['zip', 'ZIP'],
  ['phone', 'Phone'],
];

/** Both records side by side; what differs marked letter by letter, and said in words. */
export function sideBySide(l: Record<string, string | null | undefined>, r: Record<string, string | null | undefined>): string {
  const rows = SIDE_ROWS.map(([k, label]) => {
    const a = l[k] ?? '';
    const b = r[k] ?? '';
    const d = charDiff(a, b);
    const word = compareWord(a, b);
    return `<tr><th scope="row">${label}</th><td>${segments(d.a)}</td><td>${segments(d.b)}</td><td class="${word === 'differs' ? 'differs' : word === 'same' ? 'same' : 'muted'}">${word}</td></tr>`;
  }).join('\n');
  return `<table id="records"><caption class="sr">Both records as recorded</caption>
<thead><tr><th scope="col">Field</th><th scope="col">CalWORKs</th><th scope="col">Child welfare</th><th scope="col">Compared</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/**
 * Each field's comparison level and weight as a waterfall: the bars start at
 * the prior (how rare a match is among all possible pairs) and each field
 * moves the running total up or down; the total weight is the score.
 */
export function waterfall(e: Explanation, totalWeight: number, probability: number): string {
  const steps: { label: string; level: string; weight: number }[] = [{ label: 'Starting point', level: 'how rare a true pair is', weight: e.prior_weight }];
  for (const [name, f] of Object.entries(e.fields)) steps.push({ label: FIELD_WORDS[name] ?? name, level: f.label, weight: f.weight });
  let run = 0;
  const bars = steps.map((s) => {
    const from = run;
    run += s.weight;
    return { ...s, from, to: run };
  });
  const ends = [0, totalWeight, ...bars.flatMap((b) => [b.from, b.to])];
  const lo = Math.min(...ends);
  const hi = Math.max(...ends);
  const W = 260;
  const x = (v: number) => ((v - lo) / (hi - lo || 1)) * W;
  const bar = (from: number, to: number, cls: 'up' | 'down' | 'total') => {
    const fill = cls === 'up' ? '#0b6b2f' : cls === 'down' ? '#a11b1b' : '#0b4f8a';
    const x0 = Math.min(x(from), x(to));
    return `<svg class="bar" width="${W + 2}" height="18" aria-hidden="true"><line x1="${x(0).toFixed(1)}" x2="${x(0).toFixed(1)}" y1="0" y2="18" stroke="#767676"/><rect x="${x0.toFixed(1)}" y="3" width="${Math.max(1.5, Math.abs(x(to) - x(from))).toFixed(1)}" height="12" fill="${fill}"/></svg>`;
  };
  const rows = bars
    .map(
      (b) =>
        `<tr><th scope="row">${esc(b.label)}</th><td>${esc(b.level)}</td><td>${fmtWeight(b.weight)}</td><td>${b.weight === 0 ? '<span class="muted">counts nothing</span>' : bar(b.from, b.to, b.weight > 0 ? 'up' : 'down')}</td></tr>`,
    )
    .join('\n');
  return `<table id="waterfall"><caption>How each field moved the score (weights in bits: +1 doubles the odds, −1 halves them)</caption>
<thead><tr><th scope="col">Field</th><th scope="col">Comparison</th><th scope="col">Weight</th><th scope="col">Running total</th></tr></thead>
<tbody>${rows}
<tr><th scope="row">Total</th><td>score ${esc(scoreWords(probability))} (${probability.toFixed(3)})</td><td>${fmtWeight(totalWeight)}</td><td>${bar(0, totalWeight, 'total')}</td></tr></tbody></table>
<p class="muted">The total weight turns into the score: ${fmtWeight(totalWeight)} bits is odds of about ${oddsWords(totalWeight)}, a score of ${weightToProbability(totalWeight).toFixed(3)}. The score says how alike the records look; relatives who live together look alike too.</p>`;
}

function oddsWords(w: number): string {
  const odds = 2 ** Math.abs(w);
  const n = odds >= 1000 ? `${Math.round(odds).toLocaleString('en-US')}` : odds.toFixed(1);
  return w >= 0 ? `${n} to 1 for` : `${n} to 1 against`;
}

/** First and last word of a name, for "the same child on both sides" (middle names are often left out on one). */
const nameKey = (name: string) => {
  const w = name
    .toUpperCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/\s+/)
    .filter(Boolean);
  return w.length ? `${w[0]} ${w[w.length - 1]}` : '';
};

function family(title: string, members: Member[], focusId: string, otherIds: Map<string, Member>): string {
  if (!members.length) return `<section><h3>${esc(title)}</h3><p class="muted">No family on record this night.</p></section>`;
  const rows = members
    .map((m) => {
      const also = [...otherIds.values()].find((o) => o.dob !== null && o.dob === m.dob && nameKey(o.name) === nameKey(m.name));
      const matchWords = m.linked.length
        ? `linked to ${m.linked.map(esc).join(', ')}`
        : also
          ? `same first and last name and birth date as ${esc(also.id)}`
          : '';
      return `<tr${m.id === focusId ? ' aria-current="true"' : ''}><td>${esc(m.id)}${m.id === focusId ? ' <strong>(this person)</strong>' : ''}</td><td>${esc(m.role)}</td><td>${esc(m.name)}</td><td>${esc(m.dob ?? '')}</td><td>${esc(m.group)}</td><td>${matchWords}</td></tr>`;
    })
    .join('\n');
  return `<section><h3>${esc(title)}</h3><table><thead><tr><th scope="col">Id</th><th scope="col">Role</th><th scope="col">Name</th><th scope="col">Birth date</th><th scope="col">Case / referral</th><th scope="col">In the other family</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

export function familiesHtml(p: QueuePair, f: Families | null): string {
  if (!f) return `<h2>The two families</h2><p class="muted">Not available while the nightly run holds the database.</p>`;
  const byId = (ms: Member[]) => new Map(ms.map((m) => [m.id, m]));
  return `<h2>The two families</h2><div class="cols">
${family(`CalWORKs case ${p.calworks_cases}`, f.calworks, p.calworks_person_id, byId(f.cws))}
${family(`Child-welfare referral ${p.cws_cases}`, f.cws, p.cws_client_id, byId(f.calworks))}</div>`;
}

function decisionsTable(ds: DecisionRecord[]): string {
  if (!ds.length) return '<p class="muted">No decision on record.</p>';
  return `<table><thead><tr><th scope="col">When (UTC)</th><th scope="col">Pair</th><th scope="col">Decision</th><th scope="col">Who</th><th scope="col">From</th></tr></thead><tbody>${ds
    .map(
      (d) =>
        `<tr><td>${esc(d.decided_at)}</td><td>${esc(d.calworks_person_id)} / ${esc(d.cws_client_id)}</td><td>${esc(d.decision)}</td><td>${esc(d.reviewer ?? '')}</td><td>${esc(d.source_file ?? '')}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

export function historyPage(ctx: PageContext, ds: DecisionRecord[] | null): string {
  return layout(
    ctx,
    'Decisions',
    `<h1>Latest decisions</h1><p>Every decision on record, newest first, from this page and from imported files. The latest one on a pair is in force; to change your mind, decide the pair again (or import the other decision).</p>
${ds === null ? '<p class="muted">Not available while the nightly run holds the database.</p>' : decisionsTable(ds)}`,
  );
}

export interface PairView {
  pair: QueuePair;
  position: number;
  left: number;
  families: Families | null;
  /** Earlier decisions on either person of the pair (another pair of theirs, a changed mind). */
  history: DecisionRecord[];
  notes: { note: string; reviewer: string | null; noted_at: string }[];
  filters: QueueFilters;
  skipUrl: string;
}

export function pairPage(ctx: PageContext, v: PairView): string {
  const p = v.pair;
  const w = pairWords(p);
  const fq = filtersQuery(v.filters);
  return layout(
    ctx,
    `Pair ${p.calworks_person_id} / ${p.cws_client_id}`,
    `<article id="pair" data-l="${esc(p.calworks_person_id)}" data-r="${esc(p.cws_client_id)}" data-pair="${esc(p.pair_id)}" data-filters="${esc(fq)}" data-skip="${esc(v.skipUrl)}">
<p class="muted">Pair ${v.position} of ${v.left} left · priority ${p.priority} · <a href="/${fq ? `?${esc(fq)}` : ''}">back to the queue</a></p>
<h1>${esc(p.calworks_person_id)} (CalWORKs) and ${esc(p.cws_client_id)} (child welfare): the same person?</h1>
<p class="headline" id="headline">${esc(w.headline)}</p>
<p id="score-words">${esc(w.score)}</p>
<p>${esc(w.evidence)}</p>
<p><strong>If they match:</strong> ${esc(p.consequence)}${p.current_tier ? ` (the CalWORKs case is ${esc(p.current_tier)} now)` : ''}.</p>
<div class="actions" role="group" aria-label="Decision">
<button type="button" class="match" data-decide="MATCH" aria-keyshortcuts="M">Same person: MATCH <kbd>M</kbd></button>
<button type="button" class="nomatch" data-decide="NO_MATCH" aria-keyshortcuts="N">Not the same: NO_MATCH <kbd>N</kbd></button>
<button type="button" data-skip aria-keyshortcuts="S">Skip for now <kbd>S</kbd></button>
<button type="button" data-undo aria-keyshortcuts="U">Undo my last decision <kbd>U</kbd></button>
</div>
<label for="note">Note (kept with the decision; optional)</label><textarea id="note" maxlength="2000"></textarea>
<p><button type="button" id="save-note">Save the note without deciding</button></p>
${v.notes.length ? `<h2>Notes</h2><ul>${v.notes.map((n) => `<li>${esc(n.noted_at)} ${esc(n.reviewer ?? '')}: ${esc(n.note)}</li>`).join('')}</ul>` : ''}
<h2>The two records</h2>
${sideBySide(p.calworks, p.cws)}
<h2>How the score was reached</h2>
${waterfall(p.explanation, p.weight, p.probability)}
${familiesHtml(p, v.families)}
<h2>Decisions on record for these two people</h2>
${decisionsTable(v.history)}
</article>`,
    { needsReviewer: true },
  );
}

export function messagePage(ctx: PageContext, title: string, message: string): string {
  return layout(ctx, title, `<h1>${esc(title)}</h1><p>${message}</p><p><a href="/">Back to the queue</a></p>`);
}

export function auditPage(
  ctx: PageContext,
  night: string | null,
  size: number,
  items: AuditItem[] | null,
  byNight: { night: string; audited: number; confirmed: number; auto_links: number }[] | null,
): string {
  const rows = (items ?? [])
    .map((it) => {
      const c = it.calworks;
      const r = it.cws;
      return `<tr data-night="${esc(night)}" data-l="${esc(it.calworks_person_id)}" data-r="${esc(it.cws_client_id)}">
<td>${esc(it.calworks_person_id)}<br>${esc(c.name)}<br>${esc(c.dob)} · SSN ${esc(c.ssn_last4 ?? '—')}<br><span class="muted">${esc(c.address)}</span></td>
<td>${esc(it.cws_client_id)}<br>${esc(r.name)}<br>${esc(r.dob)} · SSN ${esc(r.ssn_last4 ?? '—')}<br><span class="muted">${esc(r.address)}</span></td>
<td>${esc(scoreWords(it.probability))}; <a href="/mc/${encodeURIComponent(it.mutual_client_id)}">${esc(it.mutual_client_id)}</a></td>
<td class="verdict">${esc(it.verdict ?? 'not checked')}${it.reviewer ? ` (${esc(it.reviewer)})` : ''}</td>
<td><button type="button" data-audit="CONFIRMED">Right</button> <button type="button" data-audit="REJECTED">Wrong (NO_MATCH)</button></td></tr>`;
    })
    .join('\n');
  const nights = (byNight ?? [])
    .map((n) => {
      const e = estimatePrecision(n.confirmed, n.audited);
      return `<tr><td>${esc(n.night)}</td><td>${n.auto_links}</td><td>${n.audited}</td><td>${n.confirmed}</td><td>${esc(precisionWords(e))}</td></tr>`;
    })
    .join('');
  return layout(
    ctx,
    'Audit',
    `<h1>Audit of the automatic links${night ? `, night ${esc(night)}` : ''}</h1>
<p>A random sample of ${size} of the night's automatic links (the same sample on every visit). Check each: is it the same person?
"Wrong" records a NO_MATCH decision, so the pair is never linked again. The checked share that was right estimates how often the automatic links are right.</p>
${items === null ? '<p class="muted">Not available while the nightly run holds the database.</p>' : `<table id="audit"><caption class="sr">Sampled automatic links</caption><thead><tr><th scope="col">CalWORKs</th><th scope="col">Child welfare</th><th scope="col">Score; mutual client</th><th scope="col">Checked</th><th scope="col">Is it the same person?</th></tr></thead><tbody>${rows}</tbody></table>`}
<h2>Estimated precision by night</h2>
${byNight === null ? '<p class="muted">Not available while the nightly run holds the database.</p>' : byNight.length ? `<table id="precision"><thead><tr><th scope="col">Night</th><th scope="col">Automatic links</th><th scope="col">Checked</th><th scope="col">Right</th><th scope="col">Estimate</th></tr></thead><tbody>${nights}</tbody></table>` : '<p>No link checked yet.</p>'}`,
    { needsReviewer: true },
  );
}

export function mutualClientPage(ctx: PageContext, v: MutualClientView): string {
  const rec = (rows: Record<string, string | null>[], cols: [string, string][]) =>
    rows.length
      ? `<table><thead><tr>${cols.map(([, h]) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>${rows
          .map((r) => `<tr>${cols.map(([k]) => `<td>${esc(r[k] ?? '')}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`
      : '<p class="muted">None.</p>';
  const reg = v.registry;
  const history = reg
    ? `<ul><li>Created on ${esc(reg.created_on)}${reg.predecessors.length ? `, replacing ${reg.predecessors.map((p) => `<a href="/mc/${encodeURIComponent(p)}">${esc(p)}</a>`).join(', ')}` : ''}.</li>
${reg.retired_on ? `<li>Retired on ${esc(reg.retired_on)} (${esc(reg.retire_reason)})${reg.successors.length ? `, continued as ${reg.successors.map((p) => `<a href="/mc/${encodeURIComponent(p)}">${esc(p)}</a>`).join(', ')}` : ''}.</li>` : '<li>Active.</li>'}</ul>`
    : '';
  const links = v.links
    .map(
      (l) =>
        `<tr><td>${esc(l.calworks_person_id)}</td><td>${esc(l.cws_client_id)}</td><td>${esc(l.decision)}</td><td>${fmtWeight(l.weight)} (score ${esc(scoreWords(l.probability))})</td><td>${Object.entries(
          l.explanation.fields,
        )
          .filter(([, f]) => f.label !== 'missing')
          .map(([k, f]) => `${esc(FIELD_WORDS[k] ?? k)}: ${esc(f.label)} (${fmtWeight(f.weight)})`)
          .join('; ')}</td></tr>`,
    )
    .join('');
  return layout(
    ctx,
    `Mutual client ${v.id}`,
    `<h1>Mutual client ${esc(v.id)}</h1><p>${v.night ? `Records as of night ${esc(v.night)}.` : 'No records on any retained night.'}</p>
<h2>History</h2>${history}
<h2>CalWORKs records</h2>${rec(v.calworks, [
      ['id', 'Person'],
      ['case_number', 'Case'],
      ['case_status', 'Status'],
      ['role', 'Role'],
      ['name', 'Name'],
      ['dob', 'Birth date'],
      ['ssn_last4', 'SSN (last four)'],
      ['street_address', 'Address'],
      ['zip', 'ZIP'],
      ['office', 'Office'],
      ['worker_name', 'Worker'],
    ])}
<h2>Child-welfare records</h2>${rec(v.cws, [
      ['id', 'Client'],
      ['referral_id', 'Referral'],
      ['case_id', 'Case'],
      ['service_component', 'Service'],
      ['case_status', 'Status'],
      ['role', 'Role'],
      ['name', 'Name'],
      ['dob', 'Birth date'],
      ['ssn_last4', 'SSN (last four)'],
      ['street_address', 'Address'],
      ['zip', 'ZIP'],
      ['sensitivity', 'Sensitivity'],
      ['worker_name', 'Worker'],
    ])}
<h2>Links</h2>${links ? `<table><thead><tr><th scope="col">CalWORKs</th><th scope="col">Child welfare</th><th scope="col">Decision</th><th scope="col">Weight</th><th scope="col">Fields</th></tr></thead><tbody>${links}</tbody></table>` : '<p class="muted">None this night.</p>'}
<h2>Decisions</h2>${decisionsTable(v.decisions)}`,
  );
}

export function searchPage(ctx: PageContext, q: string, by: string, names: SearchHit[] | null, ids: IdHit[] | null): string {
  const nameRows = (names ?? [])
    .map(
      (h) =>
        `<tr><td>${h.score.toFixed(2)}</td><td>${esc(h.system)}</td><td>${esc(h.person_id)}</td><td>${esc(h.role)}</td><td>${esc(h.name)}${h.sensitive ? ' (sensitive)' : ''}</td><td>${esc(h.dob ?? '')}</td><td>${esc(h.cases.join(', '))}</td><td>${h.mutual_client_id ? `<a href="/mc/${encodeURIComponent(h.mutual_client_id)}">${esc(h.mutual_client_id)}</a>` : ''}</td><td>${esc(h.linked_ids.join(', '))}</td></tr>`,
    )
    .join('');
  const idRows = (ids ?? [])
    .map(
      (h) =>
        `<tr><td>${esc(h.system)}</td><td>${h.system === 'MUTUAL_CLIENT' ? `<a href="/mc/${encodeURIComponent(h.id)}">${esc(h.id)}</a>` : esc(h.id)}</td><td>${esc(h.name)}</td><td>${esc(h.dob ?? '')}</td><td>${esc(h.what)}</td><td>${h.mutual_client_id ? `<a href="/mc/${encodeURIComponent(h.mutual_client_id)}">${esc(h.mutual_client_id)}</a>` : ''}</td></tr>`,
    )
    .join('');
  const results =
    names !== null
      ? names.length
        ? `<table id="results"><thead><tr><th scope="col">Score</th><th scope="col">System</th><th scope="col">Id</th><th scope="col">Role</th><th scope="col">Name</th><th scope="col">Birth date</th><th scope="col">Cases</th><th scope="col">Mutual client</th><th scope="col">Linked on the other side</th></tr></thead><tbody>${nameRows}</tbody></table>`
        : '<p>Nobody found.</p>'
      : ids !== null
        ? ids.length
          ? `<table id="results"><thead><tr><th scope="col">System</th><th scope="col">Id</th><th scope="col">Name</th><th scope="col">Birth date</th><th scope="col">What</th><th scope="col">Mutual client</th></tr></thead><tbody>${idRows}</tbody></table>`
          : '<p>Nothing has that id.</p>'
        : q
          ? '<p class="muted">Not available while the nightly run holds the database.</p>'
          : '';
  return layout(
    ctx,
    'Search',
    `<h1>Search</h1><form method="get" action="/search" class="actions" role="search">
<label for="q">Name, or id</label><input id="q" name="q" value="${esc(q)}" size="30">
<label for="by">Search by</label><select id="by" name="by"><option value="name"${by !== 'id' ? ' selected' : ''}>name (typos and nicknames allowed)</option><option value="id"${by === 'id' ? ' selected' : ''}>person, client, case, referral or mutual-client id</option></select>
<button type="submit">Search</button></form>${results}`,
  );
}
