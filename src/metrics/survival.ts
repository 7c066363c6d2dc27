/**
 * metrics_survival: time to an outcome after identification, where the
 * follow-up differs from family to family (a family found last week has
 * been followed one week, one found in January eleven months): the
 * Kaplan-Meier estimate of the share of families with a child-welfare case
 * closed, and with a new referral, by N days after identification.
 *
 * A family followed d days without the event counts as "no event" for d
 * days and then leaves the count (censored), instead of counting as "no
 * event" for good as a plain share would. Each family once (rows that
 * continue a re-issued id are left out), per cohort.
 *
 * Rows on a fixed grid of days (daily for the first week, weekly to four
 * weeks, then monthly to a year) up to the longest follow-up: families
 * followed at least that long (the same for every outcome: publishing each
 * outcome's own "at risk" would let one outcome's count be read off as the
 * difference of two), events by then, and the estimate.
 */
import type { Db } from '../db/database.js';
import { lit } from '../db/sql.js';

export const SURVIVAL_OUTCOMES = [
  { outcome: 'cws_case_closed', column: 'days_to_cws_case_closed', label: 'Child-welfare case closed' },
  { outcome: 'new_referral', column: 'days_to_new_referral', label: 'New child-welfare referral' },
] as const;

export const SURVIVAL_DAYS = [0, 1, 2, 3, 4, 5, 6, 7, 14, 21, 28, 61, 91, 122, 152, 182, 213, 243, 274, 304, 335, 365];

export interface FollowUp {
  /** Days from identification to the event, or null when none was seen. */
  eventDay: number | null;
  /** Days from identification to the last night looked at. */
  followed: number;
}

export interface SurvivalPoint {
  day: number;
  /** Families followed at least `day` days (whatever happened to them). */
  followed: number;
  /** Of them, still without the event on that day (the Kaplan-Meier risk set; not published). */
  atRisk: number;
  eventsBy: number;
  /** 1 - S(day): the estimated share with the event by then. */
  cumulativeIncidence: number;
}

/**
 * Kaplan-Meier on the grid: S(t) = product over event days u <= t of
 * (1 - events on u / families followed to u without the event).
 * An event seen on a night is taken to have happened that day.
 */
export function kaplanMeier(rows: FollowUp[], grid: number[] = SURVIVAL_DAYS): SurvivalPoint[] {
  const time = (r: FollowUp) => (r.eventDay !== null && r.eventDay <= r.followed ? r.eventDay : r.followed);
  const isEvent = (r: FollowUp) => r.eventDay !== null && r.eventDay <= r.followed;
  const eventDays = [...new Set(rows.filter(isEvent).map((r) => r.eventDay!))].sort((a, b) => a - b);
  const longest = rows.reduce((m, r) => Math.max(m, r.followed), -1);
  const out: SurvivalPoint[] = [];
  let s = 1;
  let k = 0;
  for (const day of grid) {
    if (day > longest) break;
    for (; k < eventDays.length && eventDays[k]! <= day; k++) {
      const u = eventDays[k]!;
      const atRiskU = rows.filter((r) => time(r) >= u).length;
      const d = rows.filter((r) => isEvent(r) && r.eventDay === u).length;
      if (atRiskU) s *= 1 - d / atRiskU;
    }
    out.push({
      day,
      followed: rows.filter((r) => r.followed >= day).length,
      atRisk: rows.filter((r) => time(r) >= day).length,
      eventsBy: rows.filter((r) => isEvent(r) && r.eventDay! <= day).length,
      cumulativeIncidence: Math.round((1 - s) * 10000) / 10000,
    });
  }
  return out;
}

export async function buildSurvival(db: Db): Promise<number> {
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE metrics_survival (
      outcome VARCHAR, cohort VARCHAR, day INTEGER, followed BIGINT, events_by BIGINT, cumulative_incidence DOUBLE)`);
  const rows = await db.all<Record<string, unknown>>(`
    SELECT CASE WHEN baseline THEN 'baseline' ELSE 'new' END AS cohort, days_followed,
           ${SURVIVAL_OUTCOMES.map((o) => o.column).join(', ')}
    FROM metrics_identification WHERE continues IS NULL`);
  const values: string[] = [];
  for (const o of SURVIVAL_OUTCOMES) {
    for (const cohort of ['baseline', 'new']) {
      const fu = rows
        .filter((r) => r.cohort === cohort)
        .map((r) => ({ eventDay: r[o.column] === null ? null : Number(r[o.column]), followed: Number(r.days_followed) }));
      for (const p of kaplanMeier(fu)) {
        values.push(`(${lit(o.outcome)}, ${lit(cohort)}, ${p.day}, ${p.followed}, ${p.eventsBy}, ${p.cumulativeIncidence})`);
      }
    }
  }
  if (values.length) await db.exec(`INSERT INTO metrics_survival VALUES ${values.join(', ')}`);
  return db.count(`SELECT count(*) FROM metrics_survival`);
}
