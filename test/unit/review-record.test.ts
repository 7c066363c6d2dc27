/**
 * Recording decisions is all or nothing: when the database refuses one row
 * (here a decision the table's CHECK rejects, standing in for any failure
 * mid-way), none of the file's decisions is recorded.
 */
import { describe, expect, it } from 'vitest';
import { recordDecisions } from '../../src/review/importDecisions.js';
import type { Validation } from '../../src/review/validate.js';
import { withConnection } from '../helpers/db.js';

const validation = (decisions: string[]): Validation =>
  ({
    accepted: decisions.map((d, i) => ({ line: i + 2, calworksPersonId: `P${i}`, cwsClientId: `C${i}`, decision: d })),
    problems: [],
    counts: {
      rows: decisions.length,
      applied: decisions.length,
      match: 0,
      no_match: 0,
      unchanged: 0,
      skipped_blank: 0,
      skipped_link_rows: 0,
      duplicates: 0,
      rejected: 0,
    },
  }) as unknown as Validation;

describe('recording decisions', () => {
  it('records every accepted decision with reviewer, time and file', async () => {
    await withConnection(async (db) => {
      await recordDecisions(db, validation(['MATCH', 'NO_MATCH']), 'ana', '/tmp/x.csv');
      const rows = await db.all<{ calworks_person_id: string; decision: string; reviewer: string; source_file: string; t: boolean }>(
        `SELECT calworks_person_id, decision, reviewer, source_file, decided_at IS NOT NULL AS t FROM review_decisions ORDER BY decision_id`,
      );
      expect(rows).toEqual([
        { calworks_person_id: 'P0', decision: 'MATCH', reviewer: 'ana', source_file: '/tmp/x.csv', t: true },
        { calworks_person_id: 'P1', decision: 'NO_MATCH', reviewer: 'ana', source_file: '/tmp/x.csv', t: true },
      ]);
    });
  });

  it('records nothing when any row fails', async () => {
    await withConnection(async (db) => {
      await expect(recordDecisions(db, validation(['MATCH', 'PERHAPS', 'NO_MATCH']), 'ana', '/tmp/x.csv')).rejects.toThrow();
      expect(await db.count('SELECT count(*) FROM review_decisions')).toBe(0);
      // and the connection is usable afterwards (no transaction left open)
      await recordDecisions(db, validation(['MATCH']), 'ana', '/tmp/y.csv');
      expect(await db.count('SELECT count(*) FROM review_decisions')).toBe(1);
    });
  });
});
