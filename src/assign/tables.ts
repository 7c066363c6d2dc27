/**
 * Persistent table of the assign stage, keyed by run_date (a re-run of a
 * night deletes and rewrites its rows): `assignments` holds every mutual
 * client of the night with its Linkages worker (or why it has none), so the
 * next night can keep the worker and count each worker's open mutual clients.
 */
import type { Db } from '../db/database.js';
import { dateLit } from '../db/sql.js';

export async function deleteAssignNight(db: Db, runDate: string): Promise<void> {
  await db.exec(`DELETE FROM assignments WHERE run_date = ${dateLit(runDate)}`);
}
