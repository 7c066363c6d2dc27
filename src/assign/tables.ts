/**
 * Persistent table of the assign stage, keyed by run_date (a re-run of a
 * night deletes and rewrites its rows): `assignments` holds every mutual
 * client of the night with its Linkages worker (or why it has none), so the
 * next night can keep the worker and count each worker's open mutual clients.
 */
import type { Db } from '../db/database.js';
import type { TableContract } from '../db/contract.js';
import { PRIORITY_GROUPS } from './rules.js';
import { dateLit } from '../db/sql.js';

export async function deleteAssignNight(db: Db, runDate: string): Promise<void> {
  await db.exec(`DELETE FROM assignments WHERE run_date = ${dateLit(runDate)}`);
}

/** The table assign writes, and what it promises about it (src/db/contract.ts): one worker (or none) per mutual client. */
export const ASSIGN_TABLES: readonly TableContract[] = [
  {
    table: 'assignments',
    nightly: true,
    grain: ['mutual_client_id'],
    allowed: {
      status: ['ASSIGNED', 'UNASSIGNED'],
      how: ['KEPT', 'INHERITED', 'FAMILY', 'MATCHED', 'UNASSIGNED'],
      priority_group: PRIORITY_GROUPS.map((g) => g.group),
    },
  },
];
