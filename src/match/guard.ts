/**
 * A sanity guard on the night's automatic links, after the holds: a model
 * gone wrong (a household taken for a person, a giant block of namesakes)
 * shows as links the data cannot support. Two checks on tmp_decided:
 *
 * - one person linked automatically to more than `maxLinksPerPerson`
 *   records of the other system: the strongest links are kept, the rest go
 *   to review (a person recorded twice is common, many times is not);
 * - more automatic links than records on the larger side (x 1.1): even with
 *   persons recorded several times on one side, a record of the other is
 *   linked about once; the weakest links beyond that go to review.
 *
 * The pairs moved keep their score; their reason says why. The caller warns
 * (log and run_summary.json) whenever anything moved.
 */
import type { Db } from '../db/database.js';
import { lit } from '../db/sql.js';

export interface GuardCounts {
  /** Persons (either side) with more automatic links than allowed. */
  over_linked_persons: number;
  /** AUTO links the guard moved to review. */
  moved_to_review: number;
  /** Automatic links the data supports at most (parents of the larger side x 1.1). */
  supported_links: number;
  /** The night's automatic links exceeded supported_links before the guard. */
  links_exceed_supported: boolean;
}

export const OVER_LINKED_REASON = 'one person linked to more records than the data supports: check the model';
export const TOO_MANY_REASON = "more links than the night's records can support: check the model";

export async function guardLinks(db: Db, o: { maxLinksPerPerson: number; parentsCalworks: number; parentsCws: number }): Promise<GuardCounts> {
  // Each automatic link's rank among its CalWORKs person's links and its child-welfare person's, strongest first.
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_guard_ranked AS
    SELECT pid_l, pid_r,
           row_number() OVER (PARTITION BY pid_l ORDER BY match_probability DESC, pid_r) AS rank_l,
           row_number() OVER (PARTITION BY pid_r ORDER BY match_probability DESC, pid_l) AS rank_r
    FROM tmp_decided WHERE outcome = 'AUTO'`);
  const max = o.maxLinksPerPerson;
  // a person has more than `max` links exactly when one of them ranks past `max`
  const over = await db.one<{ persons: number | bigint; pairs: number | bigint }>(`
    SELECT (SELECT count(DISTINCT pid_l) FROM tmp_guard_ranked WHERE rank_l > ${max})
         + (SELECT count(DISTINCT pid_r) FROM tmp_guard_ranked WHERE rank_r > ${max}) AS persons,
           (SELECT count(*) FROM tmp_guard_ranked WHERE rank_l > ${max} OR rank_r > ${max}) AS pairs`);
  const overPairs = Number(over?.pairs ?? 0);
  if (overPairs > 0) {
    await db.exec(`
      UPDATE tmp_decided d SET outcome = 'REVIEW', reason = ${lit(OVER_LINKED_REASON)}
      FROM (SELECT pid_l, pid_r FROM tmp_guard_ranked WHERE rank_l > ${max} OR rank_r > ${max}) x
      WHERE d.pid_l = x.pid_l AND d.pid_r = x.pid_r`);
  }
  await db.exec(`DROP TABLE tmp_guard_ranked`);
  const supported = Math.ceil(Math.max(o.parentsCalworks, o.parentsCws) * 1.1);
  const auto = await db.count(`SELECT count(*) FROM tmp_decided WHERE outcome = 'AUTO'`);
  const exceed = auto > supported;
  if (exceed) {
    await db.exec(`
      UPDATE tmp_decided d SET outcome = 'REVIEW', reason = ${lit(TOO_MANY_REASON)}
      FROM (
        SELECT pid_l, pid_r FROM tmp_decided WHERE outcome = 'AUTO'
        ORDER BY match_probability DESC, pid_l, pid_r OFFSET ${supported}
      ) x
      WHERE d.pid_l = x.pid_l AND d.pid_r = x.pid_r`);
  }
  return {
    over_linked_persons: Number(over?.persons ?? 0),
    moved_to_review: overPairs + (exceed ? auto - supported : 0),
    supported_links: supported,
    links_exceed_supported: exceed,
  };
}
