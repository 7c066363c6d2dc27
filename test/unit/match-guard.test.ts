/**
 * The sanity guard on automatic links (match/guard.ts): links the data cannot
 * support go to review, the strongest kept, and the guard says so.
 */
import { describe, expect, it } from 'vitest';
import { guardLinks, OVER_LINKED_REASON, TOO_MANY_REASON } from '../../src/match/guard.js';
import { withConnection } from '../helpers/db.js';

/** tmp_decided rows: [pid_l, pid_r, probability] all AUTO. */
const decided = (rows: [number, number, number][]) => `
  CREATE OR REPLACE TEMP TABLE tmp_decided AS
  SELECT * FROM (VALUES ${rows.map(([l, r, p]) => `(${l}::BIGINT, ${r}::BIGINT, ${p}::DOUBLE, 'AUTO', NULL::VARCHAR)`).join(', ')})
    t(pid_l, pid_r, match_probability, outcome, reason)`;

describe('sanity guard', () => {
  it('keeps the strongest links of a person linked to too many records, reviews the rest', async () => {
    await withConnection(async (db) => {
      // CalWORKs parent 1 linked to five child-welfare records; parent 2 to one
      await db.exec(
        decided([
          [1, 11, 0.99],
          [1, 12, 0.98],
          [1, 13, 0.97],
          [1, 14, 0.96],
          [1, 15, 0.95],
          [2, 21, 0.9],
        ]),
      );
      const g = await guardLinks(db, { maxLinksPerPerson: 3, parentsCalworks: 100, parentsCws: 100 });
      expect(g).toMatchObject({ over_linked_persons: 1, moved_to_review: 2, links_exceed_supported: false });
      const rows = await db.all<{ pid_r: number; outcome: string; reason: string | null }>(`SELECT pid_r, outcome, reason FROM tmp_decided ORDER BY pid_r`);
      expect(rows.filter((r) => r.outcome === 'AUTO').map((r) => Number(r.pid_r))).toEqual([11, 12, 13, 21]);
      expect(rows.filter((r) => r.outcome === 'REVIEW').every((r) => r.reason === OVER_LINKED_REASON)).toBe(true);
    });
  });

  it("reviews the weakest links beyond what the night's parents can support", async () => {
    await withConnection(async (db) => {
      // ten one-to-one links, but only five parents on either side: at most ceil(5 x 1.1) = 6 supported
      await db.exec(decided(Array.from({ length: 10 }, (_, i): [number, number, number] => [i, 100 + i, 0.99 - i / 100])));
      const g = await guardLinks(db, { maxLinksPerPerson: 3, parentsCalworks: 5, parentsCws: 5 });
      expect(g).toMatchObject({ supported_links: 6, links_exceed_supported: true, moved_to_review: 4 });
      const moved = await db.all<{ pid_l: number }>(
        `SELECT pid_l FROM tmp_decided WHERE outcome = 'REVIEW' AND reason = '${TOO_MANY_REASON.replace(/'/g, "''")}' ORDER BY pid_l`,
      );
      expect(moved.map((r) => Number(r.pid_l))).toEqual([6, 7, 8, 9]);
    });
  });

  it('changes nothing on a sane night', async () => {
    await withConnection(async (db) => {
      await db.exec(
        decided([
          [1, 11, 0.99],
          [1, 12, 0.9],
          [2, 21, 0.9],
        ]),
      );
      expect(await guardLinks(db, { maxLinksPerPerson: 3, parentsCalworks: 10, parentsCws: 10 })).toMatchObject({
        moved_to_review: 0,
        links_exceed_supported: false,
      });
    });
  });
});
