import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCounty } from '../../src/synth/county.js';
import { buildFamily } from '../../src/synth/family.js';
import { generate, writeFamilies } from '../../src/synth/generate.js';
import { addressOf } from '../../src/synth/people.js';
import { withTempDir } from '../helpers/db.js';
import { readCsv } from './synthHelpers.js';

const DATA_FILES = ['calworks.csv', 'cws.csv', 'truth.csv', 'truth_persons.csv', 'workers.csv', 'contacts.csv'];

describe('the model can be changed and written again (the basis of a second night)', () => {
  it('writing the unchanged model gives the same bytes as linkages synth', async () => {
    await withTempDir(async (dir) => {
      await generate({ families: 400, seed: 31, out: join(dir, 'synth') });
      const county = buildCounty({ seed: 31, families: 400, extractDate: '2026-11-20' });
      const families = Array.from({ length: 400 }, (_, i) => buildFamily(county, i));
      writeFamilies(county, families, join(dir, 'model'));
      for (const f of DATA_FILES) expect(readFileSync(join(dir, 'model', f)).equals(readFileSync(join(dir, 'synth', f))), f).toBe(true);
    });
  });

  it("a move on night 2 changes that family's address and nothing else", async () => {
    await withTempDir(async (dir) => {
      const night1 = buildCounty({ seed: 32, families: 300, extractDate: '2026-11-20' });
      const families = Array.from({ length: 300 }, (_, i) => buildFamily(night1, i));
      writeFamilies(night1, families, join(dir, 'n1'));
      const moved = families.find((f) => f.kind === 'MUTUAL' && f.calworksRecords.some((r) => r.address === 'CURRENT'))!;
      moved.previousAddress = moved.address;
      moved.address = addressOf(night1, moved.index, 'previous');
      const night2 = { ...night1, extractDate: '2026-11-21' };
      writeFamilies(night2, families, join(dir, 'n2'));

      const strip = (rows: Record<string, string>[]) => rows.map(({ extract_date: _d, ...rest }) => rest);
      const a = strip(readCsv(join(dir, 'n1'), 'calworks.csv').rows);
      const b = strip(readCsv(join(dir, 'n2'), 'calworks.csv').rows);
      expect(b.length).toBe(a.length);
      const movedIds = new Set(moved.calworksRecords.filter((r) => r.address === 'CURRENT').map((r) => r.recordId));
      for (let k = 0; k < a.length; k++) {
        if (movedIds.has(a[k]!.person_id!)) expect(b[k]!.street_address).not.toBe(a[k]!.street_address);
        else expect(b[k]).toEqual(a[k]);
      }
      expect(readFileSync(join(dir, 'n2', 'truth.csv')).equals(readFileSync(join(dir, 'n1', 'truth.csv')))).toBe(true);
    });
  });
});
