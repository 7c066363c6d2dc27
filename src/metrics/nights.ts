/**
 * The nights metrics cover: one run per run date, the one in force (the
 * latest committed or published attempt; earlier attempts at the same night
 * are superseded), with when it started (wall clock) so coordinators'
 * decisions can be placed on the night that first applied them.
 *
 * tmp_m_nights(run_date, run_id, started_at, in_range, night_no): every night
 * in the database (baseline and lineage need the whole history), in_range
 * marking those between --from and --to.
 */
import type { Db } from '../db/database.js';
import { dateLit } from '../db/sql.js';

export interface Range {
  from?: string;
  to?: string;
}

export interface NightSpan {
  nights: number;
  first: string | null;
  last: string | null;
  /** The first night in the database: its mutual clients are the baseline cohort. */
  baseline: string | null;
}

export async function buildNights(db: Db, range: Range): Promise<NightSpan> {
  const conds = [range.from ? `run_date >= ${dateLit(range.from)}` : 'TRUE', range.to ? `run_date <= ${dateLit(range.to)}` : 'TRUE'];
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_m_nights AS
    SELECT run_date, arg_max(run_id, started_at) AS run_id, max(started_at) AS started_at,
           ${conds.join(' AND ')} AS in_range
    FROM run_ledger
    WHERE status IN ('committed', 'published') AND run_date IS NOT NULL
    GROUP BY run_date
    ORDER BY run_date`);
  const row = await db.one<{ n: number | string; first: string | null; last: string | null; baseline: string | null }>(`
    SELECT count(*) FILTER (WHERE in_range) AS n,
           strftime(min(run_date) FILTER (WHERE in_range), '%Y-%m-%d') AS first,
           strftime(max(run_date) FILTER (WHERE in_range), '%Y-%m-%d') AS last,
           strftime(min(run_date), '%Y-%m-%d') AS baseline
    FROM tmp_m_nights`);
  return { nights: Number(row?.n ?? 0), first: row?.first ?? null, last: row?.last ?? null, baseline: row?.baseline ?? null };
}
