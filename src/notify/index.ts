/**
 * Stage `notify`: what changed since the previous night, as events with
 * stable ids, and who must act on each, by when.
 *
 *   changes.ts     change detection (tonight vs the previous night, parsed values) -> tmp_events
 *   rules.ts       priorities and response times (due dates) per event type (config `notify`)
 *   businessDays.ts due dates in business days (weekends and holidays skipped)
 *   recipients.ts  CalWORKs worker / regional contact, child-welfare worker, Linkages worker, coordinator
 *   outputs.ts     notifications.csv and one list per recipient under notifications/
 *
 * event_id = "EV" + 16 hex digits of sha256(type, case, subject, cause): the
 * same night re-run gives the same ids; an id already in the ledger from an
 * earlier night is never emitted again.
 *
 * Reads: classify's and assign's tables (tonight and the previous night),
 * snap_* of both nights, clusters. Writes: event_ledger, notifications.
 * Summary: `notifications` (events per type) and `notify`.
 */
import type { Db } from '../db/database.js';
import { dateLit, lit } from '../db/sql.js';
import type { Stage } from '../pipeline/stage.js';
import type { Logger } from '../runtime/logger.js';
import type { Config } from '../../schemas/config.js';
import { dropNightFacts, ensureNightFacts } from '../facts/nightFacts.js';
import { classifiedNight } from '../classify/tables.js';
import { addBusinessDays } from './businessDays.js';
import { detectEvents } from './changes.js';
import { EVENT_TYPES, priorityOf, responseDaysOf, type EventType } from './rules.js';
import { DEFAULT_COORDINATOR_NAME, persistNotifications } from './recipients.js';
import { deleteNotifyNight, NOTIFY_TABLES } from './tables.js';

export interface NotifySummary {
  baseline: boolean;
  compared_with: string | null;
  events: number;
  notifications: number;
  recipients: number;
  /** Events found tonight whose id an earlier night already emitted (not sent again). */
  already_emitted: number;
  sensitive_events: number;
  to_coordinator: number;
  new_links: number;
  ended_links: number;
  /** Settings a county should give (said once per run, here and in the log). */
  warnings: string[];
}

/** What the config leaves out that workers would notice: nobody to contact, due dates on holidays. */
export function configWarnings(cfg: Config['notify']): string[] {
  const out: string[] = [];
  const c = cfg.coordinator;
  if (c.name.trim() === DEFAULT_COORDINATOR_NAME || (!c.email.trim() && !c.phone.trim())) {
    out.push(
      'no Linkages coordinator configured (notify.coordinator name, email, phone): notifications without a worker and the contact for sensitive records name no one',
    );
  }
  if (cfg.holidays.length === 0) {
    out.push('no holidays configured (notify.holidays): due dates skip only weekends and may fall on a holiday');
  }
  return out;
}

export const eventIdSql = (type: string, caseNumber: string, subject: string, cause: string) =>
  `'EV' || upper(substr(sha256(concat_ws(chr(31), ${type}, ${caseNumber}, ${subject}, ${cause})), 1, 16))`;

/** The previous night to compare with: classified, with its snapshots still kept. */
async function comparableNight(db: Db, previousRunDate: string | null, log: Logger): Promise<string | null> {
  if (!previousRunDate || !(await classifiedNight(db, previousRunDate))) return null;
  const n = await db.count(`SELECT count(*) FROM snap_calworks WHERE run_date = ${dateLit(previousRunDate)}`);
  if (n === 0) {
    log.warn('notify: the previous night has no snapshot left; tonight is treated as a baseline (no change events)', {});
    return null;
  }
  return previousRunDate;
}

export async function notify(
  db: Db,
  runDate: string,
  previousRunDate: string | null,
  config: Config,
  log: Logger,
): Promise<{
  byType: Record<EventType, number>;
  summary: NotifySummary;
}> {
  const cfg = config.notify;
  const d = dateLit(runDate);
  await deleteNotifyNight(db, runDate);
  const previous = await comparableNight(db, previousRunDate, log);
  const facts = {
    openStatuses: config.tiers.open_calworks_statuses,
    frKeepsOpen: config.tiers.fr_services_keeps_case_open,
    maxClusterRecords: config.match.max_cluster_records,
  };
  await ensureNightFacts(db, runDate, 't', facts);
  if (previous) await ensureNightFacts(db, previous, 'l', facts);
  await detectEvents(db, { runDate, previousRunDate: previous, openStatuses: config.tiers.open_calworks_statuses });

  const typeRows = EVENT_TYPES.map((t) => `(${lit(t)}, ${priorityOf(t, cfg)}, DATE ${lit(addBusinessDays(runDate, responseDaysOf(t, cfg), cfg.holidays))})`);
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_ev AS
    WITH typed AS (
      SELECT e.* REPLACE (coalesce(e.mutual_client_id, e.mc_ids[1]) AS mutual_client_id),
             ${eventIdSql('e.event_type', 'e.case_number', 'e.subject', "coalesce(e.cause, '')")} AS event_id, t.priority, t.due_date
      FROM tmp_events e JOIN (VALUES ${typeRows.join(', ')}) t(event_type, priority, due_date) USING (event_type)
    )
    SELECT * FROM typed
    QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY details, mutual_client_id) = 1`);
  const alreadyEmitted = await db.count(`SELECT count(*) FROM tmp_ev WHERE event_id IN (SELECT event_id FROM event_ledger WHERE run_date < ${d})`);
  await db.exec(`DELETE FROM tmp_ev WHERE event_id IN (SELECT event_id FROM event_ledger WHERE run_date < ${d})`);
  await db.exec(`
    INSERT INTO event_ledger BY NAME
    SELECT event_id, ${d} AS run_date, event_type, priority, due_date, case_number, subject, mutual_client_id, coalesce(cause, '') AS cause, details,
           coalesce(sensitive, FALSE) AS sensitive, ${previous ? 'FALSE' : 'TRUE'} AS baseline
    FROM tmp_ev ORDER BY priority, due_date, event_id`);
  await persistNotifications(db, runDate, previous, cfg.coordinator);

  const counts = await db.all<{ t: EventType; n: number }>(`SELECT event_type AS t, count(*)::INTEGER AS n FROM event_ledger WHERE run_date = ${d} GROUP BY 1`);
  const byType = Object.fromEntries(EVENT_TYPES.map((t) => [t, counts.find((c) => c.t === t)?.n ?? 0])) as Record<EventType, number>;
  const s = await db.one<Record<string, number | string>>(`
    SELECT (SELECT count(*) FROM notifications WHERE run_date = ${d}) AS notifications,
           (SELECT count(DISTINCT recipient_key) FROM notifications WHERE run_date = ${d}) AS recipients,
           (SELECT count(*) FROM event_ledger WHERE run_date = ${d} AND sensitive) AS sensitive_events,
           (SELECT count(*) FROM notifications WHERE run_date = ${d} AND recipient_key = 'coordinator') AS to_coordinator`);
  let newLinks = 0;
  let endedLinks = 0;
  if (previous) {
    const pair = (date: string) => `SELECT calworks_person_id, cws_client_id FROM links WHERE run_date = ${dateLit(date)}`;
    newLinks = await db.count(`SELECT count(*) FROM (${pair(runDate)} EXCEPT ${pair(previous)})`);
    endedLinks = await db.count(`SELECT count(*) FROM (${pair(previous)} EXCEPT ${pair(runDate)})`);
  }
  await db.exec(`DROP TABLE IF EXISTS tmp_events; DROP TABLE IF EXISTS tmp_ev`);
  await dropNightFacts(db, 't');
  await dropNightFacts(db, 'l');
  return {
    byType,
    summary: {
      baseline: previous === null,
      compared_with: previous,
      events: Object.values(byType).reduce((a, b) => a + b, 0),
      notifications: Number(s?.notifications ?? 0),
      recipients: Number(s?.recipients ?? 0),
      already_emitted: alreadyEmitted,
      sensitive_events: Number(s?.sensitive_events ?? 0),
      to_coordinator: Number(s?.to_coordinator ?? 0),
      new_links: newLinks,
      ended_links: endedLinks,
      warnings: configWarnings(cfg),
    },
  };
}

export const notifyStage: Stage = {
  name: 'notify',
  description: 'changes since the previous night as events with stable ids, and who must act on each by when',
  built: true,
  writes: NOTIFY_TABLES,
  async run(ctx) {
    const r = await notify(ctx.db, ctx.runDate, ctx.previousRunDate, ctx.config, ctx.log);
    ctx.summary.notifications = r.byType;
    ctx.summary.notify = r.summary;
    for (const w of r.summary.warnings) ctx.log.warn(`notify: ${w}`, {});
    ctx.log.info('notify: done', { events: r.summary.events, notifications: r.summary.notifications, baseline: r.summary.baseline });
  },
};
