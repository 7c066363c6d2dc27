/**
 * The plain-CSV fast path (src/ingest/plainCsv.ts): which files DuckDB may read
 * itself, and that it reads them exactly as the careful reader does (the same
 * raw rows: line numbers, trim flags, every field).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvToRaw } from '../../src/ingest/csvReader.js';
import { loadPlainCsv, scanPlainCsv } from '../../src/ingest/plainCsv.js';
import { loadIntermediate, rawTable } from '../../src/ingest/rawTable.js';
import { withConnection } from '../helpers/db.js';

const dir = mkdtempSync(join(tmpdir(), 'linkages-plain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const file = (text: string | Buffer) => {
  const path = join(dir, `in${++n}.csv`);
  writeFileSync(path, text);
  return path;
};
const scan = (text: string | Buffer, width = 3) => scanPlainCsv(file(text), width, 'utf8');

describe('which extracts are plain', () => {
  it('takes LF lines of whole fields, quoted or not, and counts the records', async () => {
    const s = await scan('a,b,c\n1,2,3\n"SMITH, JR","say ""hi""",\n,,\n');
    expect(s).toMatchObject({ plain: true, records: 3 });
  });

  it('counts a last line without its line feed', async () => {
    expect(await scan('a,b,c\n1,2,3\n4,5,6')).toMatchObject({ plain: true, records: 2 });
  });

  it('says when a field may need trimming (generously: a comma and a space inside quotes count)', async () => {
    expect((await scan('a,b,c\n1, 2,3\n')).trim).toBe(true);
    expect((await scan('a,b,c\n1,2,3 \n')).trim).toBe(true);
    expect((await scan('a,b,c\n1,"  2",3\n')).trim).toBe(true);
    expect((await scan('a,b,c\n1,\u00a02,3\n')).trim).toBe(true);
    expect((await scan('a,b,c\nMARY ANN,2,3\n')).trim).toBe(false);
  });

  it('leaves everything else to the careful reader', async () => {
    const careful = [
      'a,b,c\r\n1,2,3\r\n', // CRLF
      'a,b,c\n1,2,3\n\n4,5,6\n', // a blank line
      '\ufeffa,b,c\n1,2,3\n', // a byte-order mark
      'a,b,c\nJOHN "JJ" SMITH,2,3\n', // a quote inside a field
      'a,b,c\n"open,2,3\nnext",2,3\n', // a quoted field across lines
      'a,b,c\n"x" ,2,3\n', // text after a closing quote
      'a,b,c\n1,2,3\u0000\n', // NUL
      'a,b,c\n', // no records
    ];
    for (const text of careful) expect((await scan(text)).plain, JSON.stringify(text)).toBe(false);
    expect((await scan(Buffer.from([...Buffer.from('a,b,c\n1,'), 0xff, ...Buffer.from(',3\n')]))).plain).toBe(false);
    expect((await scanPlainCsv(file('a,b,c\n1,2,3\n'), 3, 'latin1')).plain).toBe(false);
  });

  it('reads lines across the 1 MiB chunks it scans, and finds a bad one anywhere', async () => {
    const rows = Array.from({ length: 80_000 }, (_, i) => (i % 97 === 0 ? `P${i},"LAST, ${i}",x` : `P${i},NAME ${i} WITH SOME LENGTH TO IT,y`));
    const text = `a,b,c\n${rows.join('\n')}\n`;
    expect(text.length).toBeGreaterThan(3 * 2 ** 20);
    expect(await scan(text)).toMatchObject({ plain: true, records: 80_000 });
    const late = rows.slice();
    late[79_000] = 'P79000,"unclosed,x';
    expect((await scan(`a,b,c\n${late.join('\n')}\n`)).plain).toBe(false);
  });

  it('hashes the whole file as the careful reader does', async () => {
    const path = file('a,b,c\n1,2,3\n"x",y,z\n');
    const r = await readCsvToRaw({ path, encoding: 'utf8', rowsPath: join(dir, 'h.rows'), rejectsPath: join(dir, 'h.rej') });
    expect((await scanPlainCsv(path, 3, 'utf8')).sha256).toBe(r.sha256);
  });
});

describe('DuckDB reads a plain extract as the careful reader does', () => {
  const text = [
    'id,name,note',
    'P1,MARIA GARCIA,',
    'P2,"SMITH, JR","he said ""no"""',
    'P3, PADDED ,x\x1fy',
    'P4,"",JOSÉ ÑUÑEZ',
    ',,',
    'P6,\u00a0NBSP,tail\t',
  ].join('\n');

  it('gives the same raw rows: line numbers, trim flags and fields', async () => {
    const path = file(`${text}\n`);
    const s = await scanPlainCsv(path, 3, 'utf8');
    expect(s).toMatchObject({ plain: true, records: 6, trim: true });
    await withConnection(async (db) => {
      const r = await readCsvToRaw({ path, encoding: 'utf8', rowsPath: join(dir, 'eq.rows'), rejectsPath: join(dir, 'eq.rej') });
      expect(r.rejected).toBe(0);
      await loadIntermediate(db, 'calworks', 3, join(dir, 'eq.rows'), join(dir, 'eq.rej'), r);
      await db.exec(`CREATE TEMP TABLE careful AS SELECT * FROM ${rawTable('calworks')}`);
      expect(await loadPlainCsv(db, 'calworks', 3, path, s.trim)).toBe(6);
      const rows = (t: string) => db.all(`SELECT line, needs_trim, c0, c1, c2 FROM ${t} ORDER BY line`);
      const plain = await rows(rawTable('calworks'));
      expect(plain).toEqual(await rows('careful'));
      expect(plain.map((x) => Number((x as { line: number }).line))).toEqual([2, 3, 4, 5, 6, 7]);
    });
  });
});
