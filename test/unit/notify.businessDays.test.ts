/** Due dates in business days (src/notify/businessDays.ts) and the configurable response times. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { addBusinessDays } from '../../src/notify/businessDays.js';
import { priorityOf, responseDaysOf } from '../../src/notify/rules.js';

describe('business days', () => {
  it('skips weekends and holidays', () => {
    // 2026-11-20 is a Friday.
    expect(addBusinessDays('2026-11-20', 1)).toBe('2026-11-23');
    expect(addBusinessDays('2026-11-20', 5)).toBe('2026-11-27');
    expect(addBusinessDays('2026-11-20', 5, ['2026-11-26', '2026-11-27'])).toBe('2026-12-01');
    expect(addBusinessDays('2026-11-23', 2)).toBe('2026-11-25');
  });

  it('0 days is the run date when it is a business day, else the next one', () => {
    expect(addBusinessDays('2026-11-20', 0)).toBe('2026-11-20');
    expect(addBusinessDays('2026-11-21', 0)).toBe('2026-11-23');
    expect(addBusinessDays('2026-12-31', 0, ['2026-12-31'])).toBe('2027-01-01');
  });
});

describe('response times and priorities from the config', () => {
  it('per event type, then `default`, then the built-in value', () => {
    const cfg = parseConfig({ notify: { response_business_days: { CHILD_REMOVED: 0, default: 7 }, priority: { TIER_CHANGED: 1 } } }).notify;
    expect(responseDaysOf('CHILD_REMOVED', cfg)).toBe(0);
    expect(responseDaysOf('NEW_REFERRAL', cfg)).toBe(7);
    expect(responseDaysOf('NEW_REFERRAL', parseConfig({}).notify)).toBe(1);
    expect(priorityOf('TIER_CHANGED', cfg)).toBe(1);
    expect(priorityOf('CHILD_REMOVED', cfg)).toBe(1);
  });

  it('an unknown event type or a bad value is a one-line config error', () => {
    expect(() => parseConfig({ notify: { response_business_days: { CHILD_REMOVD: 1 } } })).toThrow(/notify\.response_business_days/);
    expect(() => parseConfig({ notify: { holidays: ['12/25/2026'] } })).toThrow(/notify\.holidays\.0: expected YYYY-MM-DD/);
    expect(() => parseConfig({ tiers: { mutual: { service_components: ['XX'] } } })).toThrow(/tiers\.mutual\.service_components/);
    expect(() => parseConfig({ tiers: { lookback: 30 } })).toThrow(/tiers/);
  });
});
