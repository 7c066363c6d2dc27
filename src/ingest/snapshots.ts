/**
 * Nightly snapshots of the staged extracts, so later stages can see what
 * changed since the previous night. Re-running a night replaces its set.
 * Retention keeps the latest `snapshot_nights` nights, and always tonight and
 * the night before it, which change detection compares.
 */
import type { Db } from '../db/database.js';
import { dateLit, ident } from '../db/sql.js';
import { snapshotTable, type InputName } from './inputs.js';
import { stagingColumns } from './tables.js';

/** Replace the night's snapshot with the valid rows of `validated` (a table with the staging columns), if any. */
export async function writeSnapshot(db: Db, input: InputName, runDate: string, validated?: string): Promise<void> {
  const snap = snapshotTable(input);
  const cols = stagingColumns(input).map(ident).join(', ');
  await db.exec(`DELETE FROM ${snap} WHERE run_date = ${dateLit(runDate)}`);
  if (validated) {
    await db.exec(`INSERT INTO ${snap} (run_date, ${cols}) SELECT ${dateLit(runDate)}, ${cols} FROM ${validated} WHERE reason = ''`);
  }
}

/** Drop the nights beyond retention; returns how many nights were dropped. */
export async function pruneSnapshots(db: Db, input: InputName, runDate: string, keepNights: number): Promise<number> {
  const snap = snapshotTable(input);
  const tonight = dateLit(runDate);
  const doomed = `
    SELECT run_date FROM (SELECT DISTINCT run_date FROM ${snap})
    WHERE run_date NOT IN (SELECT DISTINCT run_date FROM ${snap} ORDER BY run_date DESC LIMIT ${keepNights})
      AND run_date <> ${tonight}
      AND run_date IS DISTINCT FROM (SELECT max(run_date) FROM ${snap} WHERE run_date < ${tonight})`;
  const nights = await db.count(`SELECT count(*) FROM (${doomed})`);
  if (nights) await db.exec(`DELETE FROM ${snap} WHERE run_date IN (${doomed})`);
  return nights;
}
