/**
 * `assignments.csv` (docs/interface.md section 4): the mutual clients who got a
 * Linkages worker tonight (new, waiting, successors of a merge or split, or
 * whose worker left the roster) and those still without one, with the
 * reason, in assignment order: Family Reunification first, then WTW
 * SANCTIONED, NONCOMPLIANCE, others. Mutual clients who keep their worker
 * from an earlier night are not repeated (mutual_clients.csv lists everyone).
 */
import { join } from 'node:path';
import type { Db } from '../db/database.js';
import { dateLit } from '../db/sql.js';
import { writeCsv } from '../db/csv.js';
import { priorityNameSql } from './rules.js';

export const ASSIGNMENTS_FILE = 'assignments.csv';

export async function writeAssignmentsCsv(db: Db, runDate: string, dir: string): Promise<void> {
  const d = dateLit(runDate);
  await writeCsv(
    db,
    `SELECT a.mutual_client_id, a.worker_id, a.worker_name, a.reason, a.status,
            ${priorityNameSql('a.priority_group')} AS priority,
            a.worker_email, a.worker_office,
            m.case_numbers, m.office, m.primary_language,
            strftime(a.waiting_since, '%Y-%m-%d') AS waiting_since
     FROM assignments a
     LEFT JOIN (
       SELECT mutual_client_id, array_to_string(list(DISTINCT case_number ORDER BY case_number), ';') AS case_numbers,
              min(office) AS office, min(primary_language) AS primary_language
       FROM mutual_clients WHERE run_date = ${d} GROUP BY mutual_client_id
     ) m USING (mutual_client_id)
     WHERE a.run_date = ${d} AND a.how <> 'KEPT'
     ORDER BY a.priority_group, a.assign_order, a.mutual_client_id`,
    join(dir, ASSIGNMENTS_FILE),
  );
}
