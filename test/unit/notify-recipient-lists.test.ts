/**
 * The recipients' lists (src/notify/recipientLists.ts): cut from one CSV of every recipient's
 * rows, each list is byte for byte what DuckDB writes for that recipient alone, whatever the
 * cells hold (quotes, commas, line breaks, empty text, NULL, spreadsheet formulas).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCsv } from '../../src/db/csv.js';
import { rawRecords, RECIPIENT_FIELD, splitFirstField, splitRecipientLists, type RecipientList } from '../../src/notify/recipientLists.js';
import { withConnection, withTempDir } from '../helpers/db.js';

async function* chunks(...parts: string[]) {
  yield* parts;
}
const collect = async (it: AsyncIterable<string>) => {
  const out: string[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe('recipient lists', () => {
  it('reads records whose quoted fields hold line breaks, across chunk boundaries', async () => {
    expect(await collect(rawRecords(chunks('a,"x\ny",b\nc,', 'd\n"e""', '\nf",g\n')))).toEqual(['a,"x\ny",b', 'c,d', '"e""\nf",g']);
    expect(splitFirstField('"a,""b""",rest,x')).toEqual({ first: 'a,"b"', rest: 'rest,x' });
    expect(splitFirstField('coordinator,1,2')).toEqual({ first: 'coordinator', rest: '1,2' });
  });

  it('writes each recipient the bytes a COPY of that recipient alone writes', async () => {
    await withTempDir((dir) =>
      withConnection(async (db) => {
        await db.exec(`CREATE TABLE n AS SELECT * FROM (VALUES
          ('calworks-EW1', 2, 'plain', 'a, b'),
          ('calworks-EW1', 1, 'say "hi"', 'line one\nline two'),
          ('coordinator', 1, '=SUM(A1)', ''),
          ('coordinator', 2, NULL, '"quoted\r\nbreak"'),
          ('linkages-LW_9', 1, '-1', '+x')) t(recipient_file, priority, details, note)`);
        const cols = 'priority, details, note';
        const all = join(dir, 'all.csv');
        await writeCsv(db, `SELECT recipient_file AS ${RECIPIENT_FIELD}, ${cols} FROM n ORDER BY recipient_file, priority`, all);
        const lists: RecipientList[] = [];
        expect(await splitRecipientLists(all, async (list) => void lists.push(list))).toBe(3);
        expect(lists.map((l) => l.file)).toEqual(['calworks-EW1', 'coordinator', 'linkages-LW_9']);
        for (const list of lists) {
          const alone = join(dir, `${list.file}.csv`);
          await writeCsv(db, `SELECT ${cols} FROM n WHERE recipient_file = '${list.file}' ORDER BY priority`, alone);
          expect(list.text).toBe(readFileSync(alone, 'utf8'));
        }
      }),
    );
  });

  it('refuses a recipient file name that could leave the folder', async () => {
    await withTempDir(async (dir) => {
      const all = join(dir, 'all.csv');
      writeFileSync(all, `${RECIPIENT_FIELD},x\n../etc,1\n`);
      await expect(splitRecipientLists(all, async () => undefined)).rejects.toThrow(/not a slug/);
    });
  });
});
