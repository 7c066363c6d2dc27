/**
 * Persistent table of the assign stage, keyed by run_date (a re-run of a
 * night deletes and rewrites its rows): `assignments` holds every mutual
 * client of the night with its Linkages worker (or why it has none), so the
 * next night can keep the worker and count each worker's open mutual clients.
 */
import type { Db } from '../db/database.js';
import { dateLit } from '../db/sql.js';

export async function createAssignTables(db: Db): Promise<void> {
  await db.exec(`
    CREATE TABLE IF NOT EXISTS assignments (
      run_date DATE NOT NULL,
      mutual_client_id VARCHAR NOT NULL,
      status VARCHAR NOT NULL,               -- ASSIGNED | UNASSIGNED
      how VARCHAR NOT NULL,                  -- KEPT | INHERITED | FAMILY | MATCHED | UNASSIGNED
      worker_id VARCHAR,
      worker_name VARCHAR,
      worker_email VARCHAR,
      worker_office VARCHAR,
      assigned_on DATE,                      -- the night the worker got this mutual client
      waiting_since DATE,                    -- unassigned: the first night it waited
      reason VARCHAR NOT NULL,
      priority_group INTEGER NOT NULL,
      assign_order INTEGER NOT NULL          -- tonight's order (0: kept from an earlier night)
    );
  `);
}

export async function deleteAssignNight(db: Db, runDate: string): Promise<void> {
  await db.exec(`DELETE FROM assignments WHERE run_date = ${dateLit(runDate)}`);
}
