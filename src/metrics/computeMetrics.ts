/**
 * `linkages metrics`: the evaluators' tables (docs/interface.md section 5),
 * computed in DuckDB from the run history, the nightly marts and the event
 * ledger, then written in the chosen format with report.html beside them.
 *
 *   nights.ts          which runs the range covers (one per night)
 *   runsMetrics.ts     metrics_runs            per night: cases per tier, links, queue, mutual clients, events...
 *   identification.ts  metrics_identification  per mutual client: when found, how fast, what followed
 *   outcomes.ts        metrics_outcomes        per month of identification and cohort
 *   survival.ts        metrics_survival        Kaplan-Meier: case closed, new referral, by days after identification
 *   publish.ts + suppress.ts  small-cell suppression of every count the files and the page show
 *   writeTable.ts      CSV / Parquet / Arrow IPC
 *   codebook.ts        codebook.md (and the same as column descriptions in Parquet and Arrow)
 *   report/            report.html (inline SVG charts, no script)
 *
 * The tables are TEMP: metrics reads the database and writes files only.
 */
import { join } from 'node:path';
import type { Db } from '../db/database.js';
import { usageError } from '../runtime/errors.js';
import { writeFileAtomic, ensurePrivateDir } from '../runtime/files.js';
import { buildIdentification } from './identification.js';
import { buildNights, type NightSpan, type Range } from './nights.js';
import { buildOutcomes } from './outcomes.js';
import { renderReport } from './report/html.js';
import { reportData } from './report/reportData.js';
import { buildRunsMetrics } from './runsMetrics.js';
import { applySuppression, registerTables } from './publish.js';
import { Figures } from './suppress.js';
import { buildSurvival } from './survival.js';
import { writeMetricsTable, type MetricsFormat } from './writeTable.js';
import { CODEBOOK_FILE, renderCodebook } from './codebook.js';

export const REPORT_FILE = 'report.html';

/** Each table and the order its rows are written in. */
export const METRICS_TABLES = [
  { table: 'metrics_runs', orderBy: 'run_date, measure, category NULLS FIRST' },
  { table: 'metrics_identification', orderBy: 'identified_on, mutual_client_id' },
  { table: 'metrics_outcomes', orderBy: 'identification_month, cohort' },
  { table: 'metrics_survival', orderBy: 'outcome, cohort, day' },
] as const;

export interface MetricsOptions {
  /** Counts from 1 to threshold-1 are withheld; null writes every count (internal use only). */
  threshold: number | null;
}

export interface MetricsResult {
  span: NightSpan;
  rows: Record<string, number>;
  files: string[];
  withheld: { small: number; complementary: number };
}

export async function computeMetrics(db: Db, range: Range): Promise<{ span: NightSpan; rows: Record<string, number> }> {
  const span = await buildNights(db, range);
  if (!span.nights) {
    throw usageError(`metrics: no night in the database${range.from || range.to ? ' between the given dates' : ''}; run \`linkages run\` first`);
  }
  // Identification first: metrics_runs counts new mutual clients from it (one definition).
  const identification = await buildIdentification(db);
  const rows = {
    metrics_runs: await buildRunsMetrics(db),
    metrics_identification: identification,
    metrics_outcomes: await buildOutcomes(db),
    metrics_survival: await buildSurvival(db),
  };
  return { span, rows };
}

/**
 * Computes the tables, registers every figure the files and the page show,
 * withholds the small cells (and their complements) in both, then writes.
 */
export async function writeMetrics(db: Db, range: Range, dir: string, format: MetricsFormat, options: MetricsOptions): Promise<MetricsResult> {
  const { span, rows } = await computeMetrics(db, range);
  const fig = new Figures();
  await registerTables(db, fig);
  const data = await reportData(db, span, fig);
  const withheld = options.threshold === null ? { small: 0, complementary: 0 } : fig.suppress(options.threshold);
  await applySuppression(db, fig);
  ensurePrivateDir(dir);
  const files: string[] = [];
  for (const t of METRICS_TABLES) files.push(await writeMetricsTable(db, t.table, t.orderBy, dir, format, options.threshold));
  const codebook = join(dir, CODEBOOK_FILE);
  writeFileAtomic(codebook, renderCodebook(format, options.threshold));
  files.push(codebook);
  const report = join(dir, REPORT_FILE);
  writeFileAtomic(report, renderReport({ ...data, threshold: options.threshold, withheld }));
  files.push(report);
  return { span, rows, files, withheld };
}
