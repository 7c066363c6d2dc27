/**
 * Reference data of the normalize stage: CSV files under src/normalize/data/
 * (nicknames, name placeholders, street words), loaded into DuckDB tables so
 * a county can extend them without touching code.
 *
 * tsc does not copy non-TS files to dist/, so the files are resolved from the
 * package root (the folder holding package.json), which is the same whether
 * the code runs from src/ (tests) or dist/src/ (the CLI).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/database.js';
import { lit } from '../db/sql.js';

let root: string | undefined;

/** The folder of the linkages package.json, found by walking up from this module. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && /"name"\s*:\s*"linkages"/.test(readFileSync(candidate, 'utf8'))) {
      root = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the linkages package root (package.json)');
    dir = up;
  }
}

export function normalizeDataFile(name: string): string {
  return join(packageRoot(), 'src', 'normalize', 'data', name);
}

/** The reference tables, each replaced from its CSV file on every run. */
export const REFERENCE_TABLES = {
  int_ref_nicknames: { file: 'nicknames.csv', columns: ['name', 'formal'] },
  int_ref_name_placeholders: { file: 'name_placeholders.csv', columns: ['value', 'part'] },
  int_ref_street_words: { file: 'street_words.csv', columns: ['kind', 'word', 'standard'] },
} as const;

export async function loadReferenceData(db: Db): Promise<void> {
  for (const [table, { file, columns }] of Object.entries(REFERENCE_TABLES)) {
    const path = normalizeDataFile(file);
    if (!existsSync(path)) throw new Error(`reference data file missing: src/normalize/data/${file}`);
    const cols = `{${columns.map((c) => `${lit(c)}: 'VARCHAR'`).join(', ')}}`;
    await db.exec(
      `CREATE OR REPLACE TEMP TABLE ${table} AS
       SELECT DISTINCT ${columns.map((c) => `upper(trim(${c})) AS ${c}`).join(', ')}
       FROM read_csv(${lit(path)}, header = true, delim = ',', quote = '"', auto_detect = false, columns = ${cols})
       WHERE ${columns.map((c) => `coalesce(trim(${c}), '') <> ''`).join(' AND ')}`,
    );
  }
  // Every given name is its own formal name; a name's groups are itself plus its formals.
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE int_ref_name_groups AS
    SELECT name, list(DISTINCT formal ORDER BY formal) AS groups
    FROM (
      SELECT name, formal FROM int_ref_nicknames
      UNION SELECT name, name FROM int_ref_nicknames
      UNION SELECT formal, formal FROM int_ref_nicknames
    )
    GROUP BY name`);
}
