import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvToRaw } from '../../src/ingest/csvReader.js';
import { lineBreaksIn, LineCounter } from '../../src/ingest/lines.js';
import { US } from '../../src/ingest/rawFile.js';

const dir = mkdtempSync(join(tmpdir(), 'linkages-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Parse a CSV text with the real reader; returns the line number of every record it wrote or rejected. */
async function linesOf(text: string | Buffer): Promise<{ rows: number[]; rejects: number[]; read: number }> {
  const path = join(dir, 'in.csv');
  writeFileSync(path, text);
  const r = await readCsvToRaw({ path, encoding: 'utf8', rowsPath: join(dir, 'rows'), rejectsPath: join(dir, 'rejects') });
  const firstField = (file: string) =>
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .filter((l) => /^\d+\x1f/.test(l))
      .map((l) => Number(l.split(US)[0]));
  return { rows: firstField('rows'), rejects: firstField('rejects'), read: r.read };
}

describe('line numbers', () => {
  it('counts CRLF, CR and LF inside fields once each', () => {
    expect(lineBreaksIn(['a\r\nb', 'c\nd\re', 'plain'])).toBe(3);
    const c = new LineCounter();
    expect([c.take(['h']), c.take(['x\r\ny']), c.take(['z'])]).toEqual([1, 2, 4]);
  });

  it('numbers records by the physical line they start on (LF, header = line 1)', async () => {
    expect((await linesOf('a,b\n1,2\n3,4\n')).rows).toEqual([2, 3]);
  });

  it('is right with a BOM, CRLF and quoted line breaks', async () => {
    const text = '\ufeffa,b\r\n1,"two\r\nlines"\r\n3,4\r\n"x\r\n\r\ny",5\r\n6,7';
    expect((await linesOf(text)).rows).toEqual([2, 4, 5, 8]);
  });

  it('skips blank lines without losing count, and numbers short rows too', async () => {
    const r = await linesOf('a,b\n\n1,2\n3\n\n4,5,6\n7,8\n');
    expect(r.rows).toEqual([3, 7]);
    expect(r.rejects).toEqual([4, 6]);
    expect(r.read).toBe(4);
  });

  it('keeps counting across chunk boundaries of a large file', async () => {
    const body = Array.from({ length: 60_000 }, (_, i) => (i % 1000 === 7 ? `${i},"multi\nline"` : `${i},x`)).join('\n');
    const r = await linesOf(`a,b\n${body}\n`);
    // Record i starts on line 2 + i + (multi-line records before it).
    const expected = Array.from({ length: 60_000 }, (_, i) => 2 + i + Math.floor((i + 992) / 1000));
    expect(r.rows).toEqual(expected);
  });
});
