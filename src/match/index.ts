/**
 * Stage `match`: CalWORKs parents x child-welfare parents from int_persons ->
 * links, review_queue, clusters, mutual_client_registry, model_params for the
 * night. The steps, one module each (Splink's organisation):
 *
 *   household.ts   children in common between the two systems' families
 *   blocking.ts    candidate pairs from several OR'ed rules, big blocks capped
 *   gammas.ts      comparison vectors (comparisons.ts: fields and levels)
 *   uProbabilities.ts  u from random pairs; exact levels from value frequencies
 *   em.ts          m and the match rate by EM on the comparison patterns
 *   model.ts       weights, term-frequency adjustment, match probability
 *   decide.ts      thresholds and coordinators' decisions
 *   cluster.ts, registry.ts  components and stable mutual_client_ids
 *   persist.ts     the night's marts with per-field explanations
 */
import type { Db } from '../db/database.js';
import { lit } from '../db/sql.js';
import type { RunContext, Stage } from '../pipeline/stage.js';
import type { Logger } from '../runtime/logger.js';
import { noProgress, stepProgress, type ProgressFactory } from '../runtime/progress.js';
import type { Config } from '../../schemas/config.js';
import { buildCandidates, ruleBit } from './blocking.js';
import { COMPARISONS, comparisonIndex, levelIndex } from './comparisons.js';
import { buildMatchPersons } from './persons.js';
import { decide, type DecideCounts } from './decide.js';
import type { GuardCounts } from './guard.js';
import { anchoredM, logit2, runEm, type Pattern } from './em.js';
import { buildCandidateGammas, candidatePatterns } from './gammas.js';
import { buildHouseholdPairs, markTwinSuspects, MAX_CONTACT_BLOCK } from './household.js';
import { recordCaps, type CapRecord } from '../pipeline/caps.js';
import { constrainM, identityWeightSql, matchWeightSql, priorM, scoreSelectList, withoutCountedElsewhere, type FittedModel } from './model.js';
import { explainNight, persistModelParams, persistNight } from './persist.js';
import { assignMutualClients } from './registry.js';
import { DECISIONS_IN_FORCE_SQL, MATCH_TABLES } from './tables.js';
import { composeU, measureU } from './uProbabilities.js';

export type MatchConfig = Config['match'];

/** Pairs agreeing on a valid SSN needed before they, not EM, give the other fields' m (em.ts anchoredM). */
const ANCHOR_MIN_PAIRS = 200;

/**
 * ctx.summary.match (run_summary.json). Top-level numbers are the ones a
 * reader scans (the run's printed summary shows them); detail is nested.
 */
export interface MatchSummary {
  candidate_pairs: number;
  capped_blocks: number;
  links: number;
  links_auto: number;
  links_confirmed: number;
  review_pairs: number;
  clusters: number;
  blocking: {
    parents_calworks: number;
    parents_cws: number;
    pairs_by_rule: Record<string, number>;
    capped_blocks_by_rule: Record<string, number>;
    capped_pairs_by_rule: Record<string, number>;
    extra_rules_skipped: string[];
    household_pairs: number;
    household_member_pairs: number;
    /** Parent pairs whose families share a full address or a phone (also candidates, rule `household`). */
    family_contact_pairs: number;
  };
  decisions: {
    held_by_identity: number;
    held_by_different_families: number;
    dismissed_namesakes: number;
    rejected_by_coordinator: number;
  };
  /** The sanity guard (guard.ts): non-zero moved_to_review means the model made links its data cannot support. */
  guard: GuardCounts;
  mutual_client_ids: { created: number; retired: number; kept: number };
  model: { lambda: number; prior_weight: number; em_iterations: number; em_converged: boolean; u_sample_pairs: number; m_anchored_on_ssn: boolean };
  seconds: Record<string, number>;
  /** What matching capped (oversized blocks), for run_summary.json `caps`. */
  caps: CapRecord[];
}

/** A first guess of the match rate: pairs the counties' exact rule would link, over all pairs. */
function initialLambda(patterns: Pattern[], totalPairs: number): number {
  const [ssn, first, last, dob] = ['ssn', 'first_name', 'last_name', 'dob'].map(comparisonIndex) as [number, number, number, number];
  const exact = (comparison: string) => levelIndex(comparison, 'exact');
  const [ssnExact, firstExact, lastExact] = [exact('ssn'), exact('first_name'), exact('last_name')];
  const sameDob = new Set([exact('dob'), levelIndex('dob', 'exact, estimated-looking date')]);
  let n = 0;
  for (const p of patterns) {
    const g = p.gammas;
    if (g[ssn] === ssnExact || (g[first] === firstExact && g[last] === lastExact && sameDob.has(g[dob]!))) n += p.count;
  }
  return Math.max(n, 1) / 0.8 / Math.max(totalPairs, 1);
}

/** Scoring's working tables that settling the night does not read (scoreNight drops them). */
const SCORING_SCRATCH = ['tmp_candidates', 'tmp_scored', 'tmp_decided', 'tmp_match_persons', 'int_household_pairs', 'tmp_decisions_in_force'];

/**
 * The steps of match, in order (their seconds go to run_summary.json; the progress bars name them).
 * Scoring and deciding write nothing persistent, so the stage runs them before the night's transaction
 * (Stage.prepare): DuckDB scans a table made inside a transaction on one thread only (duckdb/duckdb#18074),
 * and scoring reads its working tables many times. Settling the night (ids, marts) runs inside it.
 */
const SCORE_STEPS = ['persons', 'household', 'blocking', 'comparisons', 'u', 'em', 'score', 'decide'] as const;
const SETTLE_STEPS = ['cluster', 'persist'] as const;

/** A progress bar over `steps` that records each step's seconds in `seconds`; lap(step) ends that step. */
function laps<S extends string>(progress: ProgressFactory | undefined, label: string, steps: readonly S[], seconds: Record<string, number>) {
  let t = performance.now();
  const bar = stepProgress(progress ?? noProgress, label, steps.length);
  bar.step(steps[0]!);
  return (name: S) => {
    const now = performance.now();
    seconds[name] = Math.round(now - t) / 1000;
    t = now;
    const next = steps[steps.indexOf(name) + 1];
    if (next) bar.step(next);
    else bar.done();
  };
}

export interface MatchOptions {
  /** A progress bar on a terminal (the runner's); none when absent. */
  progress?: ProgressFactory;
  runDate: string;
  config: MatchConfig;
  log: Logger;
  /** Keep the scratch tables (tmp_candidates, tmp_all_scored...) for diagnosis. */
  keepScratch?: boolean;
}

/** What scoring hands on to settling the night: the links and the review band are in tmp_links and tmp_review, their explanations in tmp_explained. */
export interface ScoredNight {
  nl: number;
  nr: number;
  household: Awaited<ReturnType<typeof buildHouseholdPairs>>;
  blocking: Awaited<ReturnType<typeof buildCandidates>>;
  cappedTotal: number;
  caps: CapRecord[];
  em: ReturnType<typeof runEm>;
  model: FittedModel;
  samplePairs: number;
  mAnchoredOnSsn: boolean;
  decided: DecideCounts;
  seconds: Record<string, number>;
}

/** The whole stage at once (tests; the stage itself runs the two halves apart). */
export async function match(db: Db, opts: MatchOptions): Promise<MatchSummary> {
  return settleNight(db, await scoreNight(db, opts), opts);
}

/** Steps persons .. decide: the candidate pairs with their comparison vectors, the model, the links and review band with their explanations. Nothing persistent. */
export async function scoreNight(db: Db, opts: Omit<MatchOptions, 'runDate'>): Promise<ScoredNight> {
  const { config: cfg, log } = opts;
  const seconds: Record<string, number> = {};
  const lap = laps(opts.progress, 'match', SCORE_STEPS, seconds);

  await buildMatchPersons(db);
  await db.exec(`CREATE OR REPLACE TEMP TABLE tmp_decisions_in_force AS ${DECISIONS_IN_FORCE_SQL}`);
  const nl = await db.count(`SELECT count(*) FROM tmp_match_persons WHERE system = 'CALWORKS'`);
  const nr = await db.count(`SELECT count(*) FROM tmp_match_persons WHERE system = 'CWS'`);
  lap('persons');

  const household = await buildHouseholdPairs(db, cfg.max_block_pairs);
  lap('household');
  const blocking = await buildCandidates(db, cfg.max_block_pairs, cfg.extra_rule_pairs_per_parent);
  const cappedTotal = Object.values(blocking.capped_blocks).reduce((a, b) => a + b, 0);
  const caps: CapRecord[] = [
    {
      stage: 'match',
      cap: 'match.max_block_pairs',
      limit: cfg.max_block_pairs,
      count: cappedTotal,
      what: 'oversized blocking keys skipped (their pairs are left to the other rules)',
      detail: {
        ...Object.fromEntries(
          Object.entries(blocking.capped_blocks)
            .filter(([, v]) => v > 0)
            .map(([k, v]) => [`blocks_${k}`, v]),
        ),
        ...Object.fromEntries(
          Object.entries(blocking.capped_pairs)
            .filter(([, v]) => v > 0)
            .map(([k, v]) => [`pairs_${k}`, v]),
        ),
      },
    },
    {
      stage: 'match',
      cap: 'match.max_block_pairs',
      limit: cfg.max_block_pairs,
      count: household.capped_member_blocks,
      what: 'family members sharing a birth date or a name in blocks too big to tell apart, not paired for household matching',
      detail: { pairs: household.capped_member_pairs },
    },
    {
      stage: 'match',
      cap: 'household contact block',
      limit: MAX_CONTACT_BLOCK,
      count: household.capped_contact_keys,
      what: 'addresses and phones shared by too many families (a shelter, an agency) not used as household evidence',
    },
  ];
  lap('blocking');

  await buildCandidateGammas(db);
  lap('comparisons');
  const uMeasure = await measureU(db, cfg.u_sample_pairs);
  const samplePairs = uMeasure.samplePairs;
  lap('u');
  const patterns = (await candidatePatterns(db)).map((p) => ({ ...p, gammas: withoutCountedElsewhere(p.gammas) }));
  const totalPairs = nl * nr;
  const m0 = priorM();
  // Households exist only where families are on record; in files without them (FEBRL) the
  // household comparison is an address comparison like any other and EM may learn from it.
  const familiesOnRecord = (await db.count(`SELECT count(*) FROM tmp_match_persons WHERE has_family`)) > 0;
  const corroborating = COMPARISONS.map((c) => familiesOnRecord && c.corroborating === true);
  const ssnK = comparisonIndex('ssn');
  const ssnExact = levelIndex('ssn', 'exact');
  const fixedM = anchoredM(patterns, { comparison: ssnK, level: ssnExact }, m0, cfg.em_prior_strength, ANCHOR_MIN_PAIRS, corroborating);
  const em = runEm({
    patterns,
    u: composeU(uMeasure, m0),
    updateU: (expected) => composeU(uMeasure, m0, expected),
    m0,
    priorStrength: cfg.em_prior_strength,
    // A night without parents on one side has no pairs: an empty night, not a 0/0 match rate.
    totalPairs: Math.max(totalPairs, 1),
    lambda0: initialLambda(patterns, totalPairs),
    maxIterations: cfg.em_max_iterations,
    corroborating,
    fixedM,
    minExpectedMatches: patterns.reduce((a, p) => a + (p.gammas[ssnK] === ssnExact ? p.count : 0), 0),
  });
  const model: FittedModel = { m: constrainM(em.m, em.u), u: em.u, lambda: em.lambda, tfMaxUp: cfg.tf_max_up, tfMaxDown: cfg.tf_max_down };
  if (!em.converged) log.warn('match: EM did not converge within em_max_iterations', { iterations: em.iterations });
  lap('em');

  const scored = `
    SELECT *, 1 / (1 + pow(2, -match_weight)) AS match_probability
    FROM (
      SELECT *, ${matchWeightSql(model)} AS match_weight, ${identityWeightSql()} AS identity_weight
      FROM (SELECT *, ${scoreSelectList(model)} FROM tmp_pair_gammas)
    )`;
  if (opts.keepScratch) await db.exec(`CREATE OR REPLACE TEMP TABLE tmp_all_scored AS ${scored}`);
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_scored AS
    SELECT * FROM (${scored})
    WHERE match_probability >= ${lit(cfg.review_threshold)} OR (rules & ${ruleBit('review_decision')}) <> 0`);
  await db.exec(`DROP TABLE tmp_pair_gammas`);
  await markTwinSuspects(db);
  lap('score');
  // Deciding reads only the night's scratch (scored pairs, coordinators' decisions in force), so it is done here, before the transaction.
  const decided = await decide(db, {
    linkThreshold: cfg.link_threshold,
    reviewThreshold: cfg.review_threshold,
    minIdentityWeight: cfg.min_identity_weight,
    minIdentityWeightFamily: cfg.min_identity_weight_family,
    holdDifferentFamilies: cfg.hold_different_families,
    linkThresholdUncorroborated: cfg.link_threshold_uncorroborated,
    guard: { maxLinksPerPerson: cfg.max_links_per_person, parentsCalworks: nl, parentsCws: nr },
  });
  if (decided.guard && decided.guard.moved_to_review > 0) {
    log.warn('match: the night made more links than its data supports; the extra pairs went to review (check the model)', {
      over_linked_persons: decided.guard.over_linked_persons,
      moved_to_review: decided.guard.moved_to_review,
      supported_links: decided.guard.supported_links,
      links_exceed_supported: decided.guard.links_exceed_supported,
    });
  }
  await explainNight(db, model);
  // Settling reads only tmp_links, tmp_review, tmp_explained and int_persons: the rest of the
  // scoring scratch goes now, before the transaction, where DuckDB frees a dropped TEMP table's
  // memory at once (inside it, not until the night commits: 300,000 families, some 400 MB).
  if (!opts.keepScratch) for (const tmp of SCORING_SCRATCH) await db.exec(`DROP TABLE IF EXISTS ${tmp}`);
  lap('decide');
  return { nl, nr, household, blocking, cappedTotal, caps, em, model, samplePairs, mAnchoredOnSsn: fixedM.some((r) => r !== null), decided, seconds };
}

/** Steps cluster .. persist, inside the night: stable ids, links and review queue, the night's marts. */
export async function settleNight(db: Db, scored: ScoredNight, opts: MatchOptions): Promise<MatchSummary> {
  const { config: cfg, runDate } = opts;
  const { nl, nr, household, blocking, cappedTotal, caps, em, model, samplePairs, decided, seconds } = scored;
  const lap = laps(opts.progress, 'match', SETTLE_STEPS, seconds);
  const clusters = await assignMutualClients(db, runDate);
  lap('cluster');
  await persistNight(db, runDate);
  await persistModelParams(db, runDate, model, {
    em,
    linkThreshold: cfg.link_threshold,
    reviewThreshold: cfg.review_threshold,
    minIdentityWeight: cfg.min_identity_weight,
    minIdentityWeightFamily: cfg.min_identity_weight_family,
    holdDifferentFamilies: cfg.hold_different_families,
    candidatePairs: blocking.candidate_pairs,
    uSamplePairs: samplePairs,
  });
  lap('persist');
  if (!opts.keepScratch) {
    // The hand-off to the later stages ends here (scoring's big tables went in scoreNight).
    for (const tmp of ['tmp_links', 'tmp_review', 'tmp_explained']) await db.exec(`DROP TABLE IF EXISTS ${tmp}`);
  }

  return {
    candidate_pairs: blocking.candidate_pairs,
    capped_blocks: cappedTotal,
    links: decided.auto + decided.confirmed,
    links_auto: decided.auto,
    links_confirmed: decided.confirmed,
    review_pairs: decided.review,
    clusters: clusters.clusters,
    blocking: {
      parents_calworks: nl,
      parents_cws: nr,
      pairs_by_rule: blocking.pairs_by_rule,
      capped_blocks_by_rule: blocking.capped_blocks,
      capped_pairs_by_rule: blocking.capped_pairs,
      extra_rules_skipped: blocking.extra_rules_skipped,
      household_pairs: household.household_pairs,
      household_member_pairs: household.member_pairs,
      family_contact_pairs: household.family_contact_pairs,
    },
    decisions: {
      held_by_identity: decided.held_by_identity,
      held_by_different_families: decided.held_by_different_families,
      dismissed_namesakes: decided.dismissed,
      rejected_by_coordinator: decided.rejected_by_coordinator,
    },
    guard: decided.guard ?? { over_linked_persons: 0, moved_to_review: 0, supported_links: 0, links_exceed_supported: false },
    mutual_client_ids: { created: clusters.ids_created, retired: clusters.ids_retired, kept: clusters.ids_kept },
    model: {
      lambda: em.lambda,
      prior_weight: logit2(em.lambda),
      em_iterations: em.iterations,
      em_converged: em.converged,
      u_sample_pairs: samplePairs,
      m_anchored_on_ssn: scored.mAnchoredOnSsn,
    },
    seconds,
    caps,
  };
}

/** What `prepare` scored, for `run` (one entry per run context). */
const scoredNights = new WeakMap<RunContext, ScoredNight>();

export const matchStage: Stage = {
  name: 'match',
  description: 'probabilistic linkage of CalWORKs and child-welfare parents: links, review queue, stable mutual-client ids',
  built: true,
  writes: MATCH_TABLES,
  async prepare(ctx) {
    scoredNights.set(ctx, await scoreNight(ctx.db, { config: ctx.config.match, log: ctx.log, progress: ctx.progress }));
  },
  async run(ctx) {
    const opts = { runDate: ctx.runDate, config: ctx.config.match, log: ctx.log, progress: ctx.progress };
    const scored = scoredNights.get(ctx) ?? (await scoreNight(ctx.db, opts));
    scoredNights.delete(ctx);
    const { seconds, caps, ...summary } = await settleNight(ctx.db, scored, opts);
    Object.assign(ctx.stepSeconds, seconds);
    ctx.summary.match = summary;
    recordCaps(ctx.summary, ctx.log, caps);
    ctx.log.info('match: done', {
      candidate_pairs: summary.candidate_pairs,
      links: summary.links,
      review_pairs: summary.review_pairs,
      clusters: summary.clusters,
    });
  },
};
