/**
 * Opening the DuckDB database. One instance and one connection per process;
 * statements run one at a time (DuckDB parallelizes each statement itself).
 */
import { mkdirSync, chmodSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { CliError, ExitCode } from '../runtime/errors.js';
import { checkDatabasePath } from '../runtime/paths.js';
import { persistTempTables, tempTablesCreated } from './scratch.js';
import { bufferPoolLimit } from './memoryBudget.js';
import { ident, litList } from './sql.js';

export interface DatabaseSettings {
  threads: number;
  memoryLimit: string;
  tempDirectory?: string;
  /** Open without writing (several readers may share the file; no migration possible). */
  readOnly?: boolean;
  /**
   * How long to keep trying while another process holds the file, in ms (0: give up at once).
   * The nightly run waits a little, so a review page reading for a moment never makes it fail.
   */
  lockWaitMs?: number;
}

export const defaultDatabaseSettings: DatabaseSettings = { threads: 2, memoryLimit: '2GB' };

export type Row = Record<string, unknown>;

/** A connection with the few conveniences every stage needs. */
export class Db {
  constructor(
    readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    readonly path: string,
  ) {}

  /** The scratch tables made in the database file during the night (src/db/scratch.ts); null outside a night. */
  private scratch: Set<string> | null = null;

  /** Run one statement (or several separated by `;`), ignoring results. */
  async exec(sql: string): Promise<void> {
    await this.connection.run(await this.scratchSql(sql));
  }

  /** Rows as plain JSON-safe objects (BIGINT and DECIMAL come back as strings or numbers, dates as ISO strings). */
  async all<T = Row>(sql: string): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(await this.scratchSql(sql));
    return reader.getRowObjectsJson() as unknown as T[];
  }

  /** The first row: only the first chunk of the result is read, however many rows the query has. */
  async one<T = Row>(sql: string): Promise<T | undefined> {
    const reader = await this.connection.runAndReadUntil(await this.scratchSql(sql), 1);
    return (reader.getRowObjectsJson() as unknown as T[])[0];
  }

  /** A single scalar as a number (casting BIGINT counts). */
  async count(sql: string): Promise<number> {
    const row = await this.one<Record<string, unknown>>(sql);
    const v = row ? Object.values(row)[0] : 0;
    return v === null || v === undefined ? 0 : Number(v);
  }

  async tableExists(name: string): Promise<boolean> {
    return (await this.count(`SELECT count(*) FROM duckdb_tables() WHERE table_name = '${name.replace(/'/g, "''")}'`)) > 0;
  }

  /**
   * From now on, TEMP tables are made in the database file as scratch (src/db/scratch.ts).
   * The runner calls this right after BEGIN, and dropScratch before COMMIT.
   */
  beginScratch(): void {
    this.scratch = new Set();
  }

  /** Drops the scratch tables still there (none of them is committed), and ends scratch mode. */
  async dropScratch(): Promise<void> {
    const made = this.scratch;
    this.scratch = null;
    if (!made?.size) return;
    const catalog = String((await this.one<{ c: string }>(`SELECT current_database() AS c`))!.c);
    for (const table of made) await this.connection.run(`DROP TABLE IF EXISTS ${ident(catalog)}.main.${ident(table)}`);
  }

  /** Ends scratch mode without dropping (after a ROLLBACK, which took the tables with it). */
  forgetScratch(): void {
    this.scratch = null;
  }

  private async scratchSql(sql: string): Promise<string> {
    if (!this.scratch) return sql;
    const names = tempTablesCreated(sql);
    if (!names.length) return sql;
    const taken = (
      await this.connection.runAndReadAll(
        `SELECT table_name, temporary FROM duckdb_tables() WHERE table_name IN (${litList(names)}) AND (temporary OR database_name = current_database())`,
      )
    ).getRowObjectsJson() as { table_name: string; temporary: boolean }[];
    // Kept TEMP: a TEMP table made before the night, or a real table of the same name.
    const keep = new Set(taken.filter((t) => t.temporary || !this.scratch!.has(t.table_name)).map((t) => t.table_name));
    for (const n of names) if (!keep.has(n)) this.scratch.add(n);
    return persistTempTables(sql, keep);
  }

  /** Close connection, then instance (the order the client requires). */
  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

function isLockError(message: string): boolean {
  return /Could not set lock on file|Conflicting lock is held/i.test(message);
}

/**
 * Open (creating when needed) the database file. The file is private to its
 * owner; a database held by another process is exit code 3.
 */
export async function openDatabase(path: string, settings: DatabaseSettings = defaultDatabaseSettings): Promise<Db> {
  const file = path === ':memory:' ? path : resolve(path);
  checkDatabasePath(path);
  if (file !== ':memory:' && !settings.readOnly) mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tempDirectory = settings.tempDirectory ?? (file === ':memory:' ? undefined : `${file}.tmp`);
  const giveUpAt = Date.now() + (settings.lockWaitMs ?? 0);
  let instance: DuckDBInstance;
  for (;;) {
    try {
      instance = await createInstance(file, settings, tempDirectory);
      break;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (isLockError(message) && Date.now() < giveUpAt) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      throw openError(path, err);
    }
  }
  const connection = await instance.connect();
  await connection.run(`SET TimeZone = 'UTC'`);
  if (file !== ':memory:' && !settings.readOnly && existsSync(file)) chmodSync(file, 0o600);
  return new Db(instance, connection, file);
}

function createInstance(file: string, settings: DatabaseSettings, tempDirectory: string | undefined): Promise<DuckDBInstance> {
  return DuckDBInstance.create(file, {
    threads: String(settings.threads),
    // The budget of the process; DuckDB's pool gets its share (memoryBudget.ts).
    memory_limit: bufferPoolLimit(settings.memoryLimit),
    ...(tempDirectory ? { temp_directory: tempDirectory } : {}),
    ...(settings.readOnly ? { access_mode: 'READ_ONLY' } : {}),
    // Nothing downloads at run time: only the built-in parquet, json and icu.
    autoinstall_known_extensions: 'false',
    preserve_insertion_order: 'true',
  });
}

function openError(path: string, err: unknown): unknown {
  const message = err instanceof Error ? err.message : String(err);
  if (isLockError(message)) {
    return new CliError(`another linkages process holds the database ${path}; try again when it finishes`, ExitCode.LOCKED);
  }
  if (/permission denied/i.test(message)) {
    return new CliError(`permission denied: ${path} (the database, or its folder, is not open to this account)`, ExitCode.USAGE);
  }
  if (/Serialization|not a valid DuckDB database|Unable to open database/i.test(message)) {
    return new CliError(`cannot open the database ${path}: ${message.split('\n')[0]}`, ExitCode.USAGE);
  }
  return err;
}

/** Open, use, and always close a database. */
export async function withDatabase<T>(path: string, settings: DatabaseSettings, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDatabase(path, settings);
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}
