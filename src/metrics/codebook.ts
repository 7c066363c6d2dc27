/**
 * The codebook: every column of every metrics file, its unit, how it is
 * computed and whether it is suppressed. One source, written three ways:
 * codebook.md beside the files, Parquet key-value metadata (one key per
 * column, `linkages:column:<name>`; Parquet has no per-column comment) and
 * Arrow field metadata (`description`, `unit`).
 */
import { RUN_MEASURES_DOC } from './runsMetrics.js';

export const CODEBOOK_FILE = 'codebook.md';

export interface ColumnDoc {
  name: string;
  /** What one unit is: "families", "days", "date", "share (0-1)"... */
  unit: string;
  /** A count of people, families, pairs or events: subject to small-cell suppression. */
  count?: boolean;
  meaning: string;
}

export interface TableDoc {
  table: string;
  grain: string;
  suppression: string;
  columns: ColumnDoc[];
}

const SUPPRESSED_LISTS: ColumnDoc[] = [
  {
    name: 'suppressed_small',
    unit: 'list of column names',
    meaning: 'columns of this row withheld as small counts (1 to threshold-1; "<11" in CSV); their values are empty (NULL)',
  },
  {
    name: 'suppressed_complementary',
    unit: 'list of column names',
    meaning:
      'columns of this row withheld for another reason ("withheld" in CSV): so that a total cannot reveal a small count, or a rate or median resting on a withheld count or on fewer than threshold families; their values are empty (NULL)',
  },
];

export const CODEBOOK: TableDoc[] = [
  {
    table: 'metrics_runs',
    grain: 'one row per night, measure and category (tidy: pivot it as you like); a category with nothing that night is 0',
    suppression:
      'value is suppressed: a count from 1 to threshold-1 is withheld, and so is a cell that a published total would give away (the page adds up nights into weeks and into the period)',
    columns: [
      { name: 'run_date', unit: 'date', meaning: 'the night (the run in force for it: the latest committed attempt)' },
      { name: 'run_id', unit: 'id', meaning: 'the run the row comes from' },
      { name: 'measure', unit: 'name', meaning: 'what is counted (see the measures below)' },
      { name: 'category', unit: 'name', meaning: 'tier, decision or event type, empty when the measure has none' },
      { name: 'value', unit: 'count', count: true, meaning: 'the count; empty when withheld (see suppressed)' },
      {
        name: 'suppressed',
        unit: 'small | complementary',
        meaning:
          'why value is withheld: "small" (a count from 1 to threshold-1, "<11" in CSV) or "complementary" (so that a total cannot reveal one, "withheld" in CSV); empty when shown',
      },
    ],
  },
  {
    table: 'metrics_identification',
    grain:
      'one row per mutual client first identified in the period. RECORD-LEVEL, with case numbers: for analysis inside the department, never published; it holds no counts and is not suppressed',
    suppression: 'none (record-level: do not share it outside the department)',
    columns: [
      { name: 'mutual_client_id', unit: 'id', meaning: 'the mutual client (family) id the matching issued' },
      { name: 'identified_on', unit: 'date', meaning: 'the first night the family was a new mutual client' },
      { name: 'identification_month', unit: 'YYYY-MM', meaning: 'month of identified_on' },
      {
        name: 'baseline',
        unit: 'true/false',
        meaning:
          'identified on the very first night in the database, when everyone already mutual is "new": describes the program start, not how fast it finds families; keep the cohorts apart',
      },
      {
        name: 'continues',
        unit: 'list of ids',
        meaning:
          'when the matching merged or split records and issued a new id, the ids it continues (it keeps their identification date); each family is counted once, on the row where continues is empty',
      },
      { name: 'case_numbers', unit: 'list of ids', meaning: 'CalWORKs case numbers of the family' },
      { name: 'calworks_person_ids', unit: 'list of ids', meaning: 'CalWORKs person ids linked in the family' },
      { name: 'cws_client_ids', unit: 'list of ids', meaning: 'child-welfare client ids linked' },
      { name: 'cws_case_ids', unit: 'list of ids', meaning: 'child-welfare case ids of the family' },
      { name: 'referral_date', unit: 'date', meaning: 'latest child-welfare referral naming the parent on or before identification' },
      { name: 'days_from_referral', unit: 'days', meaning: 'identified_on - referral_date' },
      { name: 'case_open_date', unit: 'date', meaning: 'opening of the open FM/FR case that made the family mutual' },
      { name: 'days_from_case_opening', unit: 'days', meaning: 'identified_on - case_open_date' },
      { name: 'assigned_on', unit: 'date', meaning: "the Linkages worker's assignment" },
      { name: 'linkages_worker_id', unit: 'id', meaning: 'the Linkages worker first assigned' },
      { name: 'days_to_assignment', unit: 'days', meaning: 'assigned_on - identified_on (0 when assigned the same night)' },
      { name: 'days_followed', unit: 'days', meaning: 'followed_through - identified_on: how long the family has been followed. Read every outcome with it' },
      { name: 'followed_6m', unit: 'true/false', meaning: 'the whole 6 months after identification lie inside the period' },
      { name: 'followed_12m', unit: 'true/false', meaning: 'the whole 12 months after identification lie inside the period' },
      { name: 'sanctioned_at_identification', unit: 'true/false', meaning: 'WTW status SANCTIONED on the identification night' },
      {
        name: 'sanction_cured_6m',
        unit: 'true/false/empty',
        meaning: 'a later night within 6 months shows another WTW status; empty unless sanctioned and followed 6 months (so its mean is the cure rate)',
      },
      {
        name: 'cws_case_closed_6m',
        unit: 'true/false/empty',
        meaning: 'event CWS_CASE_CLOSED within 6 months; empty until the family has been followed 6 months (an earlier closure is in days_to_cws_case_closed)',
      },
      { name: 'cws_case_closed_12m', unit: 'true/false/empty', meaning: 'the same within 12 months; empty until followed 12 months' },
      { name: 'new_referral_12m', unit: 'true/false/empty', meaning: 'event NEW_REFERRAL on a linked parent within 12 months; empty until followed 12 months' },
      {
        name: 'child_removed_after_identification',
        unit: 'true/false',
        meaning: 'event CHILD_REMOVED any time after identification, so far (within days_followed)',
      },
      {
        name: 'days_to_cws_case_closed',
        unit: 'days',
        meaning:
          'days from identification to the first CWS_CASE_CLOSED after it; empty when none seen in days_followed (for time-to-event analysis: censored at days_followed)',
      },
      { name: 'days_to_new_referral', unit: 'days', meaning: 'the same for NEW_REFERRAL' },
      { name: 'days_to_child_removed', unit: 'days', meaning: 'the same for CHILD_REMOVED' },
      { name: 'identified_run_id', unit: 'id', meaning: 'the run that identified the family' },
      { name: 'followed_through', unit: 'date', meaning: 'the last night looked at (the period end)' },
      { name: 'nights_observed', unit: 'nights', meaning: 'nights run from identified_on to followed_through, both included' },
    ],
  },
  {
    table: 'metrics_outcomes',
    grain:
      'one row per month of identification and cohort ("baseline": the first night; "new": later), each family once (rows that continue a re-issued id are not counted again)',
    suppression:
      'every count is suppressed, with complementary suppression inside each nesting (sanctioned within mutual clients, cured within sanctioned and followed...); a rate is withheld with its numerator or denominator, a median over fewer than threshold families with the value known is withheld',
    columns: [
      { name: 'identification_month', unit: 'YYYY-MM', meaning: 'month of identification' },
      { name: 'cohort', unit: 'baseline | new', meaning: 'baseline: identified on the first night in the database; new: later' },
      { name: 'mutual_clients', unit: 'families', count: true, meaning: 'families identified (sums to the page\'s "identified" figures)' },
      { name: 'sanctioned_at_identification', unit: 'families', count: true, meaning: 'of them, WTW sanctioned that night' },
      { name: 'sanctioned_followed_6m', unit: 'families', count: true, meaning: 'of them, followed the whole 6 months' },
      { name: 'sanction_cured_6m', unit: 'families', count: true, meaning: 'of them, sanction cured within 6 months' },
      {
        name: 'sanction_cure_rate_6m',
        unit: 'share (0-1)',
        meaning: 'sanction_cured_6m / sanctioned_followed_6m; empty when nobody followed 6 months (not yet observable) or withheld',
      },
      { name: 'followed_6m', unit: 'families', count: true, meaning: 'families followed the whole 6 months after identification' },
      { name: 'cws_case_closed_6m', unit: 'families', count: true, meaning: 'of them, a child-welfare case closed within 6 months' },
      { name: 'cws_case_closed_rate_6m', unit: 'share (0-1)', meaning: 'cws_case_closed_6m / followed_6m' },
      { name: 'followed_12m', unit: 'families', count: true, meaning: 'families followed the whole 12 months' },
      { name: 'cws_case_closed_12m', unit: 'families', count: true, meaning: 'of them, a child-welfare case closed within 12 months' },
      { name: 'cws_case_closed_rate_12m', unit: 'share (0-1)', meaning: 'cws_case_closed_12m / followed_12m' },
      { name: 'new_referral_12m', unit: 'families', count: true, meaning: 'of those followed 12 months, a new referral within 12 months' },
      { name: 'new_referral_rate_12m', unit: 'share (0-1)', meaning: 'new_referral_12m / followed_12m' },
      {
        name: 'child_removed_after_identification',
        unit: 'families',
        count: true,
        meaning: 'a child removed after identification so far (follow-up differs: see metrics_survival for time-to-event)',
      },
      { name: 'median_days_from_case_opening', unit: 'days', meaning: 'median of days_from_case_opening over the families with it known' },
      { name: 'median_days_from_referral', unit: 'days', meaning: 'median of days_from_referral' },
      { name: 'median_days_to_assignment', unit: 'days', meaning: 'median of days_to_assignment' },
      { name: 'covers_from', unit: 'date', meaning: 'first identification night in the row' },
      { name: 'covers_to', unit: 'date', meaning: 'last night looked at' },
      { name: 'runs', unit: 'nights', meaning: 'nights run between covers_from and covers_to' },
      ...SUPPRESSED_LISTS,
    ],
  },
  {
    table: 'metrics_survival',
    grain: 'one row per outcome, cohort and day after identification on a fixed grid (0-7 daily, 14, 21, 28, then monthly to 365), up to the longest follow-up',
    suppression:
      'followed and events_by are suppressed, with complementary suppression between any two days (the difference of two shown days, families whose follow-up ended or events in between, is never from 1 to threshold-1); the estimate is withheld with events_by, or while fewer than threshold families are followed',
    columns: [
      {
        name: 'outcome',
        unit: 'cws_case_closed | new_referral',
        meaning: 'the event: a child-welfare case of the family closed (CWS_CASE_CLOSED), a new referral on a linked parent (NEW_REFERRAL)',
      },
      { name: 'cohort', unit: 'baseline | new', meaning: 'as in metrics_outcomes; each family once' },
      { name: 'day', unit: 'days', meaning: 'days after identification' },
      {
        name: 'followed',
        unit: 'families',
        count: true,
        meaning: 'families followed at least that many days (the same for both outcomes; those with the event earlier included)',
      },
      { name: 'events_by', unit: 'families', count: true, meaning: 'families with the event by that day' },
      {
        name: 'cumulative_incidence',
        unit: 'share (0-1)',
        meaning:
          'Kaplan-Meier estimate of the share with the event by that day (1 - S): families followed less long leave the count instead of counting as "no event"',
      },
      ...SUPPRESSED_LISTS,
    ],
  },
];

export const columnDoc = (table: string, column: string): ColumnDoc | undefined =>
  CODEBOOK.find((t) => t.table === table)?.columns.find((c) => c.name === column);

/** One line per column for file metadata. */
export const columnDescription = (c: ColumnDoc) => `${c.meaning} [unit: ${c.unit}${c.count ? '; count, small-cell suppressed' : ''}]`;

const md = (s: string) => s.replace(/\|/g, '\\|');

export function renderCodebook(format: string, threshold: number | null): string {
  const lines: string[] = [
    '# Codebook: Linkages metrics',
    '',
    `Files in this folder (${format}): ${CODEBOOK.map((t) => `\`${t.table}\``).join(', ')}, and \`report.html\`.`,
    '',
    threshold === null
      ? '**Suppression: OFF** (written with `--no-suppression`, for internal use only: small counts are shown as they are; do not share these files or the page outside the department).'
      : `**Suppression: ON.** Every count of people, families, pairs or events from 1 to ${threshold - 1} is withheld (empty in Parquet and Arrow, \`<${threshold}\` in CSV and on the page), and so is any other cell that a published total would give away (empty, \`withheld\` in CSV and on the page); zero is shown. Rates are withheld with their numerator or denominator; medians and Kaplan-Meier estimates over fewer than ${threshold} families are withheld. The \`suppressed*\` columns name what was withheld in each row.`,
    '',
    'Empty rates say "not yet observable": nobody has been followed long enough. An outcome "within N months" counts only families followed the whole N months, and its rate is over those; `metrics_survival` gives time-to-event estimates where follow-up differs. Parquet and Arrow keep the types (dates, 64-bit counts, doubles, lists of ids as lists); CSV joins lists with `;`.',
    '',
  ];
  for (const t of CODEBOOK) {
    lines.push(`## ${t.table}`, '', `Grain: ${t.grain}.`, '', `Suppression: ${t.suppression}.`, '', '| column | unit | meaning |', '| --- | --- | --- |');
    for (const c of t.columns) lines.push(`| \`${c.name}\` | ${md(c.unit)}${c.count ? ' (suppressed)' : ''} | ${md(c.meaning)} |`);
    lines.push('');
    if (t.table === 'metrics_runs') {
      lines.push('Measures:', '', '| measure | category | what is counted |', '| --- | --- | --- |');
      for (const m of RUN_MEASURES_DOC) lines.push(`| \`${m.measure}\` | ${md(m.category)} | ${md(m.meaning)} |`);
      lines.push('');
    }
  }
  return `${lines.join('\n')}\n`;
}
