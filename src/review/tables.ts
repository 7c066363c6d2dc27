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
import type { Db } from '../db/database.js';
