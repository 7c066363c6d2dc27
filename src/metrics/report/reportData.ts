/**
 * The numbers behind report.html, read from the metrics tables just computed
 * (metrics_runs, metrics_identification, metrics_outcomes, metrics_survival)
 * and, for the match-probability chart, the last night's links and review
 * queue. Counts only: nothing here names a person.
 *
 * Every figure is a Cell of the shared registry (src/metrics/suppress.ts):
 * a figure the files also carry uses the files' key, and the page's own
 * totals (weeks, bins, families per cohort) are declared as sums of their
 * parts, so suppression withholds the same cells on the page and in the files
 * and no total gives a withheld cell away.
 */
import type { Db } from '../../db/database.js';
import { dateLit } from '../../db/sql.js';
import type { NightSpan } from '../nights.js';
import { familiesKey, outcomeKey, runsKey, survivalKey } from '../publish.js';
import { SURVIVAL_OUTCOMES } from '../survival.js';
import type { Cell, Figures } from '../suppress.js';

export interface TierNight {
  night: string;
  MUTUAL: Cell;
  EARLY_INTERVENTION: Cell;
  PREVENTION: Cell;
}

export interface WeekCount {
  week: string;
  newMutualClients: Cell;
  /** Nights run that week: a week of two nights is not compared with one of seven. */
  nights: number;
  perNight: Cell;
}

export interface ReviewNight {
  night: string;
  queue: Cell;
  match: Cell;
  noMatch: Cell;
}

export interface Bin {
  label: string;
  count: Cell;
}

export interface ProbabilityBin {
  label: string;
  auto: Cell;
  confirmed: Cell;
  review: Cell;
}

export interface OutcomeMonth {
  month: string;
  cohort: string;
  mutualClients: Cell;
  sanctioned: Cell;
  sanctionedFollowed6m: Cell;
  cured6m: Cell;
  cureRate6m: Cell;
  followed6m: Cell;
  closed6m: Cell;
  closedRate6m: Cell;
  followed12m: Cell;
  closed12m: Cell;
  reReferral12m: Cell;
  reReferralRate12m: Cell;
  removedAfter: Cell;
}

export interface SurvivalCurve {
  outcome: string;
  label: string;
  cohort: string;
  points: { day: number; followed: Cell; incidence: Cell }[];
}

/** How the page's counts fit together ("89 identified, of whom 86 after the first night"). */
export interface Identified {
  /** Whether the period includes the first night in the database. */
  hasBaseline: boolean;
  baseline: Cell;
  new: Cell;
  all: Cell;
  /** New again after time off the list: notified, not counted again. */
  returning: Cell;
}

export interface ReportData {
  span: NightSpan;
  runIds: string[];
  /** The suppression threshold (counts below it withheld), or null when the page is for internal use. */
  threshold: number | null;
  withheld: { small: number; complementary: number };
  tiers: TierNight[];
  identified: Identified;
  weeks: WeekCount[];
  caseOpening: { cohort: 'new' | 'baseline'; bins: Bin[]; median: Cell; total: Cell };
  review: ReviewNight[];
  probabilityNight: string | null;
  probabilities: ProbabilityBin[];
  outcomes: OutcomeMonth[];
  survival: SurvivalCurve[];
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

export function binDays(days: (number | null)[]): { label: string; count: number }[] {
  const bins = DAY_BINS.map((b) => ({ label: b.label, count: 0 }));
  let unknown = 0;
  for (const d of days) {
    if (d === null) unknown += 1;
    else bins[DAY_BINS.findIndex((b) => Math.max(0, d) <= b.max)]!.count += 1;
  }
  if (unknown) bins.push({ label: 'unknown', count: unknown });
  return bins;
}

export function median(values: number[]): number | null {
  const v = [...values].sort((a, b) => a - b);
  if (!v.length) return null;
  return v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
}

async function nightsOf(db: Db): Promise<string[]> {
  const rows = await db.all<{ night: string }>(`SELECT DISTINCT strftime(run_date, '%Y-%m-%d') AS night FROM metrics_runs ORDER BY 1`);
  return rows.map((r) => r.night);
}

/** New mutual clients per week (weeks start on Monday), the first night in the database apart. */
async function weeks(db: Db, fig: Figures, nights: string[], baseline: string | null): Promise<WeekCount[]> {
  const byWeek = new Map<string, string[]>();
  for (const n of nights) {
    if (n === baseline) continue;
    const week = (await db.one<{ w: string }>(`SELECT strftime(date_trunc('week', ${dateLit(n)}), '%Y-%m-%d') AS w`))!.w;
    byWeek.set(week, [...(byWeek.get(week) ?? []), n]);
  }
  const out: WeekCount[] = [];
  for (const [week, ns] of byWeek) {
    const parts = ns.map((n) => runsKey(n, 'new_mutual_clients'));
    const total = fig.count(
      `week|${week}`,
      parts.reduce((a, k) => a + (fig.get(k).n ?? 0), 0),
    );
    fig.sum(total.key, parts);
    const perNight = fig.derive(`week|${week}|per_night`, Math.round(((total.n ?? 0) / ns.length) * 10) / 10, [total.key]);
    out.push({ week, newMutualClients: total, nights: ns.length, perNight });
  }
  if (out.length)
    fig.sum(
      familiesKey('new'),
      out.map((w) => w.newMutualClients.key),
    );
  return out;
}

async function caseOpening(db: Db, fig: Figures): Promise<ReportData['caseOpening']> {
  const hasNew = (fig.get(familiesKey('new')).n ?? 0) > 0;
  const cohort = hasNew ? 'new' : 'baseline';
  const rows = await db.all<{ d: unknown }>(
    `SELECT days_from_case_opening AS d FROM metrics_identification WHERE continues IS NULL AND baseline = ${hasNew ? 'FALSE' : 'TRUE'}`,
  );
  const days = rows.map((r) => numOrNull(r.d));
  const bins = binDays(days).map((b) => ({ label: b.label, count: fig.count(`bin|${cohort}|${b.label}`, b.count) }));
  const total = fig.get(familiesKey(cohort));
  fig.sum(
    total.key,
    bins.map((b) => b.count.key),
  );
  const known = days.filter((d): d is number => d !== null);
  const base = fig.hidden(`bin|${cohort}|known`, known.length);
  return { cohort, bins, median: fig.derive(`bin|${cohort}|median`, median(known), [], base.key), total };
}

/** Pairs of the last night by match probability, in ten 10-point bands; each kind sums to that night's count. */
async function probabilities(db: Db, fig: Figures, night: string | null): Promise<ProbabilityBin[]> {
  const counts = Array.from({ length: 10 }, () => ({ AUTO: 0, CONFIRMED: 0, REVIEW: 0 }));
  if (night) {
    const d = dateLit(night);
    const rows = await db.all<{ b: unknown; kind: string; n: unknown }>(`
      SELECT least(floor(p * 10), 9)::INTEGER AS b, kind, count(*) AS n FROM (
        SELECT match_probability AS p, decision AS kind FROM links WHERE run_date = ${d}
        UNION ALL SELECT match_probability, 'REVIEW' FROM review_queue WHERE run_date = ${d}
      ) GROUP BY ALL`);
    for (const r of rows) counts[num(r.b)]![r.kind as 'AUTO' | 'CONFIRMED' | 'REVIEW'] += num(r.n);
  }
  const bins = counts.map((c, i) => {
    const label = `${i * 10}-${i * 10 + 10}%`;
    return {
      label,
      auto: fig.count(`prob|${label}|AUTO`, c.AUTO),
      confirmed: fig.count(`prob|${label}|CONFIRMED`, c.CONFIRMED),
      review: fig.count(`prob|${label}|REVIEW`, c.REVIEW),
    };
  });
  if (night) {
    fig.sum(
      runsKey(night, 'links', 'AUTO'),
      bins.map((b) => b.auto.key),
    );
    fig.sum(
      runsKey(night, 'links', 'CONFIRMED'),
      bins.map((b) => b.confirmed.key),
    );
    fig.sum(
      runsKey(night, 'review_pairs'),
      bins.map((b) => b.review.key),
    );
  }
  return bins;
}

async function outcomes(db: Db, fig: Figures): Promise<OutcomeMonth[]> {
  const rows = await db.all<{ month: string; cohort: string }>(
    `SELECT identification_month AS month, cohort FROM metrics_outcomes ORDER BY identification_month, cohort`,
  );
  return rows.map(({ month, cohort }) => {
    const c = (col: string) => fig.get(outcomeKey(month, cohort, col));
    return {
      month,
      cohort,
      mutualClients: c('mutual_clients'),
      sanctioned: c('sanctioned_at_identification'),
      sanctionedFollowed6m: c('sanctioned_followed_6m'),
      cured6m: c('sanction_cured_6m'),
      cureRate6m: c('sanction_cure_rate_6m'),
      followed6m: c('followed_6m'),
      closed6m: c('cws_case_closed_6m'),
      closedRate6m: c('cws_case_closed_rate_6m'),
      followed12m: c('followed_12m'),
      closed12m: c('cws_case_closed_12m'),
      reReferral12m: c('new_referral_12m'),
      reReferralRate12m: c('new_referral_rate_12m'),
      removedAfter: c('child_removed_after_identification'),
    };
  });
}

async function survival(db: Db, fig: Figures): Promise<SurvivalCurve[]> {
  const rows = await db.all<{ outcome: string; cohort: string; day: number }>(
    `SELECT outcome, cohort, day FROM metrics_survival ORDER BY outcome, cohort, day`,
  );
  const curves: SurvivalCurve[] = [];
  for (const o of SURVIVAL_OUTCOMES) {
    for (const cohort of ['new', 'baseline']) {
      const points = rows
        .filter((r) => r.outcome === o.outcome && r.cohort === cohort)
        .map((r) => ({
          day: Number(r.day),
          followed: fig.get(survivalKey('*', cohort, Number(r.day), 'followed')),
          incidence: fig.get(survivalKey(o.outcome, cohort, Number(r.day), 'cumulative_incidence')),
        }));
      if (points.length) curves.push({ outcome: o.outcome, label: o.label, cohort, points });
    }
  }
  return curves;
}

/** Reads the page's figures into the registry (after registerTables) and returns them as cells. */
export async function reportData(db: Db, span: NightSpan, fig: Figures): Promise<Omit<ReportData, 'threshold' | 'withheld'>> {
  const runIds = (await db.all<{ run_id: string }>(`SELECT run_id FROM tmp_m_nights WHERE in_range ORDER BY run_date`)).map((r) => r.run_id);
  const nights = await nightsOf(db);
  const hasBaseline = !!span.baseline && nights.includes(span.baseline);
  const last = nights.at(-1) ?? null;

  // The families identified: the first night's (a count the files hold as that night's new
  // mutual clients) and the later ones; those new again after time off the list apart.
  if (hasBaseline) fig.sum(familiesKey('baseline'), [runsKey(span.baseline!, 'new_mutual_clients')]);
  const all = fig.count('families|all', (fig.get(familiesKey('baseline')).n ?? 0) + (fig.get(familiesKey('new')).n ?? 0));
  fig.sum(all.key, [familiesKey('baseline'), familiesKey('new')]);
  // Each month of metrics_outcomes is the sum of its nights in metrics_runs (per cohort).
  for (const cohort of ['baseline', 'new']) {
    const byMonth = new Map<string, string[]>();
    for (const n of nights) {
      if ((n === span.baseline) !== (cohort === 'baseline')) continue;
      byMonth.set(n.slice(0, 7), [...(byMonth.get(n.slice(0, 7)) ?? []), runsKey(n, 'new_mutual_clients')]);
    }
    for (const [month, parts] of byMonth) {
      const key = outcomeKey(month, cohort, 'mutual_clients');
      if (fig.has(key)) fig.sum(key, parts);
    }
  }
  const returningParts = nights.map((n) => runsKey(n, 'returning_mutual_clients'));
  const returning = fig.count(
    'returning|all',
    returningParts.reduce((a, k) => a + (fig.get(k).n ?? 0), 0),
  );
  if (returningParts.length) fig.sum(returning.key, returningParts);

  const tiers = nights.map((night) => ({
    night,
    MUTUAL: fig.get(runsKey(night, 'cases', 'MUTUAL')),
    EARLY_INTERVENTION: fig.get(runsKey(night, 'cases', 'EARLY_INTERVENTION')),
    PREVENTION: fig.get(runsKey(night, 'cases', 'PREVENTION')),
  }));
  const review = nights.map((night) => ({
    night,
    queue: fig.get(runsKey(night, 'review_pairs')),
    match: fig.get(runsKey(night, 'review_decisions', 'MATCH')),
    noMatch: fig.get(runsKey(night, 'review_decisions', 'NO_MATCH')),
  }));
  return {
    span,
    runIds,
    tiers,
    identified: { hasBaseline, baseline: fig.get(familiesKey('baseline')), new: fig.get(familiesKey('new')), all, returning },
    weeks: await weeks(db, fig, nights, span.baseline),
    caseOpening: await caseOpening(db, fig),
    review,
    probabilityNight: last,
    probabilities: await probabilities(db, fig, last),
    outcomes: await outcomes(db, fig),
    survival: await survival(db, fig),
  };
}
