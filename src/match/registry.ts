/**
 * Stable mutual-client ids and their registry (set-based SQL).
 *
 * Each component (cluster.ts) is one mutual client with a mutual_client_id
 * that stays the same from night to night while the component only gains or
 * loses records: a component keeps an old id when it holds records of exactly
 * that id and no other component holds any. Otherwise the old ids involved
 * retire, never to be reused: `split` when an old id's records are now in
 * several components (or some are no longer linked), `merge` when they are in
 * one component together with another id's records, `dissolved` when none of
 * its records is in tonight's extracts. New ids (MC0000001, MC0000002, ...)
 * are numbered after the largest ever issued, in the order of the
 * components' smallest member, and list the retired ids they replace.
 *
 * Re-running a night first undoes what that night did to the registry, so the
 * same inputs give the same ids: ids it retired are active again, and ids it
 * created are removed, except those a later night still uses (in its
 * clusters, as a predecessor, or retired by it): an id a later night refers
 * to is never deleted or renumbered. The re-run then gives each component
 * whose records are exactly those of an id the night created before that same
 * id back (with tonight's lineage); other components get new numbers. An id
 * kept for a later night that no component takes back stays in the registry
 * as it was (created that night, in the later nights' clusters).
 *
 * The previous night is the latest earlier night the match stage ran
 * (model_params); its clusters are the membership to keep stable.
 */
import type { Db } from '../db/database.js';
import { dateLit } from '../db/sql.js';
import { buildComponents } from './cluster.js';

export interface ClusterCounts {
  clusters: number;
  ids_created: number;
  ids_retired: number;
  ids_kept: number;
}

export const MUTUAL_CLIENT_ID_SQL = (n: string) => `'MC' || lpad((${n})::VARCHAR, 7, '0')`;

/**
 * Undo what night `runDate` did to the registry (see above). Leaves
 * tmp_redo_members (mutual_client_id, member): that night's ids and their
 * records as it last assigned them, so the re-run can give them back.
 */
export async function undoNight(db: Db, runDate: string): Promise<void> {
  const d = dateLit(runDate);
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_redo_members AS
    SELECT c.mutual_client_id, c.system || '|' || c.person_key AS member
    FROM clusters c JOIN mutual_client_registry r USING (mutual_client_id)
    WHERE c.run_date = ${d} AND r.created_on = ${d};
    DELETE FROM clusters WHERE run_date = ${d};
    -- ids created that night that no later night refers to
    DELETE FROM mutual_client_registry
    WHERE created_on = ${d}
      AND (retired_on IS NULL OR retired_on <= ${d})
      AND mutual_client_id NOT IN (SELECT mutual_client_id FROM clusters WHERE run_date > ${d})
      AND mutual_client_id NOT IN (SELECT unnest(predecessors) FROM mutual_client_registry WHERE created_on > ${d});
    UPDATE mutual_client_registry SET retired_on = NULL, retire_reason = NULL, successors = NULL WHERE retired_on = ${d};`);
}

/**
 * Reads tmp_links (calworks_person_id, cws_client_id); writes clusters and the
 * registry for `runDate` and sets tmp_links.mutual_client_id.
 */
export async function assignMutualClients(db: Db, runDate: string): Promise<ClusterCounts> {
  const d = dateLit(runDate);
  await undoNight(db, runDate);
  const clusters = await buildComponents(db);
  await db.exec(`
    -- last night's active membership
    CREATE OR REPLACE TEMP TABLE tmp_prev AS
    SELECT c.system || '|' || c.person_key AS member, c.system, c.person_key, c.mutual_client_id AS old_id
    FROM clusters c JOIN mutual_client_registry r USING (mutual_client_id)
    WHERE r.retired_on IS NULL
      AND c.run_date = (SELECT max(run_date) FROM model_params WHERE run_date < ${d});

    CREATE OR REPLACE TEMP TABLE tmp_comp_old AS
    SELECT DISTINCT t.component, p.old_id FROM tmp_components t JOIN tmp_prev p USING (member);

    -- a component keeps its one old id when no other component holds that id's records
    CREATE OR REPLACE TEMP TABLE tmp_comp_kept AS
    WITH per_comp AS (SELECT component, count(*) AS n, min(old_id) AS old_id FROM tmp_comp_old GROUP BY component),
         per_old AS (SELECT old_id, count(*) AS n FROM tmp_comp_old GROUP BY old_id)
    SELECT pc.component, pc.old_id
    FROM per_comp pc JOIN per_old po ON po.old_id = pc.old_id
    WHERE pc.n = 1 AND po.n = 1;

    -- a re-run night: a component with exactly the records of an id this night created before takes it back.
    -- The sizes are compared as differences, not as equalities: from "shared = id's size AND shared = the
    -- component's size" DuckDB infers "id's size = component's size" and joins every id to every component
    -- of the same size first (minutes at 50,000 families, the disk filled with spill at 300,000).
    CREATE OR REPLACE TEMP TABLE tmp_comp_redo AS
    WITH redo_sizes AS (SELECT mutual_client_id, count(*) AS n FROM tmp_redo_members GROUP BY ALL),
         comp_sizes AS (SELECT component, count(*) AS n FROM tmp_components GROUP BY ALL),
         overlap AS (
           SELECT t.component, x.mutual_client_id, count(*) AS shared
           FROM tmp_components t JOIN tmp_redo_members x USING (member)
           GROUP BY ALL
         )
    SELECT o.component, any_value(o.mutual_client_id) AS mutual_client_id
    FROM overlap o
    JOIN redo_sizes xn USING (mutual_client_id)
    JOIN comp_sizes cn USING (component)
    ANTI JOIN tmp_comp_kept k ON k.component = o.component
    WHERE o.shared - xn.n = 0 AND o.shared - cn.n = 0
    GROUP BY o.component;

    CREATE OR REPLACE TEMP TABLE tmp_comp_ids AS
    WITH comps AS (SELECT DISTINCT component FROM tmp_components),
         top AS (
           SELECT coalesce(max(TRY_CAST(substr(mutual_client_id, 3) AS BIGINT)), 0) AS n
           FROM (SELECT mutual_client_id FROM mutual_client_registry UNION ALL SELECT mutual_client_id FROM tmp_redo_members)
         ),
         fresh AS (
           SELECT c.component, ${MUTUAL_CLIENT_ID_SQL(`top.n + row_number() OVER (ORDER BY c.component)`)} AS mutual_client_id
           FROM comps c CROSS JOIN top
           ANTI JOIN tmp_comp_kept k ON k.component = c.component
           ANTI JOIN tmp_comp_redo r ON r.component = c.component
         )
    SELECT component, old_id AS mutual_client_id, FALSE AS created FROM tmp_comp_kept
    UNION ALL SELECT component, mutual_client_id, TRUE FROM tmp_comp_redo
    UNION ALL SELECT component, mutual_client_id, TRUE FROM fresh;

    INSERT INTO clusters BY NAME
    SELECT ${d} AS run_date, i.mutual_client_id, t.system, t.person_key
    FROM tmp_components t JOIN tmp_comp_ids i USING (component)
    ORDER BY i.mutual_client_id, t.system, t.person_key;

    INSERT INTO mutual_client_registry (mutual_client_id, created_on, retired_on, retire_reason, predecessors, successors)
    SELECT i.mutual_client_id, ${d}, NULL, NULL, coalesce(o.ids, []), NULL
    FROM tmp_comp_ids i
    LEFT JOIN (SELECT component, list(old_id ORDER BY old_id) AS ids FROM tmp_comp_old GROUP BY component) o USING (component)
    WHERE i.created AND i.mutual_client_id NOT IN (SELECT mutual_client_id FROM mutual_client_registry)
    ORDER BY i.mutual_client_id;

    -- ids taken back that a later night kept in the registry: tonight's lineage, the later nights' retirement kept
    UPDATE mutual_client_registry SET predecessors = coalesce(o.ids, [])
    FROM tmp_comp_ids i
    LEFT JOIN (SELECT component, list(old_id ORDER BY old_id) AS ids FROM tmp_comp_old GROUP BY component) o USING (component)
    WHERE i.created AND i.mutual_client_id = mutual_client_registry.mutual_client_id AND mutual_client_registry.created_on = ${d};

    -- old ids not kept retire, with the ids of the components their records went to
    UPDATE mutual_client_registry SET retired_on = ${d}, retire_reason = x.reason, successors = x.successors
    FROM (
      SELECT o.old_id,
             coalesce(s.successors, []) AS successors,
             CASE WHEN coalesce(len(s.successors), 0) > 1 THEN 'split'
                  WHEN coalesce(len(s.successors), 0) = 1 THEN 'merge'
                  WHEN o.present THEN 'split'
                  ELSE 'dissolved' END AS reason
      FROM (
        -- whether any of the old id's records is still in tonight's extracts
        SELECT p.old_id, bool_or(ip.pid IS NOT NULL) AS present
        FROM tmp_prev p LEFT JOIN int_persons ip ON ip.pid = hash(p.system, p.person_key)
        GROUP BY p.old_id
      ) o
      LEFT JOIN (
        SELECT co.old_id, list(DISTINCT i.mutual_client_id ORDER BY i.mutual_client_id) AS successors
        FROM tmp_comp_old co JOIN tmp_comp_ids i USING (component) GROUP BY co.old_id
      ) s USING (old_id)
      WHERE o.old_id NOT IN (SELECT mutual_client_id FROM tmp_comp_ids WHERE NOT created)
    ) x
    WHERE x.old_id = mutual_client_registry.mutual_client_id;

    UPDATE tmp_links SET mutual_client_id = i.mutual_client_id
    FROM tmp_components t JOIN tmp_comp_ids i USING (component)
    WHERE t.system = 'CALWORKS' AND t.person_key = tmp_links.calworks_person_id;`);
  const c = await db.one<Record<string, number | string>>(`
    SELECT (SELECT count(*) FROM tmp_comp_ids WHERE created) AS created,
           (SELECT count(*) FROM tmp_comp_ids WHERE NOT created) AS kept,
           (SELECT count(*) FROM mutual_client_registry WHERE retired_on = ${d}) AS retired`);
  await db.exec(
    `DROP TABLE tmp_prev; DROP TABLE tmp_comp_old; DROP TABLE tmp_comp_kept; DROP TABLE tmp_comp_redo; DROP TABLE tmp_comp_ids; DROP TABLE tmp_components; DROP TABLE tmp_redo_members`,
  );
  return {
    clusters,
    ids_created: Number(c?.created ?? 0),
    ids_retired: Number(c?.retired ?? 0),
    ids_kept: Number(c?.kept ?? 0),
  };
}
