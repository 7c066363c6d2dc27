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
 */

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
