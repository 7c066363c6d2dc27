/**
 * The event types (docs/interface.md section 4) with their default priority (1 =
 * most urgent) and response time in business days. Both can be changed per
 * county in config `notify.priority` and `notify.response_business_days`.
 */
import { EVENT_TYPES, type Config, type EventType } from '../../schemas/config.js';

export { EVENT_TYPES, type EventType };

interface EventDefaults {
  priority: number;
  businessDays: number;
  /** Child-welfare facts: not sent to CalWORKs staff when the client is SENSITIVE. */
  childWelfareOrigin: boolean;
}

export const EVENT_DEFAULTS: Record<EventType, EventDefaults> = {
  // A removal changes CalWORKs eligibility at once (the family-reunification flow).
  CHILD_REMOVED: { priority: 1, businessDays: 1, childWelfareOrigin: true },
  // A referral on a linked parent: contact within 24 hours (handbook 75-9).
  NEW_REFERRAL: { priority: 1, businessDays: 1, childWelfareOrigin: true },
  // A new mutual client: the two workers coordinate within 48 hours.
  NEW_MUTUAL_CLIENT: { priority: 2, businessDays: 2, childWelfareOrigin: false },
  CWS_CASE_OPENED: { priority: 2, businessDays: 2, childWelfareOrigin: true },
  CALWORKS_DISCONTINUED: { priority: 2, businessDays: 2, childWelfareOrigin: false },
  OVER_SCHEDULED: { priority: 3, businessDays: 5, childWelfareOrigin: false },
  CWS_CASE_CLOSED: { priority: 3, businessDays: 5, childWelfareOrigin: true },
  SIGNIFICANT_CHANGE: { priority: 4, businessDays: 5, childWelfareOrigin: false },
  TIER_CHANGED: { priority: 5, businessDays: 10, childWelfareOrigin: false },
};

export function priorityOf(type: EventType, cfg: Config['notify']): number {
  return cfg.priority[type] ?? EVENT_DEFAULTS[type].priority;
}

export function responseDaysOf(type: EventType, cfg: Config['notify']): number {
  return cfg.response_business_days[type] ?? cfg.response_business_days.default ?? EVENT_DEFAULTS[type].businessDays;
}

export const CHILD_WELFARE_ORIGIN = EVENT_TYPES.filter((t) => EVENT_DEFAULTS[t].childWelfareOrigin);
