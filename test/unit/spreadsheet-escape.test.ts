/**
 * Spreadsheet safety of CSV cells: a text cell that Excel or LibreOffice
 * would run as a formula gets a leading apostrophe, numbers stay numbers,
 * the SQL macro (used by every CSV writer) and the JS twins agree, and the
 * import side reverses the escaping exactly.
 */
import { describe, expect, it } from 'vitest';
import { csvEscapeValue, csvUnescapeValue } from '../../src/db/csv.js';
import { lit } from '../../src/db/sql.js';
import { withConnection } from '../helpers/db.js';
import { cellValue } from '../../src/review/decisionsFile.js';

const DANGEROUS = ['=HYPERLINK("http://x","y")', '=1+2', '+SUM(A1)', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd', '=', '-', '+', '@', "-cmd|' /C calc'!A0"];
const SAFE = ['MARIA', '', "O'BRIEN", '12 MAIN ST', '2026-11-20', '-5', '+3.5', '-0.25', '42', 'a=b', ' =x', "'quoted"];

describe('spreadsheet escaping', () => {
  it('escapes every formula-looking cell and leaves numbers and plain text alone (JS)', () => {
    for (const s of DANGEROUS) expect(csvEscapeValue(s), JSON.stringify(s)).toBe(`'${s}`);
    for (const s of SAFE) expect(csvEscapeValue(s), JSON.stringify(s)).toBe(s);
  });

  it('round-trips through the import: unescape(escape(x)) = x', () => {
    for (const s of [...DANGEROUS, ...SAFE]) expect(csvUnescapeValue(csvEscapeValue(s))).toBe(s);
    // the review import trims cells; an escaped id comes back as the id
    expect(cellValue(" '-P123 ")).toBe('-P123');
  });

  it('the SQL macro every CSV writer uses agrees with the JS version, and its inverse too', async () => {
    await withConnection(async (db) => {
      const values = [...DANGEROUS, ...SAFE];
      const rows = await db.all<{ i: number; e: string; u: string }>(
        `SELECT i, csv_escape(v) AS e, csv_unescape(csv_escape(v)) AS u
         FROM (VALUES ${values.map((v, i) => `(${i}, ${lit(v)})`).join(', ')}) t(i, v) ORDER BY i`,
      );
      rows.forEach((r) => {
        expect(r.e, JSON.stringify(values[r.i])).toBe(csvEscapeValue(values[r.i]!));
        expect(r.u).toBe(values[r.i]);
      });
      expect(await db.one(`SELECT csv_escape(NULL::VARCHAR) AS e`)).toEqual({ e: null });
    });
  });
});
