/**
 * The run configuration (`--config FILE`, JSON). Every key is optional; the
 * defaults are the interface's defaults. Unknown keys are an error, so a typo
 * in a county's config is caught instead of silently ignored.
 */
import { z } from 'zod';
import { parseDateText } from './fields.js';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((d) => parseDateText(d) === d, 'not a calendar date');

export const EVENT_TYPES = [
  'NEW_MUTUAL_CLIENT',
  'NEW_REFERRAL',
  'CHILD_REMOVED',
  'CWS_CASE_OPENED',
  'CWS_CASE_CLOSED',
  'CALWORKS_DISCONTINUED',
  'SIGNIFICANT_CHANGE',
  'TIER_CHANGED',
  'OVER_SCHEDULED',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** One optional value per event type (strict: an unknown type is a config error). */
const perEventType = <T extends z.ZodType>(value: T) =>
  z.object(Object.fromEntries(EVENT_TYPES.map((t) => [t, value.optional()])) as Record<EventType, z.ZodOptional<T>>).strict();

const tiersConfig = z
  .object({
    /** Days before the run date in which a referral counts (referral_date >= run date - lookback_days). */
    lookback_days: z.number().int().min(1).max(3650).default(365),
    /** CalWORKs case_status values that make a case open. */
    open_calworks_statuses: z.array(z.enum(['PENDING', 'ACTIVE', 'DISCONTINUED', 'DENIED'])).min(1).default(['PENDING', 'ACTIVE']),
    /** A parent with fr_services = Y keeps the case open (AB 429 / AB 135) whatever its status. */
    fr_services_keeps_case_open: z.boolean().default(true),
    mutual: z
      .object({
        /** Child-welfare service components whose OPEN case makes a linked parent's CalWORKs case MUTUAL. */
        service_components: z.array(z.enum(['ER', 'FM', 'FR', 'PP'])).min(1).default(['FM', 'FR']),
        /** A linked parent with fr_services = Y makes the case MUTUAL. */
        fr_services_linked: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    early_intervention: z
      .object({
        /** A linked parent's referral in the window with no open case makes the case EARLY_INTERVENTION. */
        referral_in_window: z.boolean().default(true),
        /** Referral dispositions that count ("UNKNOWN" = no disposition recorded). */
        referral_dispositions: z
          .array(z.enum(['PENDING', 'EVALUATED_OUT', 'UNFOUNDED', 'INCONCLUSIVE', 'SUBSTANTIATED', 'UNKNOWN']))
          .default(['PENDING', 'EVALUATED_OUT', 'UNFOUNDED', 'INCONCLUSIVE', 'SUBSTANTIATED', 'UNKNOWN']),
        /** CalWORKs risk and service flags (on any parent of the case) that make it EARLY_INTERVENTION. */
        risk_flags: z
          .array(z.enum(['family_stabilization', 'homeless', 'domestic_abuse']))
          .default(['family_stabilization', 'homeless', 'domestic_abuse']),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

const assignConfig = z
  .object({
    /**
     * Prefer a worker who speaks the family's language over one in the family's office
     * (the default); false: office first, then language.
     */
    language_before_office: z.boolean().default(true),
    /** A new mutual client whose family already has a Linkages worker (other parent, earlier id) goes to that worker when there is room. */
    keep_family_together: z.boolean().default(true),
  })
  .strict()
  .prefault({});

const notifyConfig = z
  .object({
    /** Business days to respond, per event type; `default` for the types not listed. */
    response_business_days: perEventType(z.number().int().min(0).max(60))
      .extend({ default: z.number().int().min(0).max(60).optional() })
      .prefault({}),
    /** 1 = most urgent; lists are sorted by priority, then due date. */
    priority: perEventType(z.number().int().min(1).max(9)).prefault({}),
    /** Days that are not business days besides Saturdays and Sundays. */
    holidays: z.array(isoDate).default([]),
    /**
     * The Linkages coordinator: receives what has no worker (unassigned mutual clients,
     * offices without a regional contact) and is the contact named to CalWORKs staff for
     * SENSITIVE child-welfare clients.
     */
    coordinator: z
      .object({
        name: z.string().min(1).default('Linkages coordinator'),
        email: z.string().default(''),
        phone: z.string().default(''),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

/** Canonical column name -> the county's header for it, per input. */
const columnMap = z.record(z.string(), z.string()).prefault({});

export const configSchema = z
  .object({
    database: z
      .object({
        threads: z.number().int().min(1).max(256).default(2),
        memory_limit: z.string().regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i).default('2GB'),
        /** Where DuckDB spills; defaults to `<db>.tmp` next to the database file. */
        temp_directory: z.string().optional(),
      })
      .strict()
      .prefault({}),
    input: z
      .object({
        /** Text encoding of CSV extracts; bytes that are not valid in it quarantine the row. */
        encoding: z.enum(['utf8', 'latin1']).default('utf8'),
        columns: z
          .object({ calworks: columnMap, cws: columnMap, workers: columnMap, contacts: columnMap })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    retention: z
      .object({
        /** Nightly extract snapshots kept for change detection and audit. */
        snapshot_nights: z.number().int().min(2).default(14),
      })
      .strict()
      .prefault({}),
    match: z
      .object({
        /** match_probability at or above: an AUTO link (unless a hold applies: see src/match/README.md). */
        link_threshold: z.number().min(0).max(1).default(0.5),
        /** match_probability at or above (and below link_threshold): clerical review. */
        review_threshold: z.number().min(0).max(1).default(0.3),
        /** Largest block a blocking rule may form (pairs); larger blocks are skipped and counted. */
        max_block_pairs: z.number().int().min(1).default(1000),
        /**
         * Extra blocking rules (a birth date alone, a ZIP and a street...) run only while they cost at
         * most this many candidate pairs per parent; they add recall on data without households,
         * phones or SSNs and would make a big county's matching grow with the square of its size.
         */
        extra_rule_pairs_per_parent: z.number().min(0).default(1),
        /** EM iterations cap. */
        em_max_iterations: z.number().int().min(1).default(50),
        /**
         * A pair whose identity fields (given name, DOB, SSN, sex, middle name, suffix) weigh
         * less than this (bits; -10 = odds of 1000 to 1 against) is never linked automatically,
         * only reviewed: household, address and surname cannot outvote a person's own
         * identifiers (spouses, twins, a parent and grown child of the same name).
         */
        min_identity_weight: z.number().default(-10),
        /**
         * The same floor when both records come with a family on record (children or another parent
         * on the case or referral): then relatives living together share address, phone and surname,
         * so the person's own identifiers must not weigh against the pair at all.
         */
        min_identity_weight_family: z.number().default(0),
        /**
         * Review, never link automatically, a pair whose two families are both on record and
         * share nobody (no child, no other parent in common), with no phone or address and no
         * SSN in agreement: two people can share a name and a birth date (namesakes).
         */
        hold_different_families: z.boolean().default(true),
        /** Random pairs drawn to measure u-probabilities. */
        u_sample_pairs: z.number().int().min(1000).default(200000),
        /** Weight of the prior m-probabilities in EM, in pseudo-pairs (keeps small nights sensible). */
        em_prior_strength: z.number().min(0).default(20),
        /** Bounds of the term-frequency adjustment of an exact name agreement, in bits around its average weight. */
        tf_max_up: z.number().min(0).default(4),
        tf_max_down: z.number().min(0).default(6),
      })
      .strict()
      .prefault({}),
    /** Linkages tiers (INTERFACE.md section 3): the rules a county may change without code. See src/classify/README.md. */
    tiers: tiersConfig,
    /** Assigning new mutual clients to Linkages workers. See src/assign/. */
    assign: assignConfig,
    /** Events and notifications. See src/notify/README.md. */
    notify: notifyConfig,
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
