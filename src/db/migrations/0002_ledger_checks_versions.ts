/**
 * Migration 2: the run ledger records the input checks of each night (the
 * extracts' profile, the reasons a night was held or accepted) and the
 * software and schema version that ran it.
 */
import type { Db } from '../database.js';

export async function up(db: Db): Promise<void> {
  await db.exec(`
    ALTER TABLE run_ledger ADD COLUMN IF NOT EXISTS input_checks JSON;
    ALTER TABLE run_ledger ADD COLUMN IF NOT EXISTS software_version VARCHAR;
    ALTER TABLE run_ledger ADD COLUMN IF NOT EXISTS schema_version INTEGER;`);
}
