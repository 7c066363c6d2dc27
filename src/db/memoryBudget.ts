/**
 * `database.memory_limit` is the memory budget of the whole process, not only DuckDB's buffer pool.
 *
 * Why: DuckDB also allocates outside its pool (measured at 300,000 families: the process about
 * 1 GB above what duckdb_memory() reports), so a pool of the full limit made a night of
 * memory_limit 2GB peak at 2.6 GiB resident. The pool gets three quarters of the budget; at
 * 300,000 families that took the peak to 2.1 GiB and cost no time (122.8 s against 127.4 s).
 */

/** The share of the budget given to DuckDB's buffer pool. */
export const POOL_SHARE = 0.75;

const UNITS: Record<string, number> = { kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };

/** The bytes of a budget such as '2GB' or '1.5 GiB', or null for text DuckDB reads its own way. */
export function budgetBytes(budget: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(budget);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  return m && unit ? Number(m[1]) * unit : null;
}

/** DuckDB's memory_limit for a budget such as '2GB' or '1.5 GiB' ('2GB' -> '1500MB'); other text is passed through. */
export function bufferPoolLimit(budget: string): string {
  const bytes = budgetBytes(budget);
  if (bytes === null) return budget;
  return `${Math.max(1, Math.floor((bytes * POOL_SHARE) / 1e6))}MB`;
}
