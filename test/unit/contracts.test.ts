/**
 * The table contracts (src/db/contract.ts; each stage's tables.ts declares
 * its own): every table the migrations create has exactly one owner that
 * declares it; a broken contract is named in one line with counts, not
 * values. (After two nights of `linkages run`: test/e2e/nights.test.ts; the
 * runner checks each stage's tables as it goes, so every e2e run checks them.)
 */
import { describe, expect, it } from 'vitest';
import { checkContracts, contractSql, contractViolations } from '../../src/db/contract.js';
import { CLASSIFY_TABLES } from '../../src/classify/tables.js';
import { withConnection } from '../helpers/db.js';
import { PERSISTED_CONTRACTS } from '../helpers/contracts.js';

const NIGHT1 = '2026-11-20';
const NIGHT2 = '2026-11-21';

describe('table contracts', () => {
  it('every table of the schema is declared by exactly one owner', async () => {
    await withConnection(async (db) => {
      const tables = (await db.all<{ t: string }>(`SELECT table_name AS t FROM duckdb_tables() WHERE NOT temporary ORDER BY 1`)).map((r) => r.t);
      const declared = Object.values(PERSISTED_CONTRACTS).flatMap((cs) => cs.map((c) => c.table));
      expect(new Set(declared).size, 'a table declared twice').toBe(declared.length);
      // the search index is built by the export stage, not by a migration
      expect(declared.filter((t) => !t.startsWith('search_')).sort()).toEqual(tables);
    });
  });

  it('a broken contract is named with counts: a duplicated case, a tier that does not exist', async () => {
    await withConnection(async (db) => {
      await db.exec(`
        INSERT INTO tiers (run_date, case_number, tier, reasons) VALUES
          (DATE '${NIGHT1}', 'B1', 'MUTUAL', 'r'), (DATE '${NIGHT1}', 'B1', 'MUTUAL', 'r'),
          (DATE '${NIGHT1}', 'B2', 'PREVENTON', 'r'), (DATE '${NIGHT2}', 'B1', 'MUTUAL', 'r')`);
      const tiers = CLASSIFY_TABLES.find((c) => c.table === 'tiers')!;
      expect(await contractViolations(db, tiers, NIGHT1)).toEqual([
        'tiers: 1 value(s) of (run_date, case_number) on more than one row',
        'tiers: 1 row(s) with tier not one of MUTUAL, EARLY_INTERVENTION, PREVENTION',
      ]);
      expect(await contractViolations(db, tiers, NIGHT2)).toEqual([]);
      await expect(checkContracts(db, CLASSIFY_TABLES, NIGHT1)).rejects.toThrow(/^table contract broken: tiers: 1 value/);
    });
  });

  it('a check of the grain alone reads one row of counts, not one per row of the table', async () => {
    await withConnection(async (db) => {
      await db.exec(`CREATE TEMP TABLE people AS SELECT range % 50000 AS sid FROM range(50001)`);
      const grainOnly = { table: 'people', nightly: false, grain: ['sid'] };
      expect(await db.all(contractSql(grainOnly))).toEqual([{ duplicate_grain: '1' }]);
      expect(await contractViolations(db, grainOnly)).toEqual(['people: 1 value(s) of (sid) on more than one row']);
    });
  });

  it('an optional table is checked only when it exists; a missing table otherwise fails the check', async () => {
    await withConnection(async (db) => {
      await expect(checkContracts(db, [{ table: 'search_persons', nightly: false, grain: ['sid'], optional: true }])).resolves.toBeUndefined();
      await expect(checkContracts(db, [{ table: 'search_persons', nightly: false, grain: ['sid'] }])).rejects.toThrow(/search_persons/);
    });
  });
});
