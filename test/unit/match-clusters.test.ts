/**
 * Mutual-client ids across nights: stable while a component only gains or
 * loses records, retired (never reused) on a merge or a split, the lineage
 * kept, and the same ids when a night is re-run.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { assignMutualClients } from '../../src/match/registry.js';

let db: Db;

beforeEach(async () => {
  db = await openDatabase(':memory:', { threads: 2, memoryLimit: '1GB' });
  await migrate(db);
});
afterEach(() => db.close());

/**
 * One night: `links` are CalWORKs person x child-welfare client ids; every id
 * in them (and in `alsoPresent`) is in tonight's extracts. Returns the
 * mutual_client_id of each record ("P1" -> "MC0000001").
 */
async function night(date: string, links: [string, string][], alsoPresent: string[] = []): Promise<Record<string, string>> {
  const ids = new Set([...links.flat(), ...alsoPresent]);
  const values = [...ids].map((id) => `('${id.startsWith('P') ? 'CALWORKS' : 'CWS'}', '${id}')`).join(', ');
  await db.exec(`
    CREATE OR REPLACE TABLE int_persons AS
    SELECT hash(system, person_key) AS pid, system, person_key FROM (VALUES ${values || "('CALWORKS', '-')"}) t(system, person_key)`);
  const linkValues = links.map(([l, r]) => `('${l}', '${r}')`).join(', ');
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_links AS
    SELECT hash('CALWORKS', l) AS pid_l, hash('CWS', r) AS pid_r, l AS calworks_person_id, r AS cws_client_id,
           NULL::VARCHAR AS mutual_client_id
    FROM (VALUES ${linkValues || "('-', '-')"}) t(l, r) WHERE ${links.length ? 'TRUE' : 'FALSE'}`);
  await assignMutualClients(db, date);
  // the match stage records every night it ran in model_params; that is how the next night finds this one
  await db.exec(`
    DELETE FROM model_params WHERE run_date = DATE '${date}';
    INSERT INTO model_params VALUES (DATE '${date}', 'x', 0, 'x', 1, 1, 0, FALSE, FALSE, 0, 0, 0.5, 0.3, -10, 0, TRUE, 4, 6, 1, TRUE, 0, 0)`);
  const rows = await db.all<{ person_key: string; mutual_client_id: string }>(
    `SELECT person_key, mutual_client_id FROM clusters WHERE run_date = DATE '${date}'`,
  );
  return Object.fromEntries(rows.map((r) => [r.person_key, r.mutual_client_id]));
}

const registry = (id: string) =>
  db.one<{ created_on: string; retired_on: string | null; retire_reason: string | null; predecessors: string[]; successors: string[] | null }>(
    `SELECT strftime(created_on, '%Y-%m-%d') AS created_on, strftime(retired_on, '%Y-%m-%d') AS retired_on, retire_reason, predecessors, successors
     FROM mutual_client_registry WHERE mutual_client_id = '${id}'`,
  );

describe('mutual-client ids', () => {
  it('settles a chain of 4,000 links (wrong links on degenerate input) into one component', async () => {
    // P0-C0-P1-C1-...: one round per link would exceed the rounds allowed
    const links: [string, string][] = [];
    for (let i = 0; i < 2000; i++) links.push([`P${i}`, `C${i}`], [`P${i + 1}`, `C${i}`]);
    const ids = await night('2026-11-20', links);
    expect(new Set(Object.values(ids)).size).toBe(1);
    expect(Object.keys(ids).length).toBe(4001);
  });

  it('puts two ids of one person in one component', async () => {
    const ids = await night('2026-01-01', [
      ['P1', 'C1'],
      ['P1', 'C2'],
      ['P2', 'C2'],
      ['P3', 'C3'],
    ]);
    expect(ids.P1).toBe(ids.C1);
    expect(ids.C2).toBe(ids.P1);
    expect(ids.P2).toBe(ids.P1);
    expect(ids.P3).not.toBe(ids.P1);
    expect(new Set(Object.values(ids)).size).toBe(2);
  });

  it('keeps every id when a new child-welfare record of an existing person arrives', async () => {
    const first = await night('2026-01-01', [
      ['P1', 'C1'],
      ['P2', 'C2'],
      ['P3', 'C3'],
    ]);
    const second = await night('2026-01-02', [
      ['P1', 'C1'],
      ['P2', 'C2'],
      ['P3', 'C3'],
      ['P2', 'C9'],
      ['P4', 'C4'],
    ]);
    for (const key of ['P1', 'C1', 'P2', 'C2', 'P3', 'C3']) expect(second[key]).toBe(first[key]);
    expect(second.C9).toBe(first.P2);
    expect(second.P4).toBe('MC0000004'); // a new component gets the next number
  });

  it('retires both ids on a merge, with the new id listing them as predecessors', async () => {
    const a = await night('2026-01-01', [
      ['P1', 'C1'],
      ['P2', 'C2'],
    ]);
    const b = await night('2026-01-02', [
      ['P1', 'C1'],
      ['P2', 'C2'],
      ['P1', 'C2'],
    ]);
    const merged = b.P1!;
    expect(merged).not.toBe(a.P1);
    expect(merged).not.toBe(a.P2);
    expect(b.P2).toBe(merged);
    expect((await registry(merged))?.predecessors).toEqual([a.P1, a.P2].sort());
    for (const old of [a.P1!, a.P2!]) {
      const r = await registry(old);
      expect(r?.retire_reason).toBe('merge');
      expect(r?.retired_on).toBe('2026-01-02');
      expect(r?.successors).toEqual([merged]);
    }
  });

  it('retires the id on a split, never reuses it, and keeps the lineage', async () => {
    const a = await night('2026-01-01', [
      ['P1', 'C1'],
      ['P1', 'C2'],
      ['P2', 'C2'],
    ]);
    const b = await night('2026-01-02', [
      ['P1', 'C1'],
      ['P2', 'C2'],
    ]);
    const old = a.P1!;
    expect(b.P1).not.toBe(old);
    expect(b.P2).not.toBe(old);
    expect(b.P1).not.toBe(b.P2);
    const r = await registry(old);
    expect(r?.retire_reason).toBe('split');
    expect(r?.successors).toEqual([b.P1, b.P2].sort());
    expect((await registry(b.P1!))?.predecessors).toEqual([old]);
    // a later night never issues the retired id again
    const c = await night('2026-01-03', [
      ['P1', 'C1'],
      ['P2', 'C2'],
      ['P7', 'C7'],
    ]);
    expect(Object.values(c)).not.toContain(old);
  });

  it('keeps the id when a component loses a record but stays whole', async () => {
    const a = await night('2026-01-01', [
      ['P1', 'C1'],
      ['P1', 'C2'],
    ]);
    const b = await night('2026-01-02', [['P1', 'C1']], ['C2']); // C2's link is gone (say, a NO_MATCH decision)
    expect(b.P1).toBe(a.P1);
    expect(b.C2).toBeUndefined();
  });

  it('retires an id whose records all left the extracts as dissolved', async () => {
    const a = await night('2026-01-01', [
      ['P1', 'C1'],
      ['P2', 'C2'],
    ]);
    await night('2026-01-02', [['P1', 'C1']]);
    expect((await registry(a.P2!))?.retire_reason).toBe('dissolved');
  });

  it('gives the same ids when a night is re-run', async () => {
    await night('2026-01-01', [
      ['P1', 'C1'],
      ['P2', 'C2'],
    ]);
    const once = await night('2026-01-02', [
      ['P1', 'C1'],
      ['P2', 'C2'],
      ['P1', 'C2'],
      ['P3', 'C3'],
    ]);
    const registryOnce = await db.all(`SELECT * FROM mutual_client_registry ORDER BY ALL`);
    const again = await night('2026-01-02', [
      ['P1', 'C1'],
      ['P2', 'C2'],
      ['P1', 'C2'],
      ['P3', 'C3'],
    ]);
    expect(again).toEqual(once);
    expect(await db.all(`SELECT * FROM mutual_client_registry ORDER BY ALL`)).toEqual(registryOnce);
  });

  it('re-running an earlier night never deletes or renumbers an id a later night uses', async () => {
    const n1 = [
      ['P1', 'C1'],
      ['P2', 'C2'],
      ['P4', 'C4'],
    ] as [string, string][];
    const a = await night('2026-01-01', n1);
    // night 2 keeps P1's id, merges P2 and P4 (retiring both), adds P3
    const b = await night('2026-01-02', [
      ['P1', 'C1'],
      ['P2', 'C2'],
      ['P4', 'C4'],
      ['P2', 'C4'],
      ['P3', 'C3'],
    ]);
    const laterClusters = await db.all(`SELECT * FROM clusters WHERE run_date > DATE '2026-01-01' ORDER BY ALL`);
    const registryBefore = await db.all(`SELECT * FROM mutual_client_registry ORDER BY ALL`);

    // the same inputs again: nothing changes at all
    expect(await night('2026-01-01', n1)).toEqual(a);
    expect(await db.all(`SELECT * FROM mutual_client_registry ORDER BY ALL`)).toEqual(registryBefore);

    // different inputs for night 1: P2's link is gone, P5 is new
    const again = await night('2026-01-01', [
      ['P1', 'C1'],
      ['P4', 'C4'],
      ['P5', 'C5'],
    ]);
    expect(again.P1).toBe(a.P1);
    expect(again.P4).toBe(a.P4);
    // a new number, above every number ever issued
    expect([a.P1, a.P2, a.P4, b.P1, b.P2, b.P3]).not.toContain(again.P5);
    expect(await db.all(`SELECT * FROM clusters WHERE run_date > DATE '2026-01-01' ORDER BY ALL`)).toEqual(laterClusters);
    // every id a later night refers to is still in the registry, with its later retirement and lineage
    const orphans = await db.all(`
      SELECT mutual_client_id FROM clusters WHERE run_date > DATE '2026-01-01'
      UNION SELECT unnest(predecessors) FROM mutual_client_registry WHERE created_on > DATE '2026-01-01'
      EXCEPT SELECT mutual_client_id FROM mutual_client_registry`);
    expect(orphans).toEqual([]);
    expect(await registry(a.P2!)).toMatchObject({ created_on: '2026-01-01', retired_on: '2026-01-02', retire_reason: 'merge', successors: [b.P2] });
    expect(await registry(a.P4!)).toMatchObject({ retired_on: '2026-01-02', retire_reason: 'merge' });
    expect((await registry(b.P2!))?.predecessors).toEqual([a.P2, a.P4].sort());
    const n = await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM mutual_client_registry`);
    expect(n?.n).toBe(registryBefore.length + 1);
  });
});
