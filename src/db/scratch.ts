/**
 * The night's scratch tables live in the database file, not in DuckDB's TEMP catalog.
 *
 * Why: the stages write their working tables as `CREATE OR REPLACE TEMP TABLE`, and inside
 * the night's single transaction DuckDB keeps a TEMP table uncompressed in the buffer pool,
 * and keeps the memory of one dropped until the transaction ends. A statewide night piled
 * gigabytes of such tables up and died of memory in its last stage. The same table in the
 * database file is compressed (about a third of the memory), written to the file as it fills
 * (DuckDB's optimistic writes), so evicting it costs nothing, and rolled back with the night.
 *
 * So while the runner's transaction is open, Db rewrites each `CREATE [OR REPLACE] TEMP TABLE x`
 * to a table in the database file and remembers x; the runner drops every remembered table
 * before it commits, so nothing of the scratch is ever committed (a failed night rolls it back).
 * A name already taken by a real table, or by a TEMP table made before the transaction (ingest's
 * `prepare`), keeps its TEMP statement: the rewrite never replaces a table it did not make.
 *
 * Only for nights too big for memory: writing a compressed table to the file costs about three
 * times the time of a TEMP one (300,000 families, 1.3 million staged rows, every stage then inside
 * the transaction: 117 s a night with the scratch, 89 s without, the same peak RSS, since TEMP tables
 * spill to temp_directory too). The work before the transaction (Stage.prepare) is never scratch. So the
 * runner turns the scratch on after ingest only when the night has more staged rows than
 * SCRATCH_ROWS_PER_GB per GB of the memory budget, or when database.working_tables says `file`
 * (see scratchNeeded).
 */

/**
 * Staged rows (CalWORKs and child-welfare, after ingest) per GB of database.memory_limit that a
 * night's TEMP tables take without the scratch. Measured at the default 2GB: 1.3 and 2.0 million
 * rows (300,000 and 450,000 families) ran in memory within the budget, faster than with the
 * scratch: with every stage inside the transaction 89 s against 117 s and 172 s against 195 s;
 * with the work before the transaction (Stage.prepare) at 2.0 million rows, 141 s and 2,034 MiB
 * peak against 203 s and 2,254 MiB. 6.7 million (statewide) ran out of memory without the scratch
 * both ways (in the last stage; in normalize, before the transaction). A night above the line does
 * all its work inside the transaction (the runner skips the stages' prepare but ingest's).
 */
export const SCRATCH_ROWS_PER_GB = 1_000_000;

/**
 * Whether a night of `stagedRows` keeps its working tables in the database file, for
 * database.working_tables `setting` and a budget of `budgetBytes` (null: a budget DuckDB reads its own way).
 */
export function scratchNeeded(setting: 'auto' | 'memory' | 'file', stagedRows: number, budgetBytes: number | null): boolean {
  if (setting !== 'auto') return setting === 'file';
  return budgetBytes === null || stagedRows > (budgetBytes / 1e9) * SCRATCH_ROWS_PER_GB;
}

const CREATE_TEMP = /\bCREATE\s+(OR\s+REPLACE\s+)?TEMP(?:ORARY)?\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?("[^"]+"|[A-Za-z_][A-Za-z0-9_]*)/gi;

/** The tables a statement creates as TEMP (names unquoted), in order. */
export function tempTablesCreated(sql: string): string[] {
  return [...sql.matchAll(CREATE_TEMP)].map((m) => unquote(m[3]!));
}

/**
 * `sql` with its TEMP table creations made in the database file, except for the names in `keepTemp`.
 * Pure: the caller decides which names are safe (see Db.exec).
 */
export function persistTempTables(sql: string, keepTemp: ReadonlySet<string>): string {
  return sql.replace(CREATE_TEMP, (whole, orReplace: string | undefined, ifNotExists: string | undefined, name: string) =>
    keepTemp.has(unquote(name)) ? whole : `CREATE ${orReplace ?? ''}TABLE ${ifNotExists ?? ''}${name}`,
  );
}

function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name;
}
