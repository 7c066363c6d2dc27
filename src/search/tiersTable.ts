/**
 * The classify stage's `tiers` mart (run_date, case_number, tier, ...), read by
 * search, review export and metrics. A database from before classify existed
 * has no such table: callers then show no tier rather than fail.
 */
import type { Db } from '../db/database.js';

export async function tableColumns(db: Db, table: string): Promise<Set<string>> {
  const rows = await db.all<{ column_name: string }>(
    `SELECT column_name FROM duckdb_columns() WHERE table_name = '${table.replace(/'/g, "''")}' AND NOT internal`,
  );
  return new Set(rows.map((r) => r.column_name));
}

export async function tiersAvailable(db: Db): Promise<boolean> {
  const cols = await tableColumns(db, 'tiers');
  return ['run_date', 'case_number', 'tier'].every((c) => cols.has(c));
}
