/**
 * Stage `normalize`: stg_calworks + stg_cws -> int_persons (one row per person
 * per system, cleaned for matching) and int_family_members (who belongs to
 * which CalWORKs case / child-welfare referral and case).
 *
 * Reads: stg_calworks, stg_cws. Writes: int_persons, int_family_members,
 * int_ref_* (reference data from src/normalize/data/). Summary: `normalize`.
 */
import type { Db } from '../db/database.js';
import { NORMALIZE_TABLES } from './tables.js';
import type { Stage } from '../pipeline/stage.js';
import { installNormalizeMacros } from './macros.js';
import { buildPersons, type NormalizeCounts } from './persons.js';
import { loadReferenceData } from './referenceData.js';

/** Everything normalize needs installed on a connection: reference tables and macros. */
export async function prepareNormalize(db: Db): Promise<void> {
  await installNormalizeMacros(db);
  await loadReferenceData(db);
}

export async function normalize(db: Db, onStep?: (step: string, seconds: number) => void): Promise<NormalizeCounts> {
  const t = performance.now();
  await prepareNormalize(db);
  onStep?.('reference_data', (performance.now() - t) / 1000);
  return buildPersons(db, onStep);
}

export const normalizeStage: Stage = {
  name: 'normalize',
  description: 'clean names, dates, SSNs, addresses and phones into one row per person per system (int_persons)',
  built: true,
  writes: NORMALIZE_TABLES,
  async run(ctx) {
    const counts = await normalize(ctx.db, (step, s) => (ctx.stepSeconds[step] = Math.round(s * 1000) / 1000));
    ctx.summary.normalize = counts;
    ctx.log.info('normalize: persons built', { ...counts });
  },
};
