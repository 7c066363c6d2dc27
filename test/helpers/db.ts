/** Test helpers: a fresh in-memory database with the project's tables and macros. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';

export async function withConnection<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDatabase(':memory:', { threads: 2, memoryLimit: '2GB' });
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    db.close();
  }
}

/** A temporary folder removed after `fn`, unless KEEP_TMP=1. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'linkages-test-'));
  try {
    return await fn(dir);
  } finally {
    if (process.env.KEEP_TMP !== '1') rmSync(dir, { recursive: true, force: true });
  }
}
