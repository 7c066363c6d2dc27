/**
 * Opening the database for the coordinators' and evaluators' verbs (review,
 * search, metrics): it must already exist (they read what nightly runs wrote;
 * opening a mistyped path must not create an empty database), and it is
 * migrated so tables added since the last run exist.
 */
import { existsSync } from 'node:fs';
import { usageError } from '../cli/errors.js';
import { withDatabase, type Db } from '../db/database.js';
import { migrate } from '../db/migrate.js';

export async function withExistingDatabase<T>(path: string, verb: string, fn: (db: Db) => Promise<T>): Promise<T> {
  if (path !== ':memory:' && !existsSync(path)) {
    throw usageError(`${verb}: no database at ${path}; run \`linkages run\` first or give --db`);
  }
  return withDatabase(path, { threads: 2, memoryLimit: '2GB' }, async (db) => {
    await migrate(db);
    return fn(db);
  });
}
