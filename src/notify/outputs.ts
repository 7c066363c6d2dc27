/**
 * `notifications.csv` (docs/interface.md section 4) and one list per recipient
 * under `notifications/` (named by the recipient's role and id, e.g.
 * `calworks-EW10023.csv`, `contact-OAKLAND.csv`, `linkages-LW1001.csv`,
 * `coordinator.csv`; never by a person's name), each sorted by priority, due
 * date, then event_id. Written from the night's `notifications` rows only,
 * so recovery after a killed run writes the same bytes.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../db/database.js';
import { dateLit } from '../db/sql.js';
import { writeCsv } from '../db/csv.js';
import { Background } from '../runtime/files.js';
import { RECIPIENT_FIELD, splitRecipientLists } from './recipientLists.js';

export const NOTIFICATIONS_FILE = 'notifications.csv';
export const NOTIFICATIONS_DIR = 'notifications';
const COLUMNS = `event_id, event_type, recipient_name, recipient_email, mutual_client_id, case_number,
  strftime(due_date, '%Y-%m-%d') AS due_date, details, priority, recipient_role, recipient_id,
  coalesce(subject_label, subject) AS subject`;
/** Added after recipient_file (new columns go last): who the row is about, and the subject as the event ledger keys it. */
const LAST_COLUMNS = `person_label, coalesce(subject_key, subject) AS subject_key`;

/** `background`: the recipients' lists are written there (awaited here when absent). */
export async function writeNotificationsCsv(db: Db, runDate: string, dir: string, background?: Background): Promise<void> {
  const d = dateLit(runDate);
  await writeCsv(
    db,
    `SELECT ${COLUMNS}, recipient_file, ${LAST_COLUMNS} FROM notifications WHERE run_date = ${d}
     ORDER BY priority, due_date, event_id, recipient_key`,
    join(dir, NOTIFICATIONS_FILE),
  );
  const own = background ?? new Background();
  await writeRecipientLists(db, d, join(dir, NOTIFICATIONS_DIR), own);
  if (!background) await own.done();
}

/**
 * One COPY writes every recipient's rows, sorted by recipient and then as each list is, with the
 * recipient's file name as the first field, so DuckDB's CSV writer quotes and escapes every cell
 * exactly as in notifications.csv; the file is then cut into one list per recipient
 * (recipientLists.ts), written in `background`. A COPY partitioned by recipient wrote the same
 * bytes, but it created a folder and a file per recipient on one thread and the lists then had to
 * be moved out of their folders: 2 s for a county's 3,820 recipients, against 0.2 s.
 */
async function writeRecipientLists(db: Db, d: string, folder: string, background: Background): Promise<void> {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const all = join(folder, '.all-lists.csv');
  await writeCsv(
    db,
    `SELECT recipient_file AS ${RECIPIENT_FIELD}, ${COLUMNS}, ${LAST_COLUMNS} FROM notifications
     WHERE run_date = ${d}
     ORDER BY recipient_file, priority, due_date, event_id, recipient_key`,
    all,
  );
  await splitRecipientLists(all, (list) => background.run(() => writeFile(join(folder, `${list.file}.csv`), list.text, { mode: 0o600 })));
  rmSync(all);
}
