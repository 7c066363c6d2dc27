import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { exactMatchBaseline } from '../../src/synth/baseline.js';
import { generate } from '../../src/synth/generate.js';
import { withTempDir } from '../helpers/db.js';

describe('calibration against the exact-match rule counties use today', () => {
  it('exact valid SSN or exact first+last+DOB finds 75-82% of true parent pairs, with a few false links', async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, 'county');
      const s = await generate({ families: 3000, seed: 2026, out });
      const b = await exactMatchBaseline(out);
      expect(b.truePairs).toBe(s.truthParentPairs);
      expect(b.truePairs).toBeGreaterThan(600);
      expect(b.recall).toBeGreaterThanOrEqual(0.75);
      expect(b.recall).toBeLessThanOrEqual(0.82);
      // Namesakes with the same birth date (and a wrong-person SSN now and then) fool the rule.
      expect(b.precision).toBeLessThan(1);
      expect(b.precision).toBeGreaterThan(0.95);
      expect(b.bySsn).toBeGreaterThan(0);
      expect(b.byNameDob).toBeGreaterThan(b.bySsn);
    });
  });
});
