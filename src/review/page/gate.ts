/**
 * The review page's way to the database. DuckDB lets one process write a
 * file, and the nightly run must never fail because of the page: so the page
 * never keeps the file open. Each request opens it (read-only when it only
 * reads), does its few queries and closes it again; requests take their turn
 * (one open at a time). When another process holds the file (a nightly run),
 * the gate says so at once instead of waiting, and remembers since when it
 * has seen it held.
 */
import { CliError, ExitCode } from '../../runtime/errors.js';
import { openDatabase, type Db } from '../../db/database.js';

export type GateResult<T> = { ok: true; value: T } | { ok: false; busySince: Date };

export class DatabaseGate {
  private turn: Promise<unknown> = Promise.resolve();
  /** When the page first found the file held by another process (null: free the last time it looked). */
  busySince: Date | null = null;

  constructor(
    readonly path: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  read<T>(fn: (db: Db) => Promise<T>): Promise<GateResult<T>> {
    return this.use(true, fn);
  }

  write<T>(fn: (db: Db) => Promise<T>): Promise<GateResult<T>> {
    return this.use(false, fn);
  }

  private use<T>(readOnly: boolean, fn: (db: Db) => Promise<T>): Promise<GateResult<T>> {
    const run = async (): Promise<GateResult<T>> => {
      let db: Db;
      try {
        db = await openDatabase(this.path, { threads: 1, memoryLimit: '512MB', readOnly });
      } catch (err) {
        if (err instanceof CliError && err.exitCode === ExitCode.LOCKED) {
          this.busySince ??= this.now();
          return { ok: false, busySince: this.busySince };
        }
        throw err;
      }
      this.busySince = null;
      try {
        return { ok: true, value: await fn(db) };
      } finally {
        db.close();
      }
    };
    const result = this.turn.then(run, run);
    this.turn = result.catch(() => undefined);
    return result;
  }
}
