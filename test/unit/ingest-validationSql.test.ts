/**
 * The SQL compiled from the zod field registry must decide every cell exactly
 * as zod's validateCell does: same value, same readable/unreadable verdict.
 */
import { describe, expect, it } from 'vitest';
import { calworksFields } from '../../schemas/calworks.js';
import { cwsFields } from '../../schemas/cws.js';
import { contactsFields, workersFields } from '../../schemas/rosters.js';
import { validateCell, type FieldSpec } from '../../schemas/fields.js';
import { lit } from '../../src/db/sql.js';
import { fieldsNeedTrim, NEEDS_TRIM, needsTrimSql, trimmedSql, valueSql } from '../../src/ingest/validationSql.js';
import { withConnection } from '../helpers/db.js';

const CORPUS: (string | null)[] = [
  null,
  '',
  ' ',
  '\t',
  '\u00a0',
  '\ufeff',
  '\u3000 \u2028',
  // dates
  '2024-01-05',
  ' 2024-01-05 ',
  '\u00a02024-01-05\ufeff',
  '2024-02-29',
  '2023-02-29',
  '2024-02-30',
  '2024-13-01',
  '2024-00-10',
  '2024-01-00',
  '0000-01-01',
  '0001-01-01',
  '9999-12-31',
  '2024-1-05',
  '24-01-05',
  '2024/01/05',
  '20240105',
  '02/29/2024',
  '02/29/2023',
  '1/5/2024',
  '01/05/2024',
  '13/01/2024',
  '12/31/0000',
  '12/31/0001',
  '1/5/24',
  '001/5/2024',
  '02/30/2024',
  '2024-01-05T00:00:00',
  '2024-01-05 ',
  '１２/０１/２０２４',
  '1985-13-45',
  // flags
  'Y',
  'y',
  'N',
  'n',
  '1',
  '0',
  'true',
  'TRUE',
  'True',
  'false',
  'FALSE',
  'yes',
  'no',
  'T',
  'F',
  '2',
  ' y ',
  'Ｙ',
  // enums
  'parent',
  'Parent',
  'PARENT',
  'child ',
  'other',
  'PARENTS',
  'f',
  'm',
  'x',
  'u',
  'open',
  'closed',
  'sealed',
  'Sensitive',
  'er',
  'fm',
  'Fr',
  'pp',
  'sanctioned',
  'good_cause',
  'good cause',
  'ſanctioned',
  'partıcipating',
  'active',
  'pending',
  'substantiated',
  'evaluated_out',
  '3',
  '4',
  // numbers
  '12',
  '12.5',
  '012',
  '00012.50',
  '0',
  '0.0',
  '-1',
  '+1',
  '1.',
  '.5',
  '1e3',
  '1,000',
  '1 000',
  '20 ',
  'NaN',
  'Infinity',
  '2147483647',
  '2147483648',
  '99999999999',
  `1${'0'.repeat(400)}`,
  '٣',
  // SSNs
  '123-45-6789',
  '123456789',
  '123 45 6789',
  '123-456789',
  '12345-6789',
  '123--45-6789',
  '12-345-6789',
  '123-45-678',
  '1234567890',
  'ABC-DE-FGHI',
  '123-45-678O',
  ' 123-45-6789 ',
  '000-00-0000',
  '９８７６５４３２１',
  // text and hostile
  'GARCIA',
  'de la Cruz',
  "O'Brien",
  '"quoted"',
  '=HYPERLINK("http://x","y")',
  'a\nb',
  'é',
  '\u0001',
];

/** One spec per distinct validation rule found in the schemas. */
function distinctSpecs(): FieldSpec[] {
  const seen = new Map<string, FieldSpec>();
  for (const f of [...calworksFields, ...cwsFields, ...workersFields, ...contactsFields]) {
    const k = `${f.meta.kind}:${(f.meta.values ?? []).join('|')}`;
    if (!seen.has(k)) seen.set(k, f);
  }
  return [...seen.values()];
}

/** zod's value in the form DuckDB's JSON rows give it. */
function expected(spec: FieldSpec, raw: string | null): string | number | boolean | null {
  const v = validateCell(spec, raw).value;
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  return v as string | boolean;
}

describe('validation SQL compiled from the zod registry', () => {
  it('flags a record for trimming exactly when a field has whitespace at either end', () => {
    const fields = CORPUS.map((v) => v ?? '');
    for (const f of fields) expect(fieldsNeedTrim([f]), JSON.stringify(f)).toBe(NEEDS_TRIM.test(f));
    for (let i = 0; i + 2 < fields.length; i++) {
      const rec = [fields[i]!, 'X', fields[i + 2]!];
      expect(fieldsNeedTrim(rec), JSON.stringify(rec)).toBe(NEEDS_TRIM.test(rec.join('\x1f')));
    }
  });

  it('agrees with validateCell on every cell of the corpus, for every kind of field', async () => {
    const specs = distinctSpecs();
    expect(specs.map((s) => s.meta.kind).sort()).toEqual(expect.arrayContaining(['date', 'enum', 'flag', 'integer', 'number', 'ssn', 'text']));
    await withConnection(async (db) => {
      // The readers' needs-trim flag (JavaScript) and its SQL twin (Parquet) must both see every cell to trim.
      const values = CORPUS.map((v, i) => `(${i}, ${v === null ? 'NULL' : lit(v)}, ${NEEDS_TRIM.test(v ?? '')})`).join(', ');
      await db.exec(`CREATE TEMP TABLE corpus AS SELECT * FROM (VALUES ${values}) AS t(i, raw, js_flag)`);
      const flags = await db.all<{ i: number; js_flag: boolean; sql_flag: boolean }>(
        `SELECT i, js_flag, ${needsTrimSql(['raw'])} AS sql_flag FROM corpus ORDER BY i`,
      );
      expect(flags.filter((f) => f.js_flag !== f.sql_flag).map((f) => JSON.stringify(CORPUS[f.i]))).toEqual([]);
      const mismatches: string[] = [];
      for (const spec of specs) {
        const rows = await db.all<{ i: number; present: boolean; v: unknown; flagged_same: boolean }>(
          `SELECT i, t IS NOT NULL AS present, ${valueSql(spec, 't')} AS v, t IS NOT DISTINCT FROM tf AS flagged_same
           FROM (SELECT i, ${trimmedSql('raw')} AS t, ${trimmedSql('raw', 'js_flag')} AS tf FROM corpus) ORDER BY i`,
        );
        for (const row of rows) {
          const raw = CORPUS[row.i]!;
          const zod = validateCell(spec, raw);
          const want = expected(spec, raw);
          const got = row.v === undefined ? null : (row.v as string | number | boolean | null);
          const zodPresent = (raw ?? '').trim() !== '';
          const zodUnreadable = zod.error !== undefined;
          const sqlUnreadable = row.present && got === null;
          if (got !== want || row.present !== zodPresent || sqlUnreadable !== zodUnreadable || !row.flagged_same) {
            mismatches.push(`${spec.meta.kind} ${spec.name} ${JSON.stringify(raw)}: zod ${JSON.stringify(want)} sql ${JSON.stringify(got)}`);
          }
        }
      }
      expect(mismatches).toEqual([]);
    });
  });
});
