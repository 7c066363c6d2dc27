import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvToRaw } from '../../src/ingest/csvReader.js';
import { CsvRecordSplitter, type CsvRecord } from '../../src/ingest/csvRecords.js';
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

describe('line endings and quotes that would swallow lines', () => {
  it('reads CRLF rows followed by LF rows (an extract appended by two programs) one record per line', async () => {
    const r = await linesOf('a,b\r\n1,2\r\n3,4\n5,6\n7,8\r9,10\r\n');
    expect(r.rows).toEqual([2, 3, 4, 5, 6]);
    expect(r.read).toBe(5);
  });

  it('quarantines a closed quote followed by text (`"JJ" JOHN`) on its own line; the rest load', async () => {
    const r = await linesOf('a,b\n1,"JJ" JOHN\n2,x\n3,"y, z"\n4,w\n');
    expect(r.rows).toEqual([3, 4, 5]);
    expect(r.rejects).toEqual([2]);
    expect(r.read).toBe(4);
  });

  it('an opening quote never closed costs its own line only, even when a later quote closes it', async () => {
    const r = await linesOf('a,b\n1,"open\n2,x\n3,"q"\n4,y\n5,"open again\n');
    expect(r.rows).toEqual([3, 4, 5]);
    expect(r.rejects).toEqual([2, 6]);
    expect(r.read).toBe(5);
  });

  it('keeps a quote inside an unquoted field as a character', async () => {
    const r = await linesOf('a,b\n1,JOHN "JJ" SMITH\n');
    expect(r.rows).toEqual([2]);
  });

  it('takes a CRLF split across two chunks as one line ending', async () => {
    const body = Array.from({ length: 200_000 }, (_, i) => `${i},x`).join('\r\n');
    const r = await linesOf(`a,b\r\n${body}\r\n`);
    expect(r.rows.length).toBe(200_000);
    expect(r.rows[199_999]).toBe(200_001);
    expect(r.rejects).toEqual([]);
  });
});

describe('CsvRecordSplitter', () => {
  const split = (chunks: string[], width = 2) => {
    const out: CsvRecord[] = [];
    const s = new CsvRecordSplitter((r) => out.push(r), 1000);
    s.width = width;
    for (const c of chunks) s.push(c);
    s.end();
    return out.map((r) => `${r.line}:${r.malformed ? 'BAD' : r.tooLong ? 'LONG' : r.fields.join('|')}`);
  };

  it('takes a CR at the end of one chunk and an LF at the start of the next as one line ending', () => {
    expect(split(['1,2\r', '\n3,4\r', '5,6'])).toEqual(['1:1|2', '2:3|4', '3:5|6']);
  });

  it('keeps a line break inside a well-formed quoted field, as written', () => {
    expect(split(['1,"a\r', '\nb"\n2,3\n'])).toEqual(['1:1|a\r\nb', '3:2|3']);
  });

  it('gives up a quoted field that spans lines but makes a record of the wrong width', () => {
    expect(split(['1,"a\n2,b"\n3,4,5\n'], 3)).toEqual(['1:BAD', '2:2|b"', '3:3|4|5']);
  });

  it('skips a line longer than the limit, keeping the count', () => {
    expect(split(['1,2\n', 'x'.repeat(600), 'y'.repeat(600), '\n3,4'])).toEqual(['1:1|2', '2:LONG', '3:3|4']);
  });
});
