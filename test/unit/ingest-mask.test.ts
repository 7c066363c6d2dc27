/**
 * quarantine.csv's masked rows: the JavaScript rules (readers' rejects) and the
 * SQL rules (validation's rejects) give the same text for the same cells.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { lit } from '../../src/db/sql.js';
import { planHeader } from '../../src/ingest/header.js';
import { INPUT_SPECS } from '../../src/ingest/inputs.js';
import { maskedRow, maskedRowSql, maskPlan, maskSsn, SEALED_WITHHELD, shape } from '../../src/ingest/mask.js';

const header = ['extract_date', 'client_id', 'referral_id', 'client_role', 'first_name', 'dob', 'ssn', 'sex', 'sensitivity', 'notes', 'referral_date'];
const spec = INPUT_SPECS.cws;
const mask = maskPlan(spec, planHeader(spec, header, {}, 'cws.csv'));

const rows: string[][] = [
  ['2026-03-01', 'K1', 'R1', 'PARENT', 'MARÍA JOSÉ', '1985-13-45', '501-20-3400', 'F', 'NONE', 'x, "y"', '2026-01-01'],
  ['2026-03-01', 'K2', 'R1', 'MELISSA', "O'NEIL", '04/07/1984', '501203400', 'q', '', '', ''],
  ['2026-03-01', 'K3', 'R1', 'CHILD', 'ANA', '', 'SEE FILE', 'M', ' sealed ', '', ''],
  ['', '', '', '', '', '', '12', '', '', '=1+2', ''],
];

describe('masked quarantine rows', () => {
  it('shows shapes, last four SSN digits, allowed codes, and withholds SEALED rows', () => {
    expect(shape('MARÍA 12-b')).toBe('XXXXX 99-X');
    expect(maskSsn('501-20-3400')).toBe('999-99-3400');
    expect(maskSsn('SEE FILE')).toBe('XXX XXXX');
    expect(maskedRow(rows[0]!, mask)).toBe('2026-03-01,K1,R1,PARENT,XXXXX XXXX,9999-99-99,999-99-3400,F,NONE,"X, ""X""",2026-01-01');
    expect(maskedRow(rows[1]!, mask)).toBe("2026-03-01,K2,R1,XXXXXXX,X'XXXX,99/99/9999,999993400,X,,,");
    expect(maskedRow(rows[2]!, mask)).toBe(SEALED_WITHHELD);
    expect(maskedRow(['SEALED', 'x'], mask)).toBe(SEALED_WITHHELD);
    expect(maskedRow(['K9', 'ANA'], mask)).toBe('X9,XXX');
  });

  it('gives the same text in SQL as in JavaScript', async () => {
    const db = await openDatabase(':memory:');
    try {
      const cols = header.map((_, i) => `c${i}`);
      const values = rows.map((r) => `(${r.map((v) => lit(v)).join(', ')})`).join(', ');
      const got = await db.all<{ m: string }>(`SELECT ${maskedRowSql(mask, cols, 'r')} AS m FROM (VALUES ${values}) r(${cols.join(', ')})`);
      expect(got.map((g) => g.m)).toEqual(rows.map((r) => maskedRow(r, mask)));
    } finally {
      db.close();
    }
  });
});
