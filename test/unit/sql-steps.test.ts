/**
 * Given/expect tests of the biggest SQL steps, one step at a time: small
 * input tables in, the expected rows out. The tier rules from the night's
 * facts (classify/tiers.ts), the assignment priority and required hours
 * (the rules modules' SQL), and the one address tokenizer.
 */
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { parseConfig } from '../../src/config/load.js';
import { buildTierReasons, buildTiers } from '../../src/classify/tiers.js';
import { requiredHoursSql } from '../../src/classify/rules.js';
import { priorityGroupSql, priorityNameSql } from '../../src/assign/rules.js';
import { addressTokensSql, streetWordMapSql } from '../../src/normalize/addressTokens.js';
import { loadReferenceData } from '../../src/normalize/referenceData.js';
import { withConnection } from '../helpers/db.js';

const NIGHT = '2026-03-02';

/** `CREATE TEMP TABLE name AS` the rows (all of one shape), typed by DuckDB from the literals. */
async function given(db: Db, table: string, columns: string, rows: string[]): Promise<void> {
  await db.exec(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM (VALUES ${rows.join(', ')}) v(${columns})`);
}

describe('tiers from the night facts (buildTierReasons, buildTiers)', () => {
  it('each open case takes the first tier that holds, with that tier’s reasons; closed cases get none', async () => {
    await withConnection(async (db) => {
      // case K1: linked parent on an OPEN FR case -> MUTUAL; K2: linked parent with a recent referral and no open case
      // -> EARLY_INTERVENTION; K3: homeless flag -> EARLY_INTERVENTION; K4: nothing -> PREVENTION; K5: not open.
      await given(db, 'fx_cw_cases_t', 'case_number, is_open, office', [
        `('K1', TRUE, 'A')`,
        `('K2', TRUE, 'A')`,
        `('K3', TRUE, 'B')`,
        `('K4', TRUE, 'B')`,
        `('K5', FALSE, 'B')`,
      ]);
      await given(db, 'fx_cw_members_t', 'case_number, person_id, role, fr_services, family_stabilization, homeless, domestic_abuse', [
        `('K1', 'P1', 'PARENT', FALSE, FALSE, FALSE, FALSE)`,
        `('K2', 'P2', 'PARENT', FALSE, FALSE, FALSE, FALSE)`,
        `('K3', 'P3', 'PARENT', FALSE, FALSE, TRUE, FALSE)`,
        `('K4', 'P4', 'PARENT', FALSE, FALSE, FALSE, FALSE)`,
        `('K5', 'P5', 'PARENT', FALSE, FALSE, TRUE, FALSE)`,
      ]);
      await given(db, 'fx_linked_parents_t', 'case_number, person_id, mutual_client_id, client_id, sensitive', [
        `('K1', 'P1', 'M1', 'C1', FALSE)`,
        `('K2', 'P2', 'M2', 'C2', FALSE)`,
      ]);
      await given(db, 'fx_cws_rows_t', 'client_id, case_id, referral_id, referral_date, referral_disposition, dr_path', [
        `('C1', 'CS1', 'R1', DATE '2025-01-01', 'SUBSTANTIATED', NULL)`,
        `('C2', NULL, 'R2', DATE '2026-02-01', NULL, NULL)`,
      ]);
      await given(db, 'fx_cws_cases_t', 'case_id, status, component', [`('CS1', 'OPEN', 'FR')`]);
      await buildTierReasons(db, NIGHT, 't', parseConfig({}).tiers);
      await buildTiers(db, 't');
      expect(await db.all(`SELECT case_number, tier, reasons FROM tmp_tiers_t ORDER BY case_number`)).toEqual([
        { case_number: 'K1', tier: 'MUTUAL', reasons: 'parent P1 = CWS client C1: open FR case CS1' },
        { case_number: 'K2', tier: 'EARLY_INTERVENTION', reasons: 'parent P2 = CWS client C2: referral R2 of 2026-02-01 (no disposition)' },
        { case_number: 'K3', tier: 'EARLY_INTERVENTION', reasons: 'parent P3: homeless = Y' },
        { case_number: 'K4', tier: 'PREVENTION', reasons: 'open CalWORKs case; no linked child-welfare involvement and no risk flag' },
      ]);
    });
  });
});

describe('the rules modules’ SQL', () => {
  it('assignment priority: FR first, then SANCTIONED, then NONCOMPLIANCE, then the others; required hours 35/20/30', async () => {
    await withConnection(async (db) => {
      await given(db, 'people', 'id, fr_services, open_fr_case, wtw_status, n_parents, child_under_six', [
        `('a', FALSE, TRUE, 'SANCTIONED', 2, FALSE)`,
        `('b', TRUE, FALSE, NULL, 1, TRUE)`,
        `('c', FALSE, FALSE, 'SANCTIONED', 1, FALSE)`,
        `('d', FALSE, FALSE, 'NONCOMPLIANCE', 1, TRUE)`,
        `('e', FALSE, FALSE, 'PARTICIPATING', 2, TRUE)`,
      ]);
      const rows = await db.all(`
        SELECT id, ${priorityNameSql(priorityGroupSql('fr_services', 'open_fr_case', 'wtw_status'))} AS priority,
               ${requiredHoursSql('n_parents', 'child_under_six')} AS required_hours
        FROM people ORDER BY id`);
      expect(rows).toEqual([
        { id: 'a', priority: 'FAMILY_REUNIFICATION', required_hours: 35 },
        { id: 'b', priority: 'FAMILY_REUNIFICATION', required_hours: 20 },
        { id: 'c', priority: 'WTW_SANCTIONED', required_hours: 30 },
        { id: 'd', priority: 'WTW_NONCOMPLIANCE', required_hours: 20 },
        { id: 'e', priority: 'OTHER', required_hours: 35 },
      ]);
    });
  });

  it('one address tokenizer: words upper-cased, accents and punctuation gone, # its own word, street words standardized', async () => {
    await withConnection(async (db) => {
      await loadReferenceData(db);
      await given(db, 'addresses', 'raw', [`('123 North Main Street, Apt. 4')`, `('123 N. MAIN ST #4')`, `('  Calle Peña  Avenue#12 ')`]);
      const rows = await db.all<{ raw: string; words: string }>(`
        SELECT raw, array_to_string(list_transform(${addressTokensSql('raw')}, w -> coalesce(street_words.m[w], w)), ' ') AS words
        FROM addresses, (SELECT ${streetWordMapSql('#')} AS m) street_words ORDER BY raw`);
      expect(rows.map((r) => r.words)).toEqual(['CALLE PENA AVE # 12', '123 N MAIN ST # 4', '123 N MAIN ST # 4']);
    });
  });
});
