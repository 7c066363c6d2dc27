/**
 * The numbers behind report.html, read from the metrics tables just computed
 * (metrics_runs, metrics_identification, metrics_outcomes) and, for the
 * match-probability chart, the last night's links and review queue. Counts
 * only: nothing here names a person.
 */
import type { Db } from '../../db/database.js';
import { dateLit } from '../../db/sql.js';
import type { NightSpan } from '../nights.js';

export interface TierNight {
  night: string;
  MUTUAL: number;
  EARLY_INTERVENTION: number;
  PREVENTION: number;
}

export interface WeekCount {
  week: string;
  newMutualClients: number;
  nights: number;
}

export interface ReviewNight {
  night: string;
  queue: number;
  match: number;
  noMatch: number;
}

export interface Bin {
  label: string;
  count: number;
}

export interface ProbabilityBin {
  label: string;
  auto: number;
  confirmed: number;
  review: number;
}

export interface OutcomeMonth {
  month: string;
  cohort: string;
  mutualClients: number;
  sanctioned: number;
  sanctionedFollowed6m: number;
  cured6m: number;
  cureRate6m: number | null;
  followed6m: number;
  closed6m: number;
  followed12m: number;
  closed12m: number;
  reReferral12m: number;
  reReferralRate12m: number | null;
  removedAfter: number;
}

export interface ReportData {
  span: NightSpan;
  runIds: string[];
  tiers: TierNight[];
  baselineNewMutualClients: number;
  weeks: WeekCount[];
  caseOpening: { cohort: 'new' | 'baseline'; bins: Bin[]; median: number | null; known: number };
  review: ReviewNight[];
  probabilityNight: string | null;
  probabilities: ProbabilityBin[];
  outcomes: OutcomeMonth[];
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Days from case opening to identification, in bins a manager reads at a glance. */
export const DAY_BINS: { label: string; max: number }[] = [
  { label: '0-7 days', max: 7 },
  { label: '8-30 days', max: 30 },
  { label: '1-3 months', max: 91 },
  { label: '3-6 months', max: 182 },
  { label: '6-12 months', max: 365 },
  { label: 'over a year', max: Number.POSITIVE_INFINITY },
];

export function binDays(days: (number | null)[]): Bin[] {
  const bins = DAY_BINS.map((b) => ({ label: b.label, count: 0 }));
  let unknown = 0;
  for (const d of days) {
    if (d === null) unknown += 1;
    else bins[DAY_BINS.findIndex((b) => Math.max(0, d) <= b.max)]!.count += 1;
  }
  if (unknown) bins.push({ label: 'unknown', count: unknown });
  return bins;
}

async function tierNights(db: Db): Promise<TierNight[]> {
  const rows = await db.all<{ night: string; m: unknown; e: unknown; p: unknown }>(`
    SELECT strftime(run_date, '%Y-%m-%d') AS night,
           sum(value) FILTER (WHERE category = 'MUTUAL') AS m,
           sum(value) FILTER (WHERE category = 'EARLY_INTERVENTION') AS e,
           sum(value) FILTER (WHERE category = 'PREVENTION') AS p
    FROM metrics_runs WHERE measure = 'cases' GROUP BY run_date ORDER BY run_date`);
  return rows.map((r) => ({ night: r.night, MUTUAL: num(r.m), EARLY_INTERVENTION: num(r.e), PREVENTION: num(r.p) }));
}

/** New mutual clients per week (weeks start on Monday), the baseline night apart. */
async function weeks(db: Db, baseline: string | null): Promise<{ weeks: WeekCount[]; baseline: number }> {
  const b = baseline ? dateLit(baseline) : 'NULL::DATE';
  const rows = await db.all<{ week: string; n: unknown; nights: unknown }>(`
    SELECT strftime(date_trunc('week', run_date), '%Y-%m-%d') AS week, sum(value) AS n, count(DISTINCT run_date) AS nights
    FROM metrics_runs WHERE measure = 'new_mutual_clients' AND run_date IS DISTINCT FROM ${b}
    GROUP BY 1 ORDER BY 1`);
  const base = await db.count(`SELECT coalesce(sum(value), 0) FROM metrics_runs WHERE measure = 'new_mutual_clients' AND run_date = ${b}`);
  return { weeks: rows.map((r) => ({ week: r.week, newMutualClients: num(r.n), nights: num(r.nights) })), baseline: base };
}

async function caseOpening(db: Db): Promise<ReportData['caseOpening']> {
  const hasNew = (await db.count(`SELECT count(*) FROM metrics_identification WHERE NOT baseline`)) > 0;
  const rows = await db.all<{ d: unknown }>(
    `SELECT days_from_case_opening AS d FROM metrics_identification WHERE baseline = ${hasNew ? 'FALSE' : 'TRUE'}`,
  );
  const days = rows.map((r) => numOrNull(r.d));
  const known = days.filter((d): d is number => d !== null).sort((a, b) => a - b);
  const median = known.length ? (known.length % 2 ? known[(known.length - 1) / 2]! : (known[known.length / 2 - 1]! + known[known.length / 2]!) / 2) : null;
  return { cohort: hasNew ? 'new' : 'baseline', bins: binDays(days), median, known: known.length };
}

async function reviewNights(db: Db): Promise<ReviewNight[]> {
  const rows = await db.all<{ night: string; q: unknown; m: unknown; n: unknown }>(`
    SELECT strftime(run_date, '%Y-%m-%d') AS night,
           sum(value) FILTER (WHERE measure = 'review_pairs') AS q,
           sum(value) FILTER (WHERE measure = 'review_decisions' AND category = 'MATCH') AS m,
           sum(value) FILTER (WHERE measure = 'review_decisions' AND category = 'NO_MATCH') AS n
    FROM metrics_runs GROUP BY run_date ORDER BY run_date`);
  return rows.map((r) => ({ night: r.night, queue: num(r.q), match: num(r.m), noMatch: num(r.n) }));
}

/** Pairs of the last night by match probability, in twenty 5-point bins. */
async function probabilities(db: Db, night: string | null): Promise<ProbabilityBin[]> {
  const bins = Array.from({ length: 20 }, (_, i) => ({ label: `${i * 5}-${i * 5 + 5}%`, auto: 0, confirmed: 0, review: 0 }));
  if (!night) return bins;
  const d = dateLit(night);
  const rows = await db.all<{ b: unknown; kind: string; n: unknown }>(`
    SELECT least(floor(p * 20), 19)::INTEGER AS b, kind, count(*) AS n FROM (
      SELECT match_probability AS p, decision AS kind FROM links WHERE run_date = ${d}
      UNION ALL SELECT match_probability, 'REVIEW' FROM review_queue WHERE run_date = ${d}
    ) GROUP BY ALL`);
  for (const r of rows) {
    const bin = bins[num(r.b)]!;
    if (r.kind === 'AUTO') bin.auto += num(r.n);
    else if (r.kind === 'CONFIRMED') bin.confirmed += num(r.n);
    else bin.review += num(r.n);
  }
  return bins;
}

async function outcomes(db: Db): Promise<OutcomeMonth[]> {
  const rows = await db.all<Record<string, unknown>>(`SELECT * FROM metrics_outcomes ORDER BY identification_month, cohort`);
  return rows.map((r) => ({
    month: String(r.identification_month),
    cohort: String(r.cohort),
    mutualClients: num(r.mutual_clients),
    sanctioned: num(r.sanctioned_at_identification),
    sanctionedFollowed6m: num(r.sanctioned_followed_6m),
    cured6m: num(r.sanction_cured_6m),
    cureRate6m: numOrNull(r.sanction_cure_rate_6m),
    followed6m: num(r.followed_6m),
    closed6m: num(r.cws_case_closed_6m),
    followed12m: num(r.followed_12m),
    closed12m: num(r.cws_case_closed_12m),
    reReferral12m: num(r.new_referral_12m),
    reReferralRate12m: numOrNull(r.new_referral_rate_12m),
    removedAfter: num(r.child_removed_after_identification),
  }));
}

export async function reportData(db: Db, span: NightSpan): Promise<ReportData> {
  const w = await weeks(db, span.baseline);
  const runIds = (await db.all<{ run_id: string }>(`SELECT run_id FROM tmp_m_nights WHERE in_range ORDER BY run_date`)).map((r) => r.run_id);
  return {
    span,
    runIds,
    tiers: await tierNights(db),
    baselineNewMutualClients: span.baseline && span.first && span.baseline >= span.first ? w.baseline : 0,
    weeks: w.weeks,
    caseOpening: await caseOpening(db),
    review: await reviewNights(db),
    probabilityNight: span.last,
    probabilities: await probabilities(db, span.last),
    outcomes: await outcomes(db),
  };
}
