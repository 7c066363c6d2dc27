/**
 * The places a night writes, checked before the database opens or a log line
 * is written: the database file and its folder, DuckDB's temp directory (which
 * also holds ingest's intermediate files) and the output folder. A problem is
 * one line and exit 2 (src/runtime/paths.ts).
 */
import { dirname, resolve } from 'node:path';
import { checkDatabasePath, ensureWritableDir } from '../runtime/paths.js';

export function checkRunPaths(db: string, outRoot: string, tempDirectory: string | undefined): void {
  checkDatabasePath(db);
  if (db !== ':memory:') ensureWritableDir(dirname(resolve(db)), '--db folder');
  const temp = tempDirectory ?? (db === ':memory:' ? undefined : `${resolve(db)}.tmp`);
  if (temp) ensureWritableDir(temp, tempDirectory ? 'config database.temp_directory' : 'database temp folder');
  ensureWritableDir(outRoot, '--out');
}
