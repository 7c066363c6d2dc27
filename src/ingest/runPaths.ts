/**
 * The places a night writes, checked before the database opens or a log line
 * is written: the database file and its folder, DuckDB's temp directory (which
 * also holds ingest's intermediate files) and the output folder; and a memory
 * limit no night can run in. A problem is one line and exit 2
 * (src/runtime/paths.ts).
 */
import { dirname, resolve } from 'node:path';
import { usageError } from '../runtime/errors.js';
import { checkDatabasePath, ensureWritableDir } from '../runtime/paths.js';

export function checkRunPaths(db: string, outRoot: string, tempDirectory: string | undefined): void {
  checkDatabasePath(db);
  if (db !== ':memory:') ensureWritableDir(dirname(resolve(db)), '--db folder');
  const temp = tempDirectory ?? (db === ':memory:' ? undefined : `${resolve(db)}.tmp`);
  if (temp) ensureWritableDir(temp, tempDirectory ? 'config database.temp_directory' : 'database temp folder');
  ensureWritableDir(outRoot, '--out');
}

/**
 * Below this, even the 2,000-family sample night runs out of memory (measured:
 * 128MB fails, 256MB runs); a larger county needs more, which DuckDB then
 * reports as an out-of-memory failure of the run (exit 1).
 */
export const MIN_MEMORY_LIMIT = '256MB';

const UNIT: Record<string, number> = { KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 2 ** 10, MIB: 2 ** 20, GIB: 2 ** 30, TIB: 2 ** 40 };

export function memoryBytes(limit: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]i?B)$/i.exec(limit.trim());
  return m ? Number(m[1]) * UNIT[m[2]!.toUpperCase()]! : null;
}

export function checkMemoryLimit(limit: string): void {
  const bytes = memoryBytes(limit);
  if (bytes !== null && bytes < memoryBytes(MIN_MEMORY_LIMIT)!) {
    throw usageError(`config database.memory_limit ${limit} is too small for a night (at least ${MIN_MEMORY_LIMIT})`);
  }
}
