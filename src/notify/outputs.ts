/**
 * `notifications.csv` (docs/interface.md section 4) and one list per recipient
 * under `notifications/` (named by the recipient's role and id, e.g.
 * `calworks-EW10023.csv`, `contact-OAKLAND.csv`, `linkages-LW1001.csv`,
 * `coordinator.csv`; never by a person's name), each sorted by priority, due
 * date, then event_id. Written from the night's `notifications` rows only,
 * so recovery after a killed run writes the same bytes.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Db } from '../db/database.js';
import { dateLit, lit } from '../db/sql.js';
import { escapedSelect, writeCsv } from '../db/csv.js';
import { Background } from '../runtime/files.js';

export const NOTIFICATIONS_FILE = 'notifications.csv';
export const NOTIFICATIONS_DIR = 'notifications';
/** Recipients' lists written per COPY (each open partition holds a buffer). */
const RECIPIENTS_PER_COPY = 100;

const COLUMNS = `event_id, event_type, recipient_name, recipient_email, mutual_client_id, case_number,
  strftime(due_date, '%Y-%m-%d') AS due_date, details, priority, recipient_role, recipient_id,
  coalesce(subject_label, subject) AS subject`;
/** Added after recipient_file (new columns go last): who the row is about, and the subject as the event ledger keys it. */
const LAST_COLUMNS = `person_label, coalesce(subject_key, subject) AS subject_key`;

/** `background`: the lists' files are moved into place there (awaited here when absent). */
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
 * One COPY with PARTITION_BY writes every recipient's file at once (a
 * county has thousands of recipients); each partition folder's single file
 * is then renamed to `<recipient_file>.csv`, in `background` (a county's thousands of
 * folders took half a second to move and remove). One thread keeps each list in its ORDER BY order.
 */
async function writeRecipientLists(db: Db, d: string, folder: string, background: Background): Promise<void> {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const n = await db.count(`SELECT count(*) FROM notifications WHERE run_date = ${d}`);
  if (n === 0) return;
  const work = join(folder, '.partitions');
  // Recipients in groups of RECIPIENTS_PER_COPY: a partitioned COPY holds a buffer per open
  // partition, and a statewide night's thousands of recipients in one COPY ran out of memory.
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_recipient_groups AS
    SELECT recipient_file, (dense_rank() OVER (ORDER BY recipient_file) - 1) // ${RECIPIENTS_PER_COPY} AS grp
    FROM (SELECT DISTINCT recipient_file FROM notifications WHERE run_date = ${d})`);
  const groups = await db.count(`SELECT coalesce(max(grp) + 1, 0) FROM tmp_recipient_groups`);
  const threads = await db.one<{ v: string }>(`SELECT current_setting('threads')::VARCHAR AS v`);
  const restoreThreads = () => db.exec(`SET threads = ${Number(threads?.v ?? 2)}`);
  await db.exec(`SET threads = 1`);
  try {
    for (let g = 0; g < groups; g++) {
      const select = await escapedSelect(
        db,
        `SELECT ${COLUMNS}, ${LAST_COLUMNS}, recipient_file AS lk_part
         FROM notifications JOIN tmp_recipient_groups USING (recipient_file)
         WHERE run_date = ${d} AND grp = ${g}
         ORDER BY recipient_file, priority, due_date, event_id, recipient_key`,
      );
      await db.exec(
        `COPY (${select}) TO ${lit(work)} (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '"', ESCAPE '"', NULLSTR '',
          PARTITION_BY (lk_part), FILENAME_PATTERN 'list', OVERWRITE_OR_IGNORE true)`,
      );
    }
  } catch (err) {
    // A failed COPY aborts the night's transaction: restoring the setting would fail too and hide
    // the cause (a full disk) behind "Current transaction is aborted".
    await restoreThreads().catch(() => undefined);
    throw err;
  }
  await restoreThreads();
  await db.exec(`DROP TABLE tmp_recipient_groups`);
  const moves = readdirSync(work).map((part) => {
    const files = readdirSync(join(work, part));
    if (files.length !== 1) throw new Error(`notifications: expected one file per recipient, got ${files.length}`);
    return { from: join(work, part, files[0]!), to: join(folder, `${decodeURIComponent(part.replace(/^lk_part=/, ''))}.csv`) };
  });
  // Each partition folder is empty once its list is moved: removed one by one, not by a
  // recursive rm (which queues every entry on libuv's pool at once).
  background.each(
    moves,
    async (m) => {
      await rename(m.from, m.to);
      await rmdir(dirname(m.from));
    },
    () => rm(work, { recursive: true, force: true }),
  );
}
