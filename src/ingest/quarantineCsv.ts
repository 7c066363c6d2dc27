/** `quarantine.csv` (docs/interface.md section 4): the night's rejected input rows, with why. */
import { join } from 'node:path';
import type { Db } from '../db/database.js';
import { dateLit } from '../db/sql.js';
import { writeCsv } from '../db/csv.js';

export const QUARANTINE_FILE = 'quarantine.csv';

/** The interface's columns first, then `input`; ordered so a re-run writes the same bytes. */
export async function writeQuarantineCsv(db: Db, runDate: string, dir: string): Promise<void> {
  await writeCsv(
    db,
    `SELECT source_file, line, reason, raw_row, input FROM quarantine WHERE run_date = ${dateLit(runDate)}
     ORDER BY input, source_file, line, reason, raw_row`,
    join(dir, QUARANTINE_FILE),
  );
}
