/**
 * The review page's pure parts and its store: the plain words a coordinator
 * reads (never a bare percentage; the twins-or-sisters pattern), the letter
 * diff, the Wilson interval on known samples, the guards, and the journal of
 * actions replayed without storing anything twice.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { charDiff, compareWord } from '../../src/review/page/diff.js';
import { estimatePrecision, precisionWords, wilsonInterval } from '../../src/review/page/precision.js';
import { allowedHosts, hostAllowed, isLoopback, postAllowed } from '../../src/review/page/safety.js';
import { pairWords, pairWordsLine, scoreWords, type Explanation } from '../../src/review/page/words.js';
import { Journal, type PageOp } from '../../src/review/page/journal.js';
import { applyOps } from '../../src/review/page/store.js';
import { withConnection, withTempDir } from '../helpers/db.js';

const fields = (f: Record<string, [string, number]>): Explanation => ({
  prior_weight: -10,
  fields: Object.fromEntries(Object.entries(f).map(([k, [label, weight]]) => [k, { level: 0, label, weight }])),
});

describe('plain words', () => {
  const sisters = {
    probability: 0.995,
    reason: 'name, birth date or SSN weigh against the pair',
    explanation: fields({
      first_name: ['different', -6],
      last_name: ['exact', 8],
      dob: ['exact', 12],
      household: ['phone and address', 9],
      ssn: ['missing', 0],
    }),
    calworks: { first_name: 'ANA', sex: 'F' },
    cws: { first_name: 'MARIA', sex: 'F' },
  };

  it('says why two sisters were held although the score is high, without a percentage', () => {
    const w = pairWords(sisters);
    expect(w.headline).toBe('These two share an address and a birthday but not a first name: often twins or sisters.');
    expect(w.score).toMatch(/^Held although the score is very high, because the person's own details/);
    expect(w.evidence).toBe('For: birth date (exact), family, address and phone (phone and address) and last name (exact). Against: first name (different).');
    expect(pairWordsLine(sisters)).not.toMatch(/%|0\.995|99\.5/);
  });

  it('names the parent and grown child of the same name, and the band pairs', () => {
    const jr = pairWords({
      ...sisters,
      reason: 'probability in the review band',
      probability: 0.4,
      explanation: fields({ first_name: ['exact', 5], last_name: ['exact', 8], dob: ['different', -8], household: ['a family member in common', 9] }),
      calworks: { sex: 'M' },
      cws: { sex: 'M' },
    });
    expect(jr.headline).toMatch(/parent and a grown child of the same name/);
    expect(jr.score).toMatch(/^Sent to you because the score \(low\) is below the level/);
    const unconfirmed = pairWords({
      ...sisters,
      explanation: fields({ first_name: ['exact', 5], last_name: ['exact', 8], dob: ['missing', 0], ssn: ['missing', 0] }),
    });
    expect(unconfirmed.headline).toMatch(/^The names agree, but no birth date or SSN is on both records/);
    expect([0.999, 0.95, 0.6, 0.2, 0.01].map(scoreWords)).toEqual(['very high', 'high', 'middling', 'low', 'very low']);
  });
});

describe('letter diff', () => {
  it('marks only the letters that differ, ignoring case', () => {
    expect(charDiff('MARIA', 'MAIRA')).toEqual({
      a: [
        { text: 'MA', same: true },
        { text: 'R', same: false },
        { text: 'IA', same: true },
      ],
      b: [
        { text: 'MAI', same: true },
        { text: 'R', same: false },
        { text: 'A', same: true },
      ],
    });
    expect(charDiff('Smith', 'SMITH').a).toEqual([{ text: 'Smith', same: true }]);
    expect(charDiff('1985-04-07', '1985-07-04').a.filter((s) => !s.same).length).toBeGreaterThan(0);
    expect(charDiff('01234', '01243').b).toEqual([
      { text: '0124', same: true },
      { text: '3', same: false },
    ]);
  });

  it('marks an unrelated value whole, and says same / differs / missing in words', () => {
    expect(charDiff('589 MADISON ST', '1684 Tampa Avenue')).toEqual({
      a: [{ text: '589 MADISON ST', same: false }],
      b: [{ text: '1684 Tampa Avenue', same: false }],
    });
    expect([compareWord('A', 'a'), compareWord('A', 'B'), compareWord('', 'B'), compareWord(null, undefined)]).toEqual([
      'same',
      'differs',
      'one side missing',
      'both missing',
    ]);
  });
});

describe('precision of the automatic links', () => {
  it('gives the Wilson 95% interval of known samples', () => {
    // 29 of 30 right: 83.3% to 99.4%; 9 of 10: 59.6% to 98.2%; 10 of 10: 72.2% to 100%
    const r = (x: { low: number; high: number } | null) => x && [Number(x.low.toFixed(4)), Number(x.high.toFixed(4))];
    expect(r(wilsonInterval(29, 30))).toEqual([0.8333, 0.9941]);
    expect(r(wilsonInterval(9, 10))).toEqual([0.5958, 0.9821]);
    expect(r(wilsonInterval(10, 10))).toEqual([0.7225, 1]);
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(precisionWords(estimatePrecision(29, 30))).toBe('29 of 30 checked links were right: about 96.7% (95% interval 83.3% to 99.4%)');
  });
});

describe('guards', () => {
  it('tells loopback from other addresses, and answers only its own Host names', () => {
    expect(['127.0.0.1', 'localhost', '::1', '127.0.0.2'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['0.0.0.0', '10.1.2.3', 'review.county.local'].map(isLoopback)).toEqual([false, false, false]);
    const hosts = allowedHosts('127.0.0.1', 7411);
    expect(hostAllowed('localhost:7411', hosts)).toBe(true);
    expect(hostAllowed('evil.example:7411', hosts)).toBe(false);
    expect(hostAllowed(undefined, hosts)).toBe(false);
  });

  it('lets a POST through only from the same origin, with the CSRF token, as JSON', () => {
    const good = { origin: 'http://127.0.0.1:7411', host: '127.0.0.1:7411', csrf: 'tok', contentType: 'application/json' };
    expect(postAllowed(good, 'tok')).toEqual({ ok: true });
    expect(postAllowed({ ...good, origin: 'http://evil.example' }, 'tok').ok).toBe(false);
    expect(postAllowed({ ...good, origin: undefined }, 'tok').ok).toBe(false);
    expect(postAllowed({ ...good, csrf: 'other' }, 'tok').ok).toBe(false);
    expect(postAllowed({ ...good, contentType: 'text/plain' }, 'tok').ok).toBe(false);
  });
});

describe('the journal of page actions', () => {
  const at = '2026-11-21T09:15:00.000Z';
  const decision = (op_id: string, l: string, decision: 'MATCH' | 'NO_MATCH'): PageOp => ({
    kind: 'decision',
    op_id,
    calworks_person_id: l,
    cws_client_id: `C-${l}`,
    decision,
    reviewer: 'A. Ruiz',
    at,
  });

  it('survives a restart (written temp-then-rename) and forgets only what was stored', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'db.duckdb.review-pending.json');
      const j = new Journal(path);
      j.add(decision('a', 'P1', 'MATCH'));
      j.add(decision('b', 'P2', 'NO_MATCH'));
      const again = new Journal(path);
      expect(again.pending.map((o) => o.op_id)).toEqual(['a', 'b']);
      again.remove(new Set(['a']));
      expect(new Journal(path).pending.map((o) => o.op_id)).toEqual(['b']);
    });
  });

  it('stores decisions as review import does, takes one back on undo, and applies a replayed journal once', async () => {
    await withConnection(async (db) => {
      const ops: PageOp[] = [
        decision('a', 'P1', 'MATCH'),
        decision('b', 'P2', 'NO_MATCH'),
        { kind: 'undo', op_id: 'c', target: 'b', reviewer: 'A. Ruiz', at },
        { kind: 'note', op_id: 'd', calworks_person_id: 'P1', cws_client_id: 'C-P1', note: 'same mother on both', reviewer: 'A. Ruiz', at },
      ];
      const first = await applyOps(db, ops);
      expect(first.decisions).toBe(2);
      // a crash after the commit and before the journal was cleared: the same actions again
      const replay = await applyOps(db, ops);
      expect(replay.decisions).toBe(0);
      expect([...replay.done]).toEqual(['a', 'b', 'c', 'd']);
      const rows = await db.all(
        `SELECT calworks_person_id, cws_client_id, decision, reviewer, strftime(decided_at, '%Y-%m-%dT%H:%M') AS at, source_file FROM review_decisions`,
      );
      expect(rows).toEqual([
        { calworks_person_id: 'P1', cws_client_id: 'C-P1', decision: 'MATCH', reviewer: 'A. Ruiz', at: '2026-11-21T09:15', source_file: 'review page' },
      ]);
      expect(await db.count('SELECT count(*) FROM review_notes')).toBe(1);
    });
  });
});
