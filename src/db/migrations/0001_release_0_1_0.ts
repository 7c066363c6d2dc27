/**
 * Migration 1: the tables of release 0.1.0, as each stage declares them
 * (CREATE ... IF NOT EXISTS). It also runs on every open, before the numbered
 * migrations, so a table a stage adds later appears in an older database.
 */
import type { Db } from '../database.js';
import { createLedgerTables } from '../../pipeline/ledger.js';
import { createIngestTables } from '../../ingest/tables.js';
import { createMatchTables } from '../../match/tables.js';
import { createClassifyTables } from '../../classify/tables.js';
import { createAssignTables } from '../../assign/tables.js';
import { createNotifyTables } from '../../notify/tables.js';

export async function up(db: Db): Promise<void> {
  await createLedgerTables(db);
  await createIngestTables(db);
  await createMatchTables(db);
  await createClassifyTables(db);
  await createAssignTables(db);
  await createNotifyTables(db);
}
