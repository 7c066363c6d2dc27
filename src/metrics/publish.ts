/**
 * The figures that leave the database: every count of the aggregate tables
 * (metrics_runs, metrics_outcomes, metrics_survival) registered under one
 * key, with the sums that tie them together, so that report.html (which adds
 * its own totals: weeks, bins, the reconciliation) withholds the same cells
 * as the files. After suppression the withheld values are blanked in the
 * TEMP tables and named in their `suppressed*` columns.
 *
 * metrics_identification is record-level (one row per family, with case
 * numbers): it is for analysis inside the department, carries no counts and
 * is not suppressed (the codebook says so).
 */
import type { Db } from '../db/database.js';
import { ident, lit } from '../db/sql.js';
import { Figures, type Mark } from './suppress.js';

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export const runsKey = (night: string, measure: string, category: string | null = null) => `runs|${night}|${measure}|${category ?? ''}`;
export const outcomeKey = (month: string, cohort: string, column: string) => `outcomes|${month}|${cohort}|${column}`;
export const survivalKey = (outcome: string, cohort: string, day: number, column: string) => `survival|${outcome}|${cohort}|${day}|${column}`;
/** Families identified in the period, per cohort ('baseline', 'new'). */
export const familiesKey = (cohort: string) => `families|${cohort}`;

/** Count columns of metrics_outcomes, each with the count it is a part of (for the complement). */
export const OUTCOME_COUNTS: { column: string; within: string | null }[] = [
  { column: 'mutual_clients', within: null },
  { column: 'sanctioned_at_identification', within: 'mutual_clients' },
  { column: 'sanctioned_followed_6m', within: 'sanctioned_at_identification' },
  { column: 'sanction_cured_6m', within: 'sanctioned_followed_6m' },
  { column: 'followed_6m', within: 'mutual_clients' },
  { column: 'cws_case_closed_6m', within: 'followed_6m' },
  { column: 'followed_12m', within: 'followed_6m' },
  { column: 'cws_case_closed_12m', within: 'followed_12m' },
  { column: 'new_referral_12m', within: 'followed_12m' },
  { column: 'child_removed_after_identification', within: 'mutual_clients' },
];
export const OUTCOME_RATES: { column: string; num: string; den: string }[] = [
  { column: 'sanction_cure_rate_6m', num: 'sanction_cured_6m', den: 'sanctioned_followed_6m' },
  { column: 'cws_case_closed_rate_6m', num: 'cws_case_closed_6m', den: 'followed_6m' },
  { column: 'cws_case_closed_rate_12m', num: 'cws_case_closed_12m', den: 'followed_12m' },
  { column: 'new_referral_rate_12m', num: 'new_referral_12m', den: 'followed_12m' },
];
/** Medians, each over the families with the value known. */
export const OUTCOME_MEDIANS: { column: string; of: string }[] = [
  { column: 'median_days_from_case_opening', of: 'days_from_case_opening' },
  { column: 'median_days_from_referral', of: 'days_from_referral' },
  { column: 'median_days_to_assignment', of: 'days_to_assignment' },
];

/** Reads the aggregate tables into the registry, with the sums between their counts. */
export async function registerTables(db: Db, fig: Figures): Promise<void> {
  // metrics_runs: each cell; mutual clients = new + returning + the rest; unassigned within mutual clients.
  const runs = await db.all<Record<string, unknown>>(`SELECT strftime(run_date, '%Y-%m-%d') AS night, measure, category, value FROM metrics_runs ORDER BY ALL`);
  const nights = new Set<string>();
  for (const r of runs) {
    fig.count(runsKey(str(r.night), str(r.measure), r.category === null ? null : str(r.category)), num(r.value));
    nights.add(str(r.night));
  }
  for (const night of nights) {
    const v = (m: string) => fig.get(runsKey(night, m)).n ?? 0;
    const rest = fig.hidden(`${runsKey(night, 'mutual_clients')}|rest`, v('mutual_clients') - v('new_mutual_clients') - v('returning_mutual_clients'));
    fig.sum(runsKey(night, 'mutual_clients'), [runsKey(night, 'new_mutual_clients'), runsKey(night, 'returning_mutual_clients'), rest.key]);
    const assigned = fig.hidden(`${runsKey(night, 'unassigned_mutual_clients')}|complement`, v('mutual_clients') - v('unassigned_mutual_clients'));
    fig.sum(runsKey(night, 'mutual_clients'), [runsKey(night, 'unassigned_mutual_clients'), assigned.key]);
  }

  // metrics_outcomes: counts, each with its complement inside the count it is part of; rates and
  // medians follow the counts they rest on.
  const known = await db.all<Record<string, unknown>>(`
    SELECT identification_month AS month, CASE WHEN baseline THEN 'baseline' ELSE 'new' END AS cohort,
           ${OUTCOME_MEDIANS.map((m) => `count(${m.of}) AS ${m.of}`).join(', ')}
    FROM metrics_identification WHERE continues IS NULL GROUP BY ALL`);
  const outcomes = await db.all<Record<string, unknown>>(`SELECT * FROM metrics_outcomes ORDER BY identification_month, cohort`);
  for (const r of outcomes) {
    const month = str(r.identification_month);
    const cohort = str(r.cohort);
    const k = (c: string) => outcomeKey(month, cohort, c);
    for (const c of OUTCOME_COUNTS) fig.count(k(c.column), num(r[c.column]));
    for (const c of OUTCOME_COUNTS) {
      if (!c.within) continue;
      const rest = fig.hidden(`${k(c.column)}|complement`, num(r[c.within]) - num(r[c.column]));
      fig.sum(k(c.within), [k(c.column), rest.key]);
    }
    for (const rate of OUTCOME_RATES) fig.derive(k(rate.column), numOrNull(r[rate.column]), [k(rate.num), k(rate.den)]);
    const kn = known.find((x) => x.month === month && x.cohort === cohort);
    for (const m of OUTCOME_MEDIANS) {
      const base = fig.hidden(`${k(m.column)}|known`, num(kn?.[m.of]));
      fig.derive(k(m.column), numOrNull(r[m.column]), [], base.key);
    }
  }

  // Families per cohort: the sum of the months, and the first night's new mutual clients.
  for (const cohort of ['baseline', 'new']) {
    const months = outcomes.filter((r) => r.cohort === cohort).map((r) => outcomeKey(str(r.identification_month), cohort, 'mutual_clients'));
    const total = fig.count(
      familiesKey(cohort),
      months.reduce((a, k) => a + (fig.get(k).n ?? 0), 0),
    );
    if (months.length) fig.sum(total.key, months);
  }

  // metrics_survival: families followed at least N days (one figure per cohort and day, shared by
  // the outcomes) and events by day N. Both are cumulative, so the difference of any two shown
  // days is a count too (families whose follow-up ended, events in between): each pair is a sum.
  const surv = await db.all<Record<string, unknown>>(`SELECT * FROM metrics_survival ORDER BY outcome, cohort, day`);
  const chains = new Map<string, string[]>();
  const chain = (name: string, key: string) => {
    const c = chains.get(name) ?? [];
    if (!c.includes(key)) c.push(key);
    chains.set(name, c);
  };
  for (const r of surv) {
    const [o, c, day] = [str(r.outcome), str(r.cohort), num(r.day)];
    const followed = fig.count(survivalKey('*', c, day, 'followed'), num(r.followed));
    const eventsBy = fig.count(survivalKey(o, c, day, 'events_by'), num(r.events_by));
    fig.derive(survivalKey(o, c, day, 'cumulative_incidence'), numOrNull(r.cumulative_incidence), [eventsBy.key], followed.key);
    if (day === 0 && !chains.has(`followed|${c}`)) fig.sum(familiesKey(c), [followed.key]);
    chain(`followed|${c}`, followed.key);
    chain(`events|${o}|${c}`, eventsBy.key);
  }
  for (const keys of chains.values()) {
    keys.forEach((later, j) =>
      keys.slice(0, j).forEach((earlier) => {
        const diff = Math.abs((fig.get(later).n ?? 0) - (fig.get(earlier).n ?? 0));
        const between = fig.hidden(`${earlier}~${later}`, diff);
        const [big, small] = (fig.get(later).n ?? 0) >= (fig.get(earlier).n ?? 0) ? [later, earlier] : [earlier, later];
        fig.sum(big, [small, between.key]);
      }),
    );
  }
}

const marksOf = (fig: Figures, keys: [string, string][]) => {
  const small: string[] = [];
  const comp: string[] = [];
  for (const [column, key] of keys) {
    const m: Mark | null = fig.get(key).mark;
    if (m === 'small') small.push(column);
    else if (m === 'complementary') comp.push(column);
  }
  return { small, comp };
};

const listLit = (xs: string[]) => `[${xs.map((x) => lit(x)).join(', ')}]::VARCHAR[]`;

/** Blanks the withheld cells in the TEMP tables and names them in the suppression columns. */
export async function applySuppression(db: Db, fig: Figures): Promise<void> {
  await db.exec(`ALTER TABLE metrics_runs ADD COLUMN suppressed VARCHAR`);
  const runs = fig.all().filter((c) => c.mark && c.key.startsWith('runs|') && c.key.split('|').length === 4);
  if (runs.length) {
    const values = runs.map((c) => {
      const [, night, measure, category] = c.key.split('|');
      return `(DATE ${lit(night!)}, ${lit(measure!)}, ${lit(category || null)}, ${lit(c.mark)})`;
    });
    await db.exec(`
      UPDATE metrics_runs r SET value = NULL, suppressed = s.mark
      FROM (VALUES ${values.join(', ')}) s(run_date, measure, category, mark)
      WHERE r.run_date = s.run_date AND r.measure = s.measure AND r.category IS NOT DISTINCT FROM s.category`);
  }

  await db.exec(`ALTER TABLE metrics_outcomes ADD COLUMN suppressed_small VARCHAR[] DEFAULT []::VARCHAR[]`);
  await db.exec(`ALTER TABLE metrics_outcomes ADD COLUMN suppressed_complementary VARCHAR[] DEFAULT []::VARCHAR[]`);
  const columns = [...OUTCOME_COUNTS.map((c) => c.column), ...OUTCOME_RATES.map((r) => r.column), ...OUTCOME_MEDIANS.map((m) => m.column)];
  for (const r of await db.all<{ month: string; cohort: string }>(`SELECT identification_month AS month, cohort FROM metrics_outcomes`)) {
    const { small, comp } = marksOf(
      fig,
      columns.map((c) => [c, outcomeKey(r.month, r.cohort, c)]),
    );
    if (!small.length && !comp.length) continue;
    await db.exec(`
      UPDATE metrics_outcomes SET ${[...small, ...comp].map((c) => `${ident(c)} = NULL`).join(', ')},
             suppressed_small = ${listLit(small)}, suppressed_complementary = ${listLit(comp)}
      WHERE identification_month = ${lit(r.month)} AND cohort = ${lit(r.cohort)}`);
  }

  await db.exec(`ALTER TABLE metrics_survival ADD COLUMN suppressed_small VARCHAR[] DEFAULT []::VARCHAR[]`);
  await db.exec(`ALTER TABLE metrics_survival ADD COLUMN suppressed_complementary VARCHAR[] DEFAULT []::VARCHAR[]`);
  for (const r of await db.all<{ outcome: string; cohort: string; day: number }>(`SELECT outcome, cohort, day FROM metrics_survival`)) {
    const { small, comp } = marksOf(
      fig,
      ['followed', 'events_by', 'cumulative_incidence'].map((c) => [c, survivalKey(c === 'followed' ? '*' : r.outcome, r.cohort, Number(r.day), c)]),
    );
    if (!small.length && !comp.length) continue;
    await db.exec(`
      UPDATE metrics_survival SET ${[...small, ...comp].map((c) => `${ident(c)} = NULL`).join(', ')},
             suppressed_small = ${listLit(small)}, suppressed_complementary = ${listLit(comp)}
      WHERE outcome = ${lit(r.outcome)} AND cohort = ${lit(r.cohort)} AND day = ${Number(r.day)}`);
  }
}
