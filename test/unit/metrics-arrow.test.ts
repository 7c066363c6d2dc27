/**
 * A record-level metrics table written as Arrow IPC is streamed in record
 * batches (one per DuckDB chunk), not held whole in Node: the file reads
 * back with every row in order, its SQL types and the codebook's metadata.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { openDatabase, type Db } from '../../src/db/database.js';
import { writeMetricsTable } from '../../src/metrics/writeTable.js';

let db: Db;
let dir: string;

beforeEach(async () => {
  db = await openDatabase(':memory:', { threads: 2, memoryLimit: '1GB' });
  dir = mkdtempSync(join(tmpdir(), 'linkages-arrow-'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('metrics as Arrow', () => {
  it('writes 10,000 rows in several record batches that read back whole and in order', async () => {
    await db.exec(`
      CREATE TABLE metrics_identification AS
      SELECT DATE '2026-01-01' + (i % 300)::INTEGER AS identified_on, printf('MC%07d', i) AS mutual_client_id,
             [printf('B%08d', i)] AS case_numbers, i::BIGINT AS n
      FROM range(10000) t(i)`);
    const file = await writeMetricsTable(db, 'metrics_identification', 'identified_on, mutual_client_id', dir, 'arrow', null);
    const table = tableFromIPC(readFileSync(file));
    expect(table.numRows).toBe(10000);
    expect(table.batches.length).toBeGreaterThan(1);
    const ids = table.getChild('mutual_client_id')!.toArray() as string[];
    const expected = Array.from({ length: 10000 }, (_, i) => i)
      .sort((a, b) => (a % 300) - (b % 300) || a - b)
      .map((i) => `MC${String(i).padStart(7, '0')}`);
    expect(Array.from(ids)).toEqual(expected);
    expect(String(table.schema.fields.find((f) => f.name === 'case_numbers')!.type)).toBe('List<Utf8>');
    expect(table.schema.metadata.get('grain')).toMatch(/one row per mutual client/);
  });

  it('writes the schema of an empty table', async () => {
    await db.exec(`CREATE TABLE metrics_identification (identified_on DATE, mutual_client_id VARCHAR)`);
    const table = tableFromIPC(readFileSync(await writeMetricsTable(db, 'metrics_identification', 'mutual_client_id', dir, 'arrow', null)));
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['identified_on', 'mutual_client_id']);
  });
});
