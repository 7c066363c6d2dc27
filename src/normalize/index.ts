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
import { recordStep, type RunContext, type Stage } from '../pipeline/stage.js';
import { installNormalizeMacros } from './macros.js';
import { buildPersons, capFamilies, type NormalizeCounts } from './persons.js';
import { recordCaps } from '../pipeline/caps.js';
import { loadReferenceData } from './referenceData.js';

/** Everything normalize needs installed on a connection: reference tables and macros. */
export async function prepareNormalize(db: Db): Promise<void> {
  await installNormalizeMacros(db);
  await loadReferenceData(db);
}

/** Share of persons with an unusable SSN above which the night warns (a real extract has a few percent). */
const PLACEHOLDER_SSN_WARN_SHARE = 0.25;

export async function normalize(db: Db, onStep?: (step: string, seconds: number) => void): Promise<NormalizeCounts> {
  const t = performance.now();
  await prepareNormalize(db);
  onStep?.('reference_data', (performance.now() - t) / 1000);
  return buildPersons(db, onStep);
}

/** What `prepare` built, for `run` to report (one entry per run context). */
const built = new WeakMap<RunContext, { counts: NormalizeCounts; big: Awaited<ReturnType<typeof capFamilies>> }>();

/**
 * The work, from stg_calworks and stg_cws: before the night's transaction (ingest's prepare
 * makes them views of the validated rows), because DuckDB scans a table made inside a
 * transaction on one thread only, and match reads int_persons many times (Stage.prepare).
 */
async function buildPersonsOfNight(ctx: RunContext): Promise<void> {
  const counts = await normalize(ctx.db, (step, s) => recordStep(ctx, step, s));
  const big = await capFamilies(ctx.db, ctx.config.match.max_family_members);
  built.set(ctx, { counts, big });
}

export const normalizeStage: Stage = {
  name: 'normalize',
  description: 'clean names, dates, SSNs, addresses and phones into one row per person per system (int_persons)',
  built: true,
  writes: NORMALIZE_TABLES,
  prepare: buildPersonsOfNight,
  async run(ctx) {
    if (!built.has(ctx)) await buildPersonsOfNight(ctx);
    const { counts, big } = built.get(ctx)!;
    built.delete(ctx);
    ctx.summary.normalize = counts;
    ctx.log.info('normalize: persons built', { ...counts });
    const maxMembers = ctx.config.match.max_family_members;
    recordCaps(ctx.summary, ctx.log, [
      {
        stage: 'normalize',
        cap: 'match.max_family_members',
        limit: maxMembers,
        count: big.families,
        what: 'families (cases, referrals) larger than a household left out of household matching',
        detail: { members: big.members, largest: big.largest },
      },
      {
        // An SSN that is a placeholder or recorded for three persons or more counts as unknown (never a
        // block of its own); said out loud when it is most of them, as matching then rests on names and dates.
        stage: 'normalize',
        cap: 'ssn shared by 3+ persons or a placeholder',
        limit: 2,
        count: counts.invalid_ssn >= PLACEHOLDER_SSN_WARN_SHARE * counts.persons ? counts.invalid_ssn : 0,
        what: 'most SSNs are placeholders or shared; they count as unknown',
        detail: { persons: counts.persons },
      },
    ]);
  },
};
