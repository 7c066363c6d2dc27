/**
 * Two generated nights through the whole pipeline, checked against the
 * generator's truth (src/synth/oracle.ts, independent of the SQL):
 *   - with the true links instead of matching, tiers and events are exactly the truth;
 *   - with real matching, tiers and events are nearly the truth (matching errors propagate);
 *   - night 2 never repeats an event_id of night 1;
 *   - assignment rules hold on the outputs; unknown CalWORKs workers reach the regional
 *     contact; SENSITIVE clients reach CalWORKs staff only as "contact the Linkages
 *     coordinator"; SEALED clients appear in no output file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import { formatScore, scoreNight, type NightScore } from '../../src/notify/evaluate.js';
import { withTempDir } from '../helpers/db.js';
import { makeNights, NIGHT1, NIGHT2, readCsvRows, runNight, runNightWithTruthLinks } from './nights.helpers.js';
import { persistedViolations } from '../helpers/contracts.js';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import Papa from 'papaparse';
import { tmpdir } from 'node:os';

const FAMILIES = 1500;
const SEED = 20261;

let tmp: string;
let data: string[];
let scoreDb: Db;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'linkages-nights-'));
  data = await makeNights(join(tmp, 'data'), FAMILIES, SEED);
  scoreDb = await openDatabase(':memory:', { threads: 2, memoryLimit: '1GB' });
});

afterAll(() => {
  scoreDb?.close();
  if (process.env.KEEP_TMP !== '1') rmSync(tmp, { recursive: true, force: true });
});

const exactly = (s: NightScore) => {
  expect(s.falsePositives, 'events emitted that the truth does not have').toEqual([]);
  expect(s.falseNegatives, 'true events not emitted').toEqual([]);
  expect(s.tierAccuracy).toBe(1);
};

describe('two nights with the true links', () => {
  it('tiers and events equal the truth exactly, and night 2 repeats no event_id', async () => {
    await withTempDir(async (dir) => {
      const db = await openDatabase(join(dir, 'l.duckdb'), { threads: 2, memoryLimit: '2GB' });
      try {
        await runNightWithTruthLinks(db, data[0]!, join(dir, 'out'));
        await runNightWithTruthLinks(db, data[1]!, join(dir, 'out'));
      } finally {
        db.close();
      }
      const n1 = await scoreNight(scoreDb, join(dir, 'out', NIGHT1), data[0]!);
      const n2 = await scoreNight(scoreDb, join(dir, 'out', NIGHT2), data[1]!);
      exactly(n1);
      exactly(n2);
      expect(
        Object.entries(n1.events)
          .filter(([, e]) => e.emitted > 0)
          .map(([t]) => t)
          .sort(),
      ).toEqual(['NEW_MUTUAL_CLIENT', 'OVER_SCHEDULED']);
      // Every kind of change made on night 2 caused its event.
      for (const type of [
        'NEW_MUTUAL_CLIENT',
        'NEW_REFERRAL',
        'CHILD_REMOVED',
        'CWS_CASE_OPENED',
        'CWS_CASE_CLOSED',
        'CALWORKS_DISCONTINUED',
        'SIGNIFICANT_CHANGE',
        'TIER_CHANGED',
      ]) {
        expect(n2.events[type]!.truth, type).toBeGreaterThan(0);
      }
      const changes = readCsvRows(join(data[1]!, 'truth_changes.csv'));
      const emitted = new Set(readCsvRows(join(dir, 'out', NIGHT2, 'notifications.csv')).map((r) => `${r.event_type}|${r.case_number}|${r.subject_key}`));
      for (const c of changes.filter((x) => x.expected_event)) {
        expect(emitted.has(`${c.expected_event}|${c.case_number}|${c.subject}`), `${c.change} ${c.detail}`).toBe(true);
      }
      expect(changes.filter((x) => x.change!.startsWith('churn')).length).toBeGreaterThan(0);
      expect(n2.eventIds.filter((id) => n1.eventIds.includes(id))).toEqual([]);
    });
  });
});

/** Night 2 as another export would write it: other date format, spelled-out street words, formatted phones. */
function rewriteNight(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  const dates = ['extract_date', 'dob', 'status_date', 'referral_date', 'case_open_date', 'case_close_date', 'removal_date'];
  const words: [RegExp, string][] = [
    [/ ST\b\.?/g, ' STREET'],
    [/ AVE\b\.?/g, ' AVENUE'],
    [/ STREET\b/g, ' ST.'],
    [/ APT /g, ' # '],
  ];
  for (const f of ['calworks.csv', 'cws.csv']) {
    const rows = readCsvRows(join(from, f));
    for (const r of rows) {
      for (const c of dates) {
        const v = r[c] ?? '';
        let m: RegExpExecArray | null;
        if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v))) r[c] = `${m[2]}/${m[3]}/${m[1]}`;
        else if ((m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v))) r[c] = `${m[3]}-${m[1]}-${m[2]}`;
      }
      if (r.street_address) {
        const [re, to2] = words[(r.street_address.length + 1) % words.length]!;
        r.street_address = r.street_address.replace(re, to2);
      }
      const digits = (r.phone ?? '').replace(/\D/g, '');
      if (digits.length === 10) r.phone = `${digits.slice(0, 3)}.${digits.slice(3, 6)}.${digits.slice(6)}`;
    }
    writeFileSync(join(to, f), `${Papa.unparse(rows, { newline: '\n' })}\n`);
  }
  for (const f of ['workers.csv', 'contacts.csv', 'truth.csv']) copyFileSync(join(from, f), join(to, f));
}

describe('night 2 written in other formats (parsed values are compared, not text)', () => {
  it('with the true links, still exactly the truth of night 2', async () => {
    await withTempDir(async (dir) => {
      rewriteNight(data[1]!, join(dir, 'night-2'));
      const db = await openDatabase(join(dir, 'l.duckdb'), { threads: 2, memoryLimit: '2GB' });
      try {
        await runNightWithTruthLinks(db, data[0]!, join(dir, 'out'));
        await runNightWithTruthLinks(db, join(dir, 'night-2'), join(dir, 'out'));
      } finally {
        db.close();
      }
      exactly(await scoreNight(scoreDb, join(dir, 'out', NIGHT2), data[1]!));
    });
  });
});

describe('two nights through the real pipeline (built CLI)', () => {
  let dir: string;
  let n1: NightScore;
  let n2: NightScore;
  const out = () => join(dir, 'out');

  beforeAll(() => {
    dir = join(tmp, 'cli');
    for (const d of data) {
      const r = runNight(d, join(dir, 'l.duckdb'), out());
      expect(r.code, r.stderr).toBe(0);
    }
  });

  it('tiers and events nearly equal the truth; night 2 repeats no event_id', async () => {
    n1 = await scoreNight(scoreDb, join(out(), NIGHT1), data[0]!);
    n2 = await scoreNight(scoreDb, join(out(), NIGHT2), data[1]!);
    if (process.env.SHOW_SCORES) process.stdout.write(`${formatScore('night 1', n1)}\n${formatScore('night 2', n2)}\n`);
    expect(n1.tierAccuracy).toBeGreaterThanOrEqual(0.99);
    expect(n2.tierAccuracy).toBeGreaterThanOrEqual(0.99);
    for (const s of [n1, n2]) {
      const all = Object.values(s.events);
      const tp = all.reduce((a, e) => a + e.tp, 0);
      const truth = all.reduce((a, e) => a + e.truth, 0);
      const emitted = all.reduce((a, e) => a + e.emitted, 0);
      expect((2 * tp) / (truth + emitted)).toBeGreaterThanOrEqual(0.95);
      for (const [type, e] of Object.entries(s.events)) if (e.truth >= 5) expect(e.f1, type).toBeGreaterThanOrEqual(0.8);
    }
    expect(n2.eventIds.filter((id) => n1.eventIds.includes(id))).toEqual([]);
  });

  it('every mart holds its table contract on both nights (grain, not-null, allowed values)', async () => {
    const db = await openDatabase(join(dir, 'l.duckdb'), { threads: 2, memoryLimit: '1GB' });
    try {
      expect(await persistedViolations(db, [NIGHT1, NIGHT2])).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('every new mutual client is assigned or listed unassigned with a reason; nobody above capacity; language honoured', () => {
    const workers = readCsvRows(join(data[1]!, 'workers.csv'));
    const capacity = new Map(workers.map((w) => [w.worker_id!, Number(w.capacity)]));
    for (const night of [NIGHT1, NIGHT2]) {
      const mcs = readCsvRows(join(out(), night, 'mutual_clients.csv'));
      const listed = new Map(readCsvRows(join(out(), night, 'assignments.csv')).map((a) => [a.mutual_client_id!, a]));
      for (const m of mcs.filter((x) => x.new_tonight === 'Y')) {
        const a = listed.get(m.mutual_client_id!);
        expect(a, m.mutual_client_id).toBeDefined();
        expect(a!.reason!.length).toBeGreaterThan(0);
        if (a!.status === 'UNASSIGNED') expect(a!.worker_id).toBe('');
      }
      const load = new Map<string, number>();
      for (const m of mcs) if (m.linkages_worker_id) load.set(m.linkages_worker_id, (load.get(m.linkages_worker_id) ?? 0) + 1);
      for (const [w, n] of load) expect(n, w).toBeLessThanOrEqual(capacity.get(w)!);
      // "nobody with room speaks X" must still be true at the end of the night (loads only grow).
      const langs = new Map(workers.map((w) => [w.worker_id!, w.languages!.split(';')]));
      for (const a of listed.values()) {
        const m = /no worker with room speaks ([A-Z]+)/.exec(a.reason!);
        if (!m) continue;
        for (const [w, ls] of langs) if (ls.includes(m[1]!)) expect(load.get(w) ?? 0, `${w} speaks ${m[1]}`).toBe(capacity.get(w));
      }
      const unassigned = [...listed.values()].filter((a) => a.status === 'UNASSIGNED');
      const coordinator = readCsvRows(join(out(), night, 'notifications.csv')).filter((n) => n.recipient_role!.includes('LINKAGES_COORDINATOR'));
      for (const a of unassigned) expect(coordinator.some((n) => n.details!.includes(`Mutual client ${a.mutual_client_id} has no Linkages worker`))).toBe(true);
    }
  });

  it('cases without a known CalWORKs worker reach the regional contact of their office', () => {
    const rows = readCsvRows(join(data[0]!, 'calworks.csv'));
    const unknown = new Map(rows.filter((r) => !r.worker_id && !r.worker_email).map((r) => [r.case_number!, r.office!]));
    const contacts = new Map(readCsvRows(join(data[0]!, 'contacts.csv')).map((c) => [c.office!, c.contact_email!]));
    const notes = readCsvRows(join(out(), NIGHT1, 'notifications.csv'));
    const hits = notes.filter((n) => unknown.has(n.case_number!) && n.recipient_role === 'REGIONAL_CONTACT');
    expect(hits.length).toBeGreaterThan(0);
    for (const n of hits) expect(n.recipient_email).toBe(contacts.get(unknown.get(n.case_number!)!));
    expect(notes.filter((n) => unknown.has(n.case_number!) && n.recipient_role === 'CALWORKS_WORKER')).toEqual([]);
  });

  it('SENSITIVE clients reach CalWORKs staff only as "contact the Linkages coordinator"; SEALED clients appear nowhere', () => {
    for (const night of [NIGHT1, NIGHT2]) {
      const sensitiveCases = new Set(
        readCsvRows(join(out(), night, 'mutual_clients.csv'))
          .filter((m) => m.sensitive === 'Y')
          .flatMap((m) => m.case_numbers!.split(';')),
      );
      for (const n of readCsvRows(join(out(), night, 'notifications.csv'))) {
        if (!/CALWORKS_WORKER|REGIONAL_CONTACT/.test(n.recipient_role!) || !sensitiveCases.has(n.case_number!)) continue;
        expect(n.details).toMatch(/^Sensitive child-welfare record: contact the Linkages coordinator/);
        expect(['NEW_REFERRAL', 'CHILD_REMOVED', 'CWS_CASE_OPENED', 'CWS_CASE_CLOSED']).not.toContain(n.event_type);
      }
    }
    const sealed = [
      ...new Set(
        readCsvRows(join(data[1]!, 'cws.csv'))
          .filter((r) => r.sensitivity === 'SEALED')
          .map((r) => r.client_id!),
      ),
    ];
    expect(sealed.length).toBeGreaterThan(0);
    for (const night of [NIGHT1, NIGHT2]) {
      for (const f of ['tiers.csv', 'mutual_clients.csv', 'calworks_screening.csv', 'assignments.csv', 'notifications.csv', 'links.csv']) {
        const text = readFileSync(join(out(), night, f), 'utf8');
        for (const id of sealed) expect(text.includes(id), `${id} in ${night}/${f}`).toBe(false);
      }
    }
  });
});
