/**
 * database.working_tables: a night's working tables in DuckDB's TEMP catalog (`memory`) or in the
 * database file (`file`, src/db/scratch.ts) give the same nights: the same files byte for byte and
 * the same committed tables, with nothing of the scratch left in the database.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { ident } from '../../src/db/sql.js';
import { makeNights, NIGHT2, runNight, snapshotFiles } from './nights.helpers.js';

let tmp: string;
let data: string[];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'linkages-working-tables-'));
  data = await makeNights(join(tmp, 'data'), 300, 2718);
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Every table of the database with its row count. */
async function tables(db: string): Promise<Record<string, number>> {
  const conn = await openDatabase(db, { threads: 1, memoryLimit: '1GB', readOnly: true });
  try {
    const names = await conn.all<{ t: string }>(`SELECT table_name AS t FROM duckdb_tables() WHERE NOT temporary ORDER BY 1`);
    const out: Record<string, number> = {};
    for (const { t } of names) out[t] = await conn.count(`SELECT count(*) FROM ${ident(t)}`);
    return out;
  } finally {
    conn.close();
  }
}

it('makes the same two nights with the working tables in memory and in the database file', async () => {
  const night = async (where: 'memory' | 'file') => {
    const config = join(tmp, `${where}.json`);
    writeFileSync(config, JSON.stringify({ database: { working_tables: where } }));
    const db = join(tmp, `${where}.duckdb`);
    const out = join(tmp, `out-${where}`);
    for (const d of data) {
      const r = runNight(d, db, out, ['--config', config, '--log-level', 'info']);
      expect(r.code, r.stderr).toBe(0);
    }
    const log = readFileSync(join(out, 'logs', 'linkages.jsonl'), 'utf8');
    expect(log.includes('working tables in the database file')).toBe(where === 'file');
    return { files: snapshotFiles(join(out, NIGHT2)), tables: await tables(db) };
  };
  const memory = await night('memory');
  const file = await night('file');
  expect(memory.files.size).toBeGreaterThan(5);
  expect(file.files).toEqual(memory.files);
  expect(file.tables).toEqual(memory.tables);
  expect(Object.keys(file.tables).some((t) => /^(tmp_|int_|fx_)/.test(t))).toBe(false);
});
