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
    open_calworks_statuses: z
      .array(z.enum(['PENDING', 'ACTIVE', 'DISCONTINUED', 'DENIED']))
      .min(1)
      .default(['PENDING', 'ACTIVE']),
    /** A parent with fr_services = Y keeps the case open (AB 429 / AB 135) whatever its status. */
    fr_services_keeps_case_open: z.boolean().default(true),
    mutual: z
      .object({
        /** Child-welfare service components whose OPEN case makes a linked parent's CalWORKs case MUTUAL. */
        service_components: z
          .array(z.enum(['ER', 'FM', 'FR', 'PP']))
          .min(1)
          .default(['FM', 'FR']),
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
        risk_flags: z.array(z.enum(['family_stabilization', 'homeless', 'domestic_abuse'])).default(['family_stabilization', 'homeless', 'domestic_abuse']),
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
    /** E-mail delivery (`linkages notify send`). The SMTP server and sender come from the environment, never from here. */
    mail: z
      .object({
        /** Starts every subject, e.g. "[Alameda Linkages]", so a county's staff can filter them. */
        subject_prefix: z.string().max(60).default('[Linkages]'),
        /** Messages in flight at once. */
        concurrency: z.number().int().min(1).max(16).default(4),
        /** Tries per message within one call when the server fails for a while (4xx, timeouts, dropped connections). */
        attempts: z.number().int().min(1).max(10).default(3),
        /** Wait before the second try of a message, doubled for each later try. */
        backoff_ms: z.number().int().min(0).max(600_000).default(2000),
        /** Consecutive failed tries after which the call stops (the server is down or refuses everything). */
        breaker_failures: z.number().int().min(1).max(100).default(5),
        /** A message left failed is tried again by a call this many minutes later at the earliest, doubled per failed call (at most 6 h). */
        retry_after_minutes: z.number().min(0).max(360).default(10),
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
        /** The process's memory budget; DuckDB's buffer pool gets three quarters of it (src/db/memoryBudget.ts). */
        memory_limit: z
          .string()
          .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i)
          .default('2GB'),
        /** Where DuckDB spills; defaults to `<db>.tmp` next to the database file. */
        temp_directory: z.string().optional(),
        /**
         * Where the night's working tables live (src/db/scratch.ts): `memory` (DuckDB's TEMP tables,
         * spilling to temp_directory; fastest), `file` (the database file, compressed, never
         * committed; for nights far bigger than memory_limit), or `auto`: memory while the night has
         * at most a million staged rows per GB of memory_limit, the file above.
         */
        working_tables: z.enum(['auto', 'memory', 'file']).default('auto'),
      })
      .strict()
      .prefault({}),
    input: z
      .object({
        /** Text encoding of CSV extracts; bytes that are not valid in it quarantine the row. */
        encoding: z.enum(['utf8', 'latin1']).default('utf8'),
        columns: z.object({ calworks: columnMap, cws: columnMap, workers: columnMap, contacts: columnMap }).strict().prefault({}),
      })
      .strict()
      .prefault({}),
    /**
     * Input checks (docs/interface.md section 2.5): tonight's CalWORKs and child-welfare extracts
     * against the previous published night's. A night outside these is held (exit 4, nothing
     * published) until it is run again with --accept-anomalies. README "Input checks" gives
     * the night-to-night variation these defaults were measured against.
     */
    checks: z
      .object({
        /** Rows, persons or parents falling by more than this share (0.2 = 20 %) hold the night. */
        max_fall: z.number().min(0).max(1).default(0.2),
        /** Rows, persons or parents rising by more than this share (1 = doubling) hold the night. */
        max_rise: z.number().min(0).default(1),
        /** The share of parent rows with a usable SSN, or with a usable date of birth, falling by more than this (0.05 = 5 points) holds the night. */
        max_share_fall: z.number().min(0).max(1).default(0.05),
        /** The two share checks apply only when both nights have at least this many parent rows (with fewer, one row moves the share by a point or more). */
        share_min_parent_rows: z.number().int().min(1).default(100),
        /** An extract_date not later than the previous night's holds the night. */
        extract_date_must_advance: z.boolean().default(true),
        /** A file byte-identical to the previous night's holds the night. */
        hold_identical_file: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    /** The run log, OUT/logs/linkages.jsonl: rotated when it is from an earlier day or too large. */
    logs: z
      .object({
        /** Rotated log files are deleted this many nights after they were last written. */
        keep_nights: z.number().int().min(1).default(30),
        /** A log file larger than this many megabytes is rotated even within a night. */
        max_mb: z.number().min(1).default(100),
      })
      .strict()
      .prefault({}),
    /** Output files (OUT/<run-date>/, the logs). */
    output: z
      .object({
        /**
         * Make the night's files readable by the group of the output folder (a service group the
         * coordinators belong to): folders 0750, files 0640. Default: owner only (0700 / 0600).
         */
        group_readable: z.boolean().default(false),
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
         * A family (CalWORKs case, child-welfare referral or case) with more persons than this is
         * left out of household matching (a group referral from a shelter, a data error): counted
         * and logged, its members keep their other families.
         */
        max_family_members: z.number().int().min(2).default(100),
        /**
         * A mutual client (linked records in one component) of more records than this is not one
         * person but a chain of wrong links: left out of tiers, mutual clients and notifications
         * (counted, logged), so its records are not each paired with every other.
         */
        max_cluster_records: z.number().int().min(2).default(50),
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
        /**
         * A pair corroborated by nothing about the home or family (no family member, address or phone in
         * common: at most the ZIP or city), where families are on record, rests on the person's own name and
         * birth date alone; in a county of hundreds of thousands another person may share them (namesakes).
         * Below this match_probability such a pair goes to review instead of being linked automatically.
         */
        link_threshold_uncorroborated: z.number().min(0).max(1).default(0.98),
        /**
         * Sanity guard: one person automatically linked to more records of the other system than
         * this (a person recorded twice is common; five times happens: FEBRL 3 holds originals with
         * five duplicates) sends the weakest extra links to review; and automatic links beyond the
         * parents of the larger side (x 1.1) go to review too. Either says loudly that the model
         * went wrong (run_summary.json, log).
         */
        max_links_per_person: z.number().int().min(1).default(5),
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
    /** Linkages tiers (docs/interface.md section 3): the rules a county may change without code. See src/classify/README.md. */
    tiers: tiersConfig,
    /** Assigning new mutual clients to Linkages workers. See src/assign/. */
    assign: assignConfig,
    /** Events and notifications. See src/notify/README.md. */
    notify: notifyConfig,
    /** `linkages metrics`. See src/metrics/README.md. */
    metrics: z
      .object({
        /** Counts of people, families, pairs or events from 1 to this minus 1 are withheld from the files and the page ("<11"). */
        suppress_below: z.number().int().min(2).max(1000).default(11),
      })
      .strict()
      .prefault({}),
    /** The coordinators' review page (`linkages review serve`). See src/review/README.md. */
    review: z
      .object({
        /** AUTO links of each night drawn at random for coordinators to check (the audit page). */
        audit_sample_size: z.number().int().min(1).max(1000).default(50),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
