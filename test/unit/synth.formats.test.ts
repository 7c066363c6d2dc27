import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { convertExtract } from '../../src/synth/formats.js';
import { generate } from '../../src/synth/generate.js';
import { withTempDir } from '../helpers/db.js';
import { readCsv } from './synthHelpers.js';

describe('Arrow output in several record batches', () => {
  it('keeps one schema across batches and every value, nulls included', async () => {
    await withTempDir(async (dir) => {
      await generate({ families: 1200, seed: 3, out: dir });
      const dest = join(dir, 'calworks.arrow');
      await convertExtract(join(dir, 'calworks.csv'), dest, 'arrow', 1000);
      const table = tableFromIPC(readFileSync(dest));
      const { header, rows } = readCsv(dir, 'calworks.csv');
      expect(table.batches.length).toBeGreaterThan(1);
      expect(table.numRows).toBe(rows.length);
      expect(table.schema.fields.map((f) => f.name)).toEqual(header);
      for (const i of [0, 1999, 2048, rows.length - 1]) {
        const got = table.get(i)!.toJSON() as Record<string, string | null>;
        for (const col of header) expect(got[col] ?? '', `${i} ${col}`).toBe(rows[i]![col]);
      }
    });
  });
});
