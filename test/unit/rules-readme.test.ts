/**
 * The READMEs' rule tables say what the code does: each rule has one owner
 * in the code (src/<stage>/rules.ts, or the config defaults), and a change
 * there that the README does not follow fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIER_RULES, MUTUAL_CLIENT_TIER, REQUIRED_WEEKLY_HOURS, TIERS } from '../../src/classify/rules.js';
import { PRIORITY_GROUPS } from '../../src/assign/rules.js';
import { EVENT_DEFAULTS, EVENT_TYPES } from '../../src/notify/rules.js';

/** The rows of the markdown table whose header row starts with `firstHeader`, as arrays of cells. */
function table(path: string, firstHeader: string): string[][] {
  const lines = readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith(`| ${firstHeader} |`));
  expect(start, `${path}: a table headed "${firstHeader}"`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );
  }
  return rows;
}

/** "`A`, `B`" -> ['A', 'B']; "365" -> ['365']. */
const values = (cell: string) => cell.split(',').map((v) => v.trim().replace(/`/g, ''));

describe('src/classify/README.md "The rules in code"', () => {
  const rows = new Map(table('src/classify/README.md', 'rule').map(([rule, value, owner]) => [rule!, { value: values(value!), owner }]));
  const row = (name: string) => {
    expect(rows.has(name), `row "${name}"`).toBe(true);
    return rows.get(name)!;
  };

  it('names the tiers in precedence order and the mutual-client tier', () => {
    expect(row('tiers, first that holds').value).toEqual([...TIERS]);
    expect(row('mutual clients are on cases of tier').value).toEqual([MUTUAL_CLIENT_TIER]);
  });

  it('gives the config defaults of the tier rules', () => {
    expect(row('open CalWORKs statuses (config)').value).toEqual(DEFAULT_TIER_RULES.open_calworks_statuses);
    expect(row('mutual service components (config)').value).toEqual(DEFAULT_TIER_RULES.mutual.service_components);
    expect(row('look-back days (config)').value).toEqual([String(DEFAULT_TIER_RULES.lookback_days)]);
  });

  it('gives the required weekly WTW hours', () => {
    expect(row('required weekly hours, two parents').value).toEqual([String(REQUIRED_WEEKLY_HOURS.twoParents)]);
    expect(row('required weekly hours, one parent and a child under six').value).toEqual([String(REQUIRED_WEEKLY_HOURS.oneParentChildUnderSix)]);
    expect(row('required weekly hours, otherwise').value).toEqual([String(REQUIRED_WEEKLY_HOURS.otherwise)]);
  });

  it('gives the assignment priority, first to last', () => {
    expect(row('assignment priority, first to last').value).toEqual(PRIORITY_GROUPS.map((g) => g.name));
  });

  it('names an owner file that exists for every rule', () => {
    for (const [rule, { owner }] of rows) {
      const file = owner!.replace(/`/g, '');
      expect(() => readFileSync(new URL(`../../${file}`, import.meta.url)), `${rule}: ${file}`).not.toThrow();
    }
  });
});

describe('src/notify/README.md due dates', () => {
  it('gives every event type its default priority and business days', () => {
    const seen = new Map<string, { priority: number; businessDays: number }>();
    for (const [events, priority, days] of table('src/notify/README.md', 'event | priority')) {
      for (const e of values(events!)) seen.set(e, { priority: Number(priority), businessDays: Number(days) });
    }
    expect([...seen.keys()].sort()).toEqual([...EVENT_TYPES].sort());
    for (const t of EVENT_TYPES) {
      expect(seen.get(t), t).toEqual({ priority: EVENT_DEFAULTS[t].priority, businessDays: EVENT_DEFAULTS[t].businessDays });
    }
  });
});
