/**
 * Creates the persistent tables every command relies on. Each stage owns the
 * DDL of its own tables; this is the one place that calls them all, in
 * dependency order. Idempotent: safe on every start.
 */
import type { Db } from './database.js';
import { createLedgerTables } from '../pipeline/ledger.js';
import { installMacros } from './macros.js';
import { createIngestTables } from '../ingest/tables.js';
import { createMatchTables } from '../match/tables.js';
import { createClassifyTables } from '../classify/tables.js';
import { createAssignTables } from '../assign/tables.js';
import { createNotifyTables } from '../notify/tables.js';
import { createReviewTables } from '../review/tables.js';

export async function migrate(db: Db): Promise<void> {
  await installMacros(db);
  await createLedgerTables(db);
  await createIngestTables(db);
  await createMatchTables(db);
  await createClassifyTables(db);
  await createAssignTables(db);
  await createNotifyTables(db);
  await createReviewTables(db);
}
