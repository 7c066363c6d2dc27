/**
 * Opening the database for the coordinators' and evaluators' verbs (review,
 * search, metrics, status): it must already exist (they read what nightly
 * runs wrote; opening a mistyped path must not create an empty database), and
 * it is migrated so tables added since the last run exist (status only reads).
 */
import { statSync } from 'node:fs';
import { CliError, ExitCode, usageError } from '../runtime/errors.js';
import { withDatabase, type Db } from './database.js';
import { migrate } from './migrate.js';

/** Refuse a database that is not there, or that this account may not read, naming which. */
export function checkExistingDatabase(path: string, verb: string): void {
  if (path === ':memory:') return;
  try {
    statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') {
      throw new CliError(`${verb}: permission denied: ${path} (its folder is not open to this account; see README "A shared server")`, ExitCode.USAGE);
    }
    throw usageError(`${verb}: no database at ${path}; run \`linkages run\` first or give --db`);
  }
}

export async function withExistingDatabase<T>(path: string, verb: string, fn: (db: Db) => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
  checkExistingDatabase(path, verb);
  return withDatabase(path, { threads: 2, memoryLimit: '2GB' }, async (db) => {
    if (opts.migrate !== false) await migrate(db);
    return fn(db);
  });
}
