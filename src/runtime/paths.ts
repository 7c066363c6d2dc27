/**
 * Paths that are not what they claim, refused before any work (exit 2, one
 * line): a `--db` that is a folder or a data file (flags swapped in a cron
 * line), an `--out` or `temp_directory` that is a file or cannot be written.
 * Otherwise these fail late (exit 1), or worse, silently: DuckDB given a CSV
 * file as its database keeps nothing, and every night is a baseline again.
 *
 * Folders are created one level at a time from the nearest existing one, not
 * with a recursive mkdir, which spins forever under /proc.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmdirSync, statSync, type Stats } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { usageError } from './errors.js';

/** Extensions of the files linkages reads and writes: never a database. */
const DATA_EXTENSIONS = new Set(['.csv', '.parquet', '.arrow', '.feather', '.json', '.jsonl', '.xlsx', '.xls', '.txt', '.html']);

const WHY: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'part of the path is a file, not a folder',
  ENOENT: 'the folder cannot be created there',
  EEXIST: 'the folder cannot be created there',
  ENAMETOOLONG: 'the path is too long',
};

export function why(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  return (code && WHY[code]) ?? code ?? 'cannot be written';
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** `--db`: a DuckDB database file, or a place to create one. */
export function checkDatabasePath(path: string, flag = '--db'): void {
  if (path === ':memory:') return;
  const file = resolve(path);
  const st = statOrNull(file);
  if (st?.isDirectory()) throw usageError(`${flag} ${path}: is a folder; give the database file (e.g. ${path.replace(/\/+$/, '')}/linkages.duckdb)`);
  const ext = extname(file).toLowerCase();
  if (DATA_EXTENSIONS.has(ext)) throw usageError(`${flag} ${path}: a ${ext} file is not a database; give the .duckdb file`);
  if (st && st.isFile() && st.size > 0 && !isDuckDbFile(file)) {
    throw usageError(`${flag} ${path}: is not a DuckDB database (the file exists with other content)`);
  }
  if (st && !st.isFile()) throw usageError(`${flag} ${path}: is not a regular file`);
}

/** DuckDB's file header carries the magic bytes "DUCK" at offset 8. */
function isDuckDbFile(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(12);
    const n = readSync(fd, buf, 0, 12, 0);
    return n === 12 && buf.toString('latin1', 8, 12) === 'DUCK';
  } catch {
    // Unreadable: let the database open say why.
    return true;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Make sure `path` is a folder this process can write (creating it, private,
 * when missing); a usage error naming `what` otherwise.
 */
export function ensureWritableDir(path: string, what: string): void {
  const dir = resolve(path);
  const missing: string[] = [];
  let at = dir;
  let st = statOrNull(at);
  while (!st) {
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
    st = statOrNull(at);
  }
  if (st && !st.isDirectory()) {
    throw usageError(`${what} ${path}: ${at === dir ? 'is a file, not a folder' : `${at} is a file, not a folder`}`);
  }
  try {
    for (const d of missing) mkdirSync(d, { mode: 0o700 });
    // Can we write there? (Permissions alone do not tell: read-only mounts, /proc, full disks.)
    rmdirSync(mkdtempSync(`${dir}/.linkages-probe-`));
  } catch (err) {
    throw usageError(`${what} ${path}: cannot be written (${why(err)})`);
  }
}
