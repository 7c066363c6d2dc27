import { describe, expect, it } from 'vitest';
import { persistTempTables, scratchNeeded, tempTablesCreated } from '../../src/db/scratch.js';
import { openDatabase } from '../../src/db/database.js';

describe('the night scratch tables (src/db/scratch.ts)', () => {
  it('finds each TEMP table a statement makes, and moves only the ones not kept', () => {
    const sql = `CREATE OR REPLACE TEMP TABLE tmp_a AS SELECT 1; create temp table if not exists "odd name" (x INT); CREATE TEMP MACRO m(x) AS x`;
    expect(tempTablesCreated(sql)).toEqual(['tmp_a', 'odd name']);
    expect(persistTempTables(sql, new Set(['odd name']))).toBe(
      `CREATE OR REPLACE TABLE tmp_a AS SELECT 1; create temp table if not exists "odd name" (x INT); CREATE TEMP MACRO m(x) AS x`,
    );
  });

  it('puts the working tables in the file only for a night too big for its budget, unless told', () => {
    const twoGB = 2e9;
    expect(scratchNeeded('auto', 1_330_000, twoGB)).toBe(false); // 300,000 families
    expect(scratchNeeded('auto', 6_700_000, twoGB)).toBe(true); // statewide
    expect(scratchNeeded('auto', 6_700_000, 16e9)).toBe(false); // a bigger server
    expect(scratchNeeded('auto', 10, null)).toBe(true);
    expect(scratchNeeded('file', 10, twoGB)).toBe(true);
    expect(scratchNeeded('memory', 6_700_000, twoGB)).toBe(false);
  });

  it('keeps a night scratch table out of the committed database, and never replaces a real table', async () => {
    const db = await openDatabase(':memory:', { threads: 1, memoryLimit: '500MB' });
    try {
      await db.exec(`CREATE TABLE links (x INT); INSERT INTO links VALUES (7); CREATE TEMP TABLE raw_x AS SELECT 1 AS y`);
      await db.exec('BEGIN TRANSACTION');
      db.beginScratch();
      await db.exec(`CREATE OR REPLACE TEMP TABLE tmp_work AS SELECT 2 AS z`);
      await db.exec(`CREATE OR REPLACE TEMP TABLE links AS SELECT 3 AS x`); // a TEMP table shadowing a real one stays TEMP
      await db.exec(`CREATE OR REPLACE TEMP TABLE raw_x AS SELECT 4 AS y`); // made before the night: stays TEMP
      const during = await db.all<{ table_name: string; temporary: boolean }>(
        `SELECT table_name, temporary FROM duckdb_tables() WHERE table_name IN ('tmp_work', 'links', 'raw_x') ORDER BY ALL`,
      );
      expect(during).toEqual([
        { table_name: 'links', temporary: false },
        { table_name: 'links', temporary: true },
        { table_name: 'raw_x', temporary: true },
        { table_name: 'tmp_work', temporary: false },
      ]);
      await db.dropScratch();
      await db.exec('COMMIT');
      expect(await db.count(`SELECT count(*) FROM duckdb_tables() WHERE table_name = 'tmp_work'`)).toBe(0);
      expect(await db.count(`SELECT x FROM memory.main.links`)).toBe(7);
    } finally {
      db.close();
    }
  });
});
