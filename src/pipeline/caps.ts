/**
 * Caps: where a degenerate input would make a stage's work explode (a shelter's
 * address shared by thousands, a referral naming 2,000 clients, thirty thousand
 * MARIA GARCIAs), the stage skips the oversized part, counts it and says so,
 * rather than materializing it. Each cap taken is one entry of
 * run_summary.json `caps` and one warning in the log (ids and counts only).
 */
import type { Logger } from '../runtime/logger.js';
import type { RunSummary } from './summary.js';

export interface CapRecord {
  stage: string;
  /** The config key (or fixed limit) that capped: `match.max_family_members`... */
  cap: string;
  /** Its value tonight. */
  limit: number;
  /** How many things were skipped (families, blocks, keys, persons). */
  count: number;
  /** What was skipped and what it means, in words. */
  what: string;
  /** Further counts (pairs not formed, members left out...). */
  detail?: Record<string, number>;
}

export function recordCaps(summary: RunSummary, log: Logger, caps: readonly CapRecord[]): void {
  const list = ((summary.caps as CapRecord[] | undefined) ??= []);
  for (const c of caps) {
    if (c.count <= 0) continue;
    list.push(c);
    log.warn(`${c.stage}: capped: ${c.what}`, { cap: c.cap, limit: c.limit, count: c.count, ...(c.detail ?? {}) });
  }
}
