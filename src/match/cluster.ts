/**
 * Clustering: links form connected components across both systems (one
 * person may hold two child-welfare client ids or two CalWORKs person ids,
 * and all of them are one mutual client).
 *
 * Set-based label propagation over the records' pids: every record starts
 * labelled with its own pid and takes the smallest label among its
 * neighbours until nothing changes, with the hooking and shortcutting of
 * Shiloach-Vishkin so that a long chain of links settles in a few rounds
 * too. Components are small (a parent and their few records), so this
 * settles in a handful of rounds. A component is then
 * named by its smallest member key (`CALWORKS|<person_id>` or
 * `CWS|<client_id>`), so nothing depends on the order of work.
 */
import type { Db } from '../db/database.js';

/** Reads tmp_links (pid_l, pid_r); writes tmp_components (member, system, person_key, component). */
export async function buildComponents(db: Db, maxRounds = 100): Promise<number> {
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_cc_adjacent AS
    SELECT pid_l AS m, pid_r AS n FROM tmp_links UNION SELECT pid_r, pid_l FROM tmp_links;
    CREATE OR REPLACE TEMP TABLE tmp_cc AS SELECT DISTINCT m AS member, m AS label FROM tmp_cc_adjacent;`);
  let rounds = 0;
  for (; rounds < maxRounds; rounds++) {
    await db.exec(`
      CREATE OR REPLACE TEMP TABLE tmp_cc_next AS
      SELECT c.member, least(c.label, min(n.label)) AS label
      FROM tmp_cc c
      JOIN tmp_cc_adjacent e ON e.m = c.member
      JOIN tmp_cc n ON n.member = e.n
      GROUP BY c.member, c.label;
      -- a long chain of links (degenerate input) would take one round per link: a label (itself a
      -- member of the component) also takes the smallest new label of the members that held it,
      -- and every member takes its label's label, so the chain settles in a few rounds
      CREATE OR REPLACE TEMP TABLE tmp_cc_next AS
      SELECT x.member, least(x.label, coalesce(h.label, x.label)) AS label
      FROM tmp_cc_next x
      LEFT JOIN (SELECT c.label AS member, min(x2.label) AS label FROM tmp_cc c JOIN tmp_cc_next x2 USING (member) GROUP BY c.label) h
        USING (member);
      CREATE OR REPLACE TEMP TABLE tmp_cc_next AS
      SELECT x.member, least(x.label, coalesce(y.label, x.label)) AS label
      FROM tmp_cc_next x LEFT JOIN tmp_cc_next y ON y.member = x.label`);
    const changed = await db.count(`SELECT count(*) FROM tmp_cc_next x JOIN tmp_cc c USING (member) WHERE x.label <> c.label`);
    await db.exec(`DROP TABLE tmp_cc; ALTER TABLE tmp_cc_next RENAME TO tmp_cc`);
    if (changed === 0) break;
  }
  if (rounds >= maxRounds) throw new Error('clustering did not settle');
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_components AS
    WITH labelled AS (
      SELECT c.label, p.system || '|' || p.person_key AS member, p.system, p.person_key
      FROM tmp_cc c JOIN int_persons p ON p.pid = c.member
    )
    SELECT member, system, person_key, min(member) OVER (PARTITION BY label) AS component FROM labelled;
    DROP TABLE tmp_cc; DROP TABLE tmp_cc_adjacent;`);
  return db.count(`SELECT count(DISTINCT component) FROM tmp_components`);
}
