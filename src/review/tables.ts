/**
 * Tables of the coordinators' review page (src/review/page/). The decisions
 * themselves go into review_decisions exactly as `review import` writes them;
 * these keep what the page adds around them:
 *
 *   review_page_ops   every page action applied (decision, undo, audit verdict, note), by the
 *                     id the browser gave it: a journal replayed after a crash applies nothing twice,
 *                     and an undo finds the decision row it takes back
 *   review_notes      a coordinator's note on a pair
 *   audit_verdicts    the check of a sampled AUTO link: CONFIRMED or REJECTED (a rejection is also
 *                     a NO_MATCH decision), per night, for the precision estimate
 */
import type { TableContract } from '../db/contract.js';

/** The review page's tables (created by migration 3), and what it promises about them (src/db/contract.ts). */
export const REVIEW_TABLES: readonly TableContract[] = [
  { table: 'review_page_ops', nightly: false, grain: ['op_id'], allowed: { kind: ['decision', 'undo', 'audit', 'note'] } },
  { table: 'review_notes', nightly: false },
  { table: 'audit_verdicts', nightly: true, allowed: { verdict: ['CONFIRMED', 'REJECTED'] } },
];
