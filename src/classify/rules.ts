/**
 * The Linkages rules of classify, as data: the one place each is defined.
 * Every user imports them from here: classify's SQL (tiers.ts,
 * mutualClients.ts), the search index and the review queue's consequence
 * (which tier is higher), the metrics, and the synthetic oracle (its own
 * implementation of the logic, these constants). src/classify/README.md
 * states them in prose and tables; test/unit/rules-readme.test.ts checks that
 * the tables there say what this file says.
 *
 * The knobs a county may change (look-back window, open statuses, mutual
 * service components, risk flags...) are config keys (`tiers`,
 * schemas/config.ts, where their defaults are declared); DEFAULT_TIER_RULES
 * is that default for users without a config at hand.
 */
import { configSchema, type Config } from '../../schemas/config.js';

/** The tiers, in precedence order: a case takes the first whose rule holds. */
export const TIERS = ['MUTUAL', 'EARLY_INTERVENTION', 'PREVENTION'] as const;
export type Tier = (typeof TIERS)[number];

/** The tier a case gets when no other rule holds. */
export const FALLBACK_TIER: Tier = 'PREVENTION';

/** "The highest tier": MUTUAL 3, EARLY_INTERVENTION 2, PREVENTION 1 (none 0). */
export const TIER_RANK: Record<Tier, number> = Object.fromEntries(TIERS.map((t, i) => [t, TIERS.length - i])) as Record<Tier, number>;

/** SQL: the rank of a tier column, 0 when it has none. */
export const tierRankSql = (col: string) => `CASE ${col} ${TIERS.map((t) => `WHEN '${t}' THEN ${TIER_RANK[t]}`).join(' ')} ELSE 0 END`;

/** The tier rules' knobs with no config given (schemas/config.ts owns the defaults). */
export const DEFAULT_TIER_RULES: Config['tiers'] = configSchema.parse({}).tiers;

/** A mutual client is a linked CalWORKs parent on a case of this tier. */
export const MUTUAL_CLIENT_TIER: Tier = 'MUTUAL';

/**
 * The weekly Welfare-to-Work hours a case requires: 35 with two parents on
 * the case, 20 with one parent and a child under six, 30 otherwise. A mutual
 * client is over-scheduled when child-welfare case-plan hours (> 0) plus WTW
 * plan hours are above them.
 */
export const REQUIRED_WEEKLY_HOURS = { twoParents: 35, oneParentChildUnderSix: 20, otherwise: 30 } as const;

/** SQL: the required weekly hours from a case's parent count and whether it has a child under six. */
export const requiredHoursSql = (nParents: string, childUnderSix: string) =>
  `CASE WHEN ${nParents} >= 2 THEN ${REQUIRED_WEEKLY_HOURS.twoParents} WHEN ${childUnderSix} THEN ${REQUIRED_WEEKLY_HOURS.oneParentChildUnderSix} ELSE ${REQUIRED_WEEKLY_HOURS.otherwise} END`;

/** What a reason about a SENSITIVE child-welfare client says instead of its ids. */
export const SENSITIVE_REASON = 'child-welfare involvement (sensitive: contact the Linkages coordinator)';
