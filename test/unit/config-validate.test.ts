/**
 * The configuration judged as a whole before any work: contradictory
 * thresholds, impossible dates, mappings to headers absent from the file, and
 * an extract that is UTF-16 or separated by ';' each stop `linkages run` with
 * exit 2 and one line saying what is wrong.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sniffCsv } from '../../src/config/validate.js';
import { runCli } from '../helpers/cli.js';
import { withTempDir } from '../helpers/db.js';

const FIX = new URL('../fixtures/bad-input/', import.meta.url).pathname;
const calworks = join(FIX, 'invalid-enum', 'calworks.csv');
const cws = join(FIX, '_shared', 'cws.csv');

function runWith(dir: string, config: unknown, files: { calworks?: string; cws?: string } = {}) {
  const path = join(dir, 'linkages.json');
  writeFileSync(path, JSON.stringify(config));
  return runCli([
    'run',
    '--calworks',
    files.calworks ?? calworks,
    '--cws',
    files.cws ?? cws,
    '--config',
    path,
    '--db',
    join(dir, 'db', 'l.duckdb'),
    '--out',
    join(dir, 'out'),
  ]);
}

function refused(r: { code: number; stderr: string; stdout: string }, pattern: RegExp) {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

describe('config validated as a whole', () => {
  it('refuses contradictory thresholds, impossible dates and a mapping to an absent header, in one line, before any work', async () => {
    await withTempDir(async (dir) => {
      refused(
        runWith(dir, { match: { link_threshold: 0.3, review_threshold: 0.6 } }),
        /match\.review_threshold \(0\.6\) is above match\.link_threshold \(0\.3\)/,
      );
      refused(runWith(dir, { notify: { holidays: ['2026-11-26', '2026-02-30'] } }), /notify\.holidays\.1: not a calendar date/);
      refused(
        runWith(dir, { input: { columns: { calworks: { cin: 'CLIENT_INDEX_NO' } } } }),
        /^linkages: config input\.columns\.calworks\.cin: the header "CLIENT_INDEX_NO" is not in .*calworks\.csv \(nor "cin"\)$/,
      );
      refused(runWith(dir, { checks: { max_fall: 1.5 } }), /checks\.max_fall/);
      // Nothing was started: no database, no log.
      expect(() => readFileSync(join(dir, 'db', 'l.duckdb'))).toThrow();
      expect(() => readFileSync(join(dir, 'out', 'logs', 'linkages.jsonl'))).toThrow();
    });
  });

  it("names an extract separated by ';' or tabs, and a UTF-16 one", async () => {
    await withTempDir(async (dir) => {
      mkdirSync(join(dir, 'in'));
      const text = readFileSync(calworks, 'utf8');
      const semi = join(dir, 'in', 'calworks_semicolon.csv');
      writeFileSync(semi, text.replace(/,/g, ';'));
      refused(runWith(dir, {}, { calworks: semi }), /^linkages: --calworks .*calworks_semicolon\.csv: this file is separated by ';', not ','/);
      const utf16 = join(dir, 'in', 'calworks_utf16.csv');
      writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
      refused(runWith(dir, {}, { calworks: utf16 }), /^linkages: --calworks .*calworks_utf16\.csv: this file is UTF-16 \(save it as UTF-8\)$/);
    });
  });

  it('sniffs encodings and separators without a byte-order mark too', () => {
    expect(sniffCsv(Buffer.from('a,b,c\n1,2,3\n'))).toBeNull();
    expect(sniffCsv(Buffer.from('"x;y",b,c\n'))).toBeNull();
    expect(sniffCsv(Buffer.from('a\tb\tc\n'))).toMatch(/separated by tabs/);
    expect(sniffCsv(Buffer.from('a,b,c\n1,2,3\n', 'utf16le'))).toMatch(/UTF-16/);
  });
});
