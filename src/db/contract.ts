/**
 * Table contracts: what a stage promises about each table it writes, checked
 * instead of described. A contract names the table's grain (the columns
 * that identify a row: no two rows share them), the columns that are never
 * NULL, and the values a column may take. The runner checks every stage's
 * contracts right after the stage, inside the night's transaction, so a
 * fan-out join or a stray value fails the night (exit 1, nothing published)
 * instead of reaching a worker's list; the tests check them after whole runs.
 * One query per table, over tonight's rows only for a nightly table: a few
 * milliseconds against the stage's seconds.
 */
import type { Db } from './database.js';
import { dateLit, ident, litList } from './sql.js';

export interface TableContract {
  table: string;
  /** Rows per run_date (checked for one night), or all-time (checked whole). */
  nightly: boolean;
  /**
   * The columns that identify a row (besides run_date for a nightly table):
   * unique. `[]` on a nightly table: one row per night. Absent: rows may
   * repeat (a log).
   */
  grain?: readonly string[];
  /** Columns never NULL (beyond the DDL's NOT NULL, which DuckDB enforces itself). */
  notNull?: readonly string[];
  /** Allowed values of a column (NULL is allowed unless the column is in notNull). */
  allowed?: Readonly<Record<string, readonly (string | number)[]>>;
  /** The table may not exist (a stage that writes it only when it has the input): checked when it does. */
  optional?: boolean;
}

/** The SQL that counts each kind of violation of `c` (one row of counts). */
export function contractSql(c: TableContract, runDate?: string): string {
  const t = ident(c.table);
  const night = c.nightly && runDate ? `WHERE run_date = ${dateLit(runDate)}` : '';
  const grain = c.grain && (c.nightly ? ['run_date', ...c.grain] : c.grain).map(ident).join(', ');
  const checks = [
    grain ? `(SELECT count(*) FROM (SELECT ${grain} FROM ${t} ${night} GROUP BY ALL HAVING count(*) > 1)) AS duplicate_grain` : '0 AS duplicate_grain',
    ...(c.notNull ?? []).map((col) => `count(*) FILTER (WHERE ${ident(col)} IS NULL) AS ${ident(`null:${col}`)}`),
    ...Object.entries(c.allowed ?? {}).map(
      ([col, values]) => `count(*) FILTER (WHERE ${ident(col)} IS NOT NULL AND ${ident(col)} NOT IN (${litList(values)})) AS ${ident(`value:${col}`)}`,
    ),
  ];
  // One row: the counts are aggregates over the table; with none but the grain's subquery, reading
  // FROM the table would repeat that one count on a row per row of the table (all sent to Node).
  // (With no check at all, the table is still read, so a missing one fails the check.)
  if (checks.length > 1) return `SELECT ${checks.join(', ')} FROM ${t} ${night}`;
  return grain ? `SELECT ${checks[0]}` : `SELECT 0 AS duplicate_grain FROM ${t} LIMIT 1`;
}

/** What is wrong with `c`'s table, one line per kind (counts only: no values, they may be personal). */
export async function contractViolations(db: Db, c: TableContract, runDate?: string): Promise<string[]> {
  const [row] = await db.all<Record<string, number | bigint>>(contractSql(c, runDate));
  const out: string[] = [];
  for (const [check, n] of Object.entries(row ?? {})) {
    if (Number(n) === 0) continue;
    const [kind, col] = check.split(':');
    if (kind === 'duplicate_grain')
      out.push(`${c.table}: ${n} value(s) of (${['run_date', ...(c.grain ?? [])].slice(c.nightly ? 0 : 1).join(', ')}) on more than one row`);
    else if (kind === 'null') out.push(`${c.table}: ${n} row(s) with ${col} empty`);
    else out.push(`${c.table}: ${n} row(s) with ${col} not one of ${(c.allowed?.[col!] ?? []).join(', ')}`);
  }
  return out;
}

/** Throws naming every violation of `contracts` (the run fails: a bug, not bad input). */
export async function checkContracts(db: Db, contracts: readonly TableContract[], runDate?: string): Promise<void> {
  const problems: string[] = [];
  for (const c of contracts) {
    if (c.optional && !(await db.tableExists(c.table))) continue;
    problems.push(...(await contractViolations(db, c, runDate)));
  }
  if (problems.length) throw new Error(`table contract broken: ${problems.join('; ')}`);
}
