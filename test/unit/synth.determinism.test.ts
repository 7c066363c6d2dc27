import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../src/synth/generate.js';
import { buildCounty } from '../../src/synth/county.js';
import { buildFamily } from '../../src/synth/family.js';
import { calworksRows, cwsRows } from '../../src/synth/render.js';
import { withTempDir } from '../helpers/db.js';

const FILES = ['calworks.csv', 'cws.csv', 'workers.csv', 'contacts.csv', 'truth.csv', 'truth_persons.csv', 'README.txt'];

describe('linkages synth is deterministic', () => {
  it('writes byte-identical files for the same seed, and different ones for another seed', async () => {
    await withTempDir(async (dir) => {
      const [a, b, c] = ['a', 'b', 'c'].map((x) => join(dir, x)) as [string, string, string];
      await generate({ families: 300, seed: 11, out: a });
      await generate({ families: 300, seed: 11, out: b });
      await generate({ families: 300, seed: 12, out: c });
      expect(readdirSync(a).sort()).toEqual([...FILES].sort());
      for (const f of FILES) expect(readFileSync(join(b, f)), f).toEqual(readFileSync(join(a, f)));
      expect(readFileSync(join(c, 'calworks.csv'))).not.toEqual(readFileSync(join(a, 'calworks.csv')));
      expect(readFileSync(join(c, 'cws.csv'))).not.toEqual(readFileSync(join(a, 'cws.csv')));
    });
  });

  it('builds family i the same every time, in any order (a family is a function of the county and i)', () => {
    const small = buildCounty({ seed: 5, families: 50, extractDate: '2026-11-20' });
    const large = buildCounty({ seed: 5, families: 50, extractDate: '2026-11-20' });
    buildFamily(large, 20);
    for (const i of [0, 7, 49]) {
      const f1 = buildFamily(small, i);
      const f2 = buildFamily(large, i);
      expect(cwsRows(large, f2)).toEqual(cwsRows(small, f1));
      expect(calworksRows(large, f2)).toEqual(calworksRows(small, f1));
    }
  });

  it('re-renders an unchanged person to the same row on another night (only extract_date follows the night)', () => {
    const night1 = buildCounty({ seed: 9, families: 40, extractDate: '2026-11-20' });
    const family = buildFamily(night1, 3);
    const night2 = { ...night1, extractDate: '2026-11-21' };
    const rows1 = calworksRows(night1, family).map((r) => r.slice(1));
    const rows2 = calworksRows(night2, family).map((r) => r.slice(1));
    expect(rows2).toEqual(rows1);
  });
});
