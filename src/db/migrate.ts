/**
 * Bringing a database up to this release's schema, on every open: the shared
 * macros, the tables of migration 1 (CREATE IF NOT EXISTS, so a table added
 * since is created), then each numbered migration (src/db/migrations/) the database
 * has not yet applied, in order, in one transaction. A database made by a
 * newer release than this one is refused rather than written to.
 */
import { CliError, ExitCode } from '../runtime/errors.js';
import { SOFTWARE_VERSION } from '../runtime/version.js';
import type { Db } from './database.js';
import { lit } from './sql.js';
import { installMacros } from './macros.js';
import { MIGRATIONS } from './migrations/index.js';
import { up as baselineTables } from './migrations/0001_release_0_1_0.js';

/** The schema version this release writes. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/** The database's schema version: 0 for an empty one, 1 for one made by release 0.1.0 (no schema_migrations). */
export async function schemaVersion(db: Db): Promise<number> {
  if (!(await db.tableExists('schema_migrations'))) return (await db.tableExists('run_ledger')) ? 1 : 0;
  return db.count('SELECT coalesce(max(version), 0) FROM schema_migrations');
}

export async function migrate(db: Db): Promise<{ from: number; to: number }> {
  await installMacros(db);
  // Release 0.1.0 kept no schema_migrations table: its databases are version 1.
  const legacy = !(await db.tableExists('schema_migrations')) && (await db.tableExists('run_ledger'));
  await db.exec(`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER NOT NULL,
      name VARCHAR NOT NULL,
      applied_at TIMESTAMP NOT NULL,
      software_version VARCHAR NOT NULL
    )`);
  if (legacy) {
    await db.exec(`INSERT INTO schema_migrations VALUES (1, ${lit(MIGRATIONS[0]!.name)}, now()::TIMESTAMP, '0.1.0 (before numbered migrations)')`);
  }
  const from = await schemaVersion(db);
  if (from > SCHEMA_VERSION) {
    throw new CliError(
      `the database ${db.path} has schema version ${from}, newer than this linkages ${SOFTWARE_VERSION} knows (${SCHEMA_VERSION}); run the newer release`,
      ExitCode.USAGE,
    );
  }
  await baselineTables(db);
  const pending = MIGRATIONS.filter((m) => m.version > from);
  if (pending.length) {
    await db.exec('BEGIN TRANSACTION');
    try {
      for (const m of pending) {
        await m.up(db);
        await db.exec(`INSERT INTO schema_migrations VALUES (${m.version}, ${lit(m.name)}, now()::TIMESTAMP, ${lit(SOFTWARE_VERSION)})`);
      }
      await db.exec('COMMIT');
    } catch (err) {
      await db.exec('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }
  return { from, to: SCHEMA_VERSION };
}
