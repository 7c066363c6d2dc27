/** The outbox follows the night's notifications (a night may be re-run) without ever touching a sent message. */
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { lit } from '../../src/db/sql.js';
import { applyJournal } from '../../src/notify/journal.js';
import { dueMessages, markFailed, markSent, outboxCounts, syncOutbox } from '../../src/notify/outbox.js';
import { withConnection, withTempDir } from '../helpers/db.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const NIGHT = '2026-11-21';
const now = new Date('2026-11-21T10:00:00Z');

async function notifications(db: Db, rows: [key: string, email: string | null, events: number][]): Promise<void> {
  await db.exec(`DELETE FROM notifications WHERE run_date = DATE '${NIGHT}'`);
  for (const [key, email, n] of rows) {
    for (let i = 0; i < n; i++) {
      await db.exec(`INSERT INTO notifications (run_date, event_id, event_type, priority, due_date, recipient_role, recipient_key,
        recipient_email, recipient_file, case_number, subject, details)
        VALUES (DATE '${NIGHT}', 'EV${i}', 'NEW_MUTUAL_CLIENT', 2, DATE '2026-11-24', 'CALWORKS_WORKER', ${lit(key)}, ${lit(email)},
        ${lit(key.replace(':', '-'))}, 'B1', 'P1', 'd')`);
    }
  }
}

const state = async (db: Db) =>
  db.all<{ k: string; status: string; n: number; email: string | null; attempts: number }>(
    `SELECT recipient_key AS k, status, notifications AS n, recipient_email AS email, attempts FROM mail_outbox ORDER BY 1`,
  );

describe('the outbox', () => {
  it('one row per recipient; a re-run night updates the unsent ones, never a sent one', async () => {
    await withConnection(async (db) => {
      await notifications(db, [
        ['calworks:EW1', 'a@x.gov', 2],
        ['cws:SW1', 'b@x.gov', 1],
        ['coordinator', null, 3],
      ]);
      await syncOutbox(db, NIGHT, 'x.gov', now);
      expect(await state(db)).toEqual([
        { k: 'calworks:EW1', status: 'pending', n: 2, email: 'a@x.gov', attempts: 0 },
        { k: 'coordinator', status: 'no_address', n: 3, email: null, attempts: 0 },
        { k: 'cws:SW1', status: 'pending', n: 1, email: 'b@x.gov', attempts: 0 },
      ]);
      expect((await dueMessages(db, NIGHT, now)).map((r) => r.recipient_key)).toEqual(['calworks:EW1', 'cws:SW1']);
      const ids = await db.all<{ m: string }>(`SELECT message_id AS m FROM mail_outbox ORDER BY recipient_key`);

      await markSent(db, NIGHT, 'calworks:EW1', 1, '250 ok', now);
      await markFailed(db, NIGHT, 'cws:SW1', 2, 'EENVELOPE 550', new Date('2026-11-21T10:10:00Z'), now);
      expect((await dueMessages(db, NIGHT, now)).length).toBe(0);
      expect((await dueMessages(db, NIGHT, new Date('2026-11-21T10:10:00Z'))).map((r) => r.recipient_key)).toEqual(['cws:SW1']);

      // The night re-run: EW1 has 3 rows now (already sent: stays as sent), SW1 is gone, the coordinator got an address, EW2 is new.
      await notifications(db, [
        ['calworks:EW1', 'a@x.gov', 3],
        ['coordinator', 'c@x.gov', 3],
        ['calworks:EW2', 'd@x.gov', 1],
      ]);
      await syncOutbox(db, NIGHT, 'x.gov', now);
      expect(await state(db)).toEqual([
        { k: 'calworks:EW1', status: 'sent', n: 2, email: 'a@x.gov', attempts: 1 },
        { k: 'calworks:EW2', status: 'pending', n: 1, email: 'd@x.gov', attempts: 0 },
        { k: 'coordinator', status: 'pending', n: 3, email: 'c@x.gov', attempts: 0 },
      ]);
      // Message-IDs do not change.
      const after = await db.all<{ m: string }>(
        `SELECT message_id AS m FROM mail_outbox WHERE recipient_key IN ('calworks:EW1', 'coordinator') ORDER BY recipient_key`,
      );
      expect(after.map((r) => r.m)).toEqual([ids[0]!.m, ids[1]!.m]);
      expect(await outboxCounts(db, NIGHT)).toMatchObject({ sent: 1, pending: 2, failed: 0, no_address: 0 });
    });
  });

  it('a journal is applied once; a sent message is never made failed by a later line', async () => {
    await withConnection(async (db) => {
      await withTempDir(async (dir) => {
        await notifications(db, [['calworks:EW1', 'a@x.gov', 1]]);
        await syncOutbox(db, NIGHT, 'x.gov', now);
        const j = join(dir, 'j.jsonl');
        const base = { run_date: NIGHT, recipient_key: 'calworks:EW1', at: now.toISOString() };
        writeFileSync(
          j,
          [
            { ...base, outcome: 'sent', tries: 1, text: '250 ok' },
            { ...base, outcome: 'failed', tries: 1, text: 'late', next_at: now.toISOString() },
          ]
            .map((e) => JSON.stringify(e))
            .join('\n'),
        );
        expect(await applyJournal(db, j)).toBe(2);
        expect(await applyJournal(db, j)).toBe(0);
        expect(await state(db)).toEqual([{ k: 'calworks:EW1', status: 'sent', n: 1, email: 'a@x.gov', attempts: 1 }]);
      });
    });
  });
});
