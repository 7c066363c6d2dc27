/**
 * `linkages metrics`: the evaluators' tables (INTERFACE.md section 5),
 * computed in DuckDB from the run history, the nightly marts and the event
 * ledger, then written in the chosen format with report.html beside them.
 *
 *   nights.ts          which runs the range covers (one per night)
 *   runsMetrics.ts     metrics_runs            per night: cases per tier, links, queue, mutual clients, events...
 *   identification.ts  metrics_identification  per mutual client: when found, how fast, what followed
 *   outcomes.ts        metrics_outcomes        per month of identification and cohort
 *   writeTable.ts      CSV / Parquet / Arrow IPC
 *   report/            report.html (inline SVG charts, no script)
 *
 * The tables are TEMP: metrics reads the database and writes files only.
 */
import { join } from 'node:path';
import type { Db } from '../db/database.js';
import { usageError } from '../cli/errors.js';
import { writeFileAtomic, ensurePrivateDir } from '../runtime/files.js';
import { buildIdentification } from './identification.js';
import { buildNights, type NightSpan, type Range } from './nights.js';
import { buildOutcomes } from './outcomes.js';
import { renderReport } from './report/html.js';
import { reportData } from './report/reportData.js';
import { buildRunsMetrics } from './runsMetrics.js';
import { writeMetricsTable, type MetricsFormat } from './writeTable.js';

export const REPORT_FILE = 'report.html';

/** Each table and the order its rows are written in. */
export const METRICS_TABLES = [
  { table: 'metrics_runs', orderBy: 'run_date, measure, category NULLS FIRST' },
  { table: 'metrics_identification', orderBy: 'identified_on, mutual_client_id' },
  { table: 'metrics_outcomes', orderBy: 'identification_month, cohort' },
] as const;

export interface MetricsResult {
  span: NightSpan;
  rows: Record<string, number>;
  files: string[];
}

export async function computeMetrics(db: Db, range: Range): Promise<{ span: NightSpan; rows: Record<string, number> }> {
  const span = await buildNights(db, range);
  if (!span.nights) {
    throw usageError(`metrics: no night in the database${range.from || range.to ? ' between the given dates' : ''}; run \`linkages run\` first`);
  }
  const rows = {
    metrics_runs: await buildRunsMetrics(db),
    metrics_identification: await buildIdentification(db),
    metrics_outcomes: await buildOutcomes(db),
  };
  return { span, rows };
}

export async function writeMetrics(db: Db, range: Range, dir: string, format: MetricsFormat): Promise<MetricsResult> {
  const { span, rows } = await computeMetrics(db, range);
  ensurePrivateDir(dir);
  const files: string[] = [];
  for (const t of METRICS_TABLES) files.push(await writeMetricsTable(db, t.table, t.orderBy, dir, format));
  const report = join(dir, REPORT_FILE);
  writeFileAtomic(report, renderReport(await reportData(db, span)));
  files.push(report);
  return { span, rows, files };
}
