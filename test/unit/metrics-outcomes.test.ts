/**
 * Identification and outcomes over a history of a year, written by hand
 * (generated nights are consecutive days, too short for 6- and 12-month
 * windows): which families count as followed, cured, closed, re-referred,
 * and a mutual client whose id was re-issued keeps its first identification
 * and is counted once.
 */
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { computeMetrics } from '../../src/metrics/computeMetrics.js';
import { withConnection } from '../helpers/db.js';

const NIGHTS = ['2026-01-05', '2026-02-02', '2026-03-02', '2026-08-03', '2027-02-08'];

async function history(db: Db): Promise<void> {
  const values = NIGHTS.map((d, i) => `('run-${i}', DATE '${d}', 'published', TIMESTAMP '${d} 02:00:00')`).join(', ');
  await db.exec(`INSERT INTO run_ledger (run_id, run_date, status, started_at) VALUES ${values}`);
  // MC1: baseline. MC2: new on 2026-02-02, sanctioned, cured by 2026-03-02, case closed 2026-03-02,
  // re-referred 2026-08-03. MC3: new on 2026-03-02; on 2026-08-03 its records merge into MC4 (a new id).
  const mc = (d: string, id: string, isNew: boolean, wtw: string | null, prev: string[] = [], cwsCase = 'CS2') =>
    `(DATE '${d}', '${id}', 'B-${id}', 'P-${id}', ['CL-${id}'], ['${cwsCase}'], FALSE, FALSE, ${wtw ? `'${wtw}'` : 'NULL'}, NULL, NULL, 30, FALSE, 4, NULL, NULL, NULL, NULL, NULL, ${isNew}, [${prev.map((p) => `'${p}'`).join(', ')}]::VARCHAR[])`;
  await db.exec(`INSERT INTO mutual_clients VALUES
    ${mc('2026-01-05', 'MC1', true, null)},
    ${mc('2026-02-02', 'MC1', false, null)},
    ${mc('2026-02-02', 'MC2', true, 'SANCTIONED')},
    ${mc('2026-03-02', 'MC2', false, 'PARTICIPATING')},
    ${mc('2026-03-02', 'MC3', true, null)},
    ${mc('2026-08-03', 'MC4', false, null, ['MC3'])}`);
  const ev = (d: string, type: string, id: string) =>
    `('E-${type}-${id}-${d}', DATE '${d}', '${type}', 1, DATE '${d}', 'B-${id}', 'x', NULL, '', '', FALSE, FALSE)`;
  await db.exec(`INSERT INTO event_ledger VALUES
    ${ev('2026-03-02', 'CWS_CASE_CLOSED', 'MC2')}, ${ev('2026-08-03', 'NEW_REFERRAL', 'MC2')}, ${ev('2027-02-08', 'CHILD_REMOVED', 'MC3')}`);
  await db.exec(`INSERT INTO assignments VALUES
    (DATE '2026-02-02', 'MC2', 'ASSIGNED', 'MATCHED', 'LW1', 'W', 'w@x', 'O', DATE '2026-02-04', NULL, 'r', 4, 1)`);
  await db.exec(`INSERT INTO snap_cws (run_date, client_id, referral_id, case_id, client_role, referral_date, case_open_date)
    VALUES (DATE '2026-02-02', 'CL-MC2', 'R1', 'CS2', 'PARENT', DATE '2026-01-10', DATE '2026-01-20')`);
}

describe('identification and outcomes', () => {
  it('follows each family for its window, and keeps the first identification through a re-issued id', async () => {
    await withConnection(async (db) => {
      await history(db);
      const { span } = await computeMetrics(db, {});
      expect(span).toMatchObject({ nights: 5, first: '2026-01-05', last: '2027-02-08', baseline: '2026-01-05' });
      const ident = await db.all<Record<string, unknown>>(`
        SELECT mutual_client_id, strftime(identified_on, '%Y-%m-%d') AS identified_on, baseline, continues,
               days_from_referral, days_from_case_opening, days_to_assignment, sanctioned_at_identification, sanction_cured_6m,
               followed_6m, followed_12m, cws_case_closed_6m, new_referral_12m, child_removed_after_identification, identified_run_id
        FROM metrics_identification ORDER BY mutual_client_id`);
      expect(ident.map((r) => [r.mutual_client_id, r.identified_on, r.baseline])).toEqual([
        ['MC1', '2026-01-05', true],
        ['MC2', '2026-02-02', false],
        ['MC3', '2026-03-02', false],
        ['MC4', '2026-03-02', false],
      ]);
      expect(ident[1]).toMatchObject({
        days_from_referral: 23,
        days_from_case_opening: 13,
        days_to_assignment: 2,
        sanctioned_at_identification: true,
        sanction_cured_6m: true,
        followed_6m: true,
        followed_12m: true,
        cws_case_closed_6m: true,
        new_referral_12m: true,
        identified_run_id: 'run-1',
      });
      expect(ident[3]!.continues).toEqual(['MC3']);
      expect(ident[2]).toMatchObject({ child_removed_after_identification: true, followed_6m: true, followed_12m: false, new_referral_12m: null });
      // Each row says how long it has been followed, and when each event came.
      const follow = await db.all<Record<string, unknown>>(`
        SELECT mutual_client_id, days_followed, days_to_cws_case_closed, days_to_new_referral, days_to_child_removed, sanction_cured_6m
        FROM metrics_identification ORDER BY mutual_client_id`);
      expect(follow).toEqual([
        {
          mutual_client_id: 'MC1',
          days_followed: 399,
          days_to_cws_case_closed: null,
          days_to_new_referral: null,
          days_to_child_removed: null,
          sanction_cured_6m: null,
        },
        {
          mutual_client_id: 'MC2',
          days_followed: 371,
          days_to_cws_case_closed: 28,
          days_to_new_referral: 182,
          days_to_child_removed: null,
          sanction_cured_6m: true,
        },
        {
          mutual_client_id: 'MC3',
          days_followed: 343,
          days_to_cws_case_closed: null,
          days_to_new_referral: null,
          days_to_child_removed: 343,
          sanction_cured_6m: null,
        },
        {
          mutual_client_id: 'MC4',
          days_followed: 343,
          days_to_cws_case_closed: null,
          days_to_new_referral: null,
          days_to_child_removed: null,
          sanction_cured_6m: null,
        },
      ]);

      const outcomes = await db.all<Record<string, unknown>>(`
        SELECT identification_month, cohort, mutual_clients::INTEGER AS mutual_clients, sanction_cured_6m::INTEGER AS sanction_cured_6m,
               sanction_cure_rate_6m, followed_12m::INTEGER AS followed_12m, new_referral_12m::INTEGER AS new_referral_12m,
               new_referral_rate_12m, strftime(covers_to, '%Y-%m-%d') AS covers_to, runs
        FROM metrics_outcomes ORDER BY identification_month, cohort`);
      expect(outcomes).toEqual([
        {
          identification_month: '2026-01',
          cohort: 'baseline',
          mutual_clients: 1,
          sanction_cure_rate_6m: null,
          sanction_cured_6m: 0,
          followed_12m: 1,
          new_referral_12m: 0,
          new_referral_rate_12m: 0,
          covers_to: '2027-02-08',
          runs: 5,
        },
        {
          identification_month: '2026-02',
          cohort: 'new',
          mutual_clients: 1,
          sanction_cure_rate_6m: 1,
          sanction_cured_6m: 1,
          followed_12m: 1,
          new_referral_12m: 1,
          new_referral_rate_12m: 1,
          covers_to: '2027-02-08',
          runs: 4,
        },
        {
          identification_month: '2026-03',
          cohort: 'new',
          mutual_clients: 1,
          sanction_cure_rate_6m: null,
          sanction_cured_6m: 0,
          followed_12m: 0,
          new_referral_12m: 0,
          new_referral_rate_12m: null,
          covers_to: '2027-02-08',
          runs: 3,
        },
      ]);
    });
  });

  it('counts nothing as an outcome before the window has been observed', async () => {
    await withConnection(async (db) => {
      await history(db);
      await computeMetrics(db, { to: '2026-03-02' });
      // The closure on 2026-03-02 is known, but MC2 has been followed 28 days, not 6 months: the
      // 6-month flag stays empty (a plain mean of it would otherwise read "100% closed within 6
      // months"); the closure is in days_to_cws_case_closed, for the time-to-event estimate.
      const r = await db.all<Record<string, unknown>>(
        `SELECT mutual_client_id, followed_6m, cws_case_closed_6m, days_followed, days_to_cws_case_closed FROM metrics_identification ORDER BY 1`,
      );
      expect(r).toEqual([
        { mutual_client_id: 'MC1', followed_6m: false, cws_case_closed_6m: null, days_followed: 56, days_to_cws_case_closed: null },
        { mutual_client_id: 'MC2', followed_6m: false, cws_case_closed_6m: null, days_followed: 28, days_to_cws_case_closed: 28 },
        { mutual_client_id: 'MC3', followed_6m: false, cws_case_closed_6m: null, days_followed: 0, days_to_cws_case_closed: null },
      ]);
      const o = await db.all<Record<string, unknown>>(
        `SELECT cohort, cws_case_closed_6m::INTEGER AS cws_case_closed_6m, cws_case_closed_rate_6m FROM metrics_outcomes WHERE identification_month = '2026-02'`,
      );
      expect(o).toEqual([{ cohort: 'new', cws_case_closed_6m: 0, cws_case_closed_rate_6m: null }]);
    });
  });
});
