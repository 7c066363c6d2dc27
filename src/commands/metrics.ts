/** `linkages metrics`: evaluators' tables and report page (src/metrics/). */
import { resolve, join } from 'node:path';
import { dateFlag, intFlag, str, type Parsed } from './args.js';
import { loadConfig } from '../config/load.js';
import type { Command } from './command.js';
import { configPath, dbFilePath, DEFAULT_DB, DEFAULT_OUT, outRoot } from './command.js';
import { usageError } from '../runtime/errors.js';
import { writeMetrics } from '../metrics/computeMetrics.js';
import { METRICS_FORMATS, type MetricsFormat } from '../metrics/writeTable.js';
import { withExistingDatabase } from '../db/existingDatabase.js';

const usage = `Usage: linkages metrics [--out DIR] [--from DATE] [--to DATE] [--format csv|parquet|arrow] [--db FILE]
                        [--config FILE] [--suppress-below N] [--no-suppression]

Evaluators' tables from the run history and the event ledger, and a report
page for managers, written into DIR:

  metrics_runs            per night: open cases per tier, links, review queue,
                          decisions, mutual clients (new ones too), events and
                          notifications per type; one row per night, measure and category
  metrics_identification  per mutual client: night first identified, days from
                          the child-welfare referral and from the case opening,
                          days to assignment, and what followed (sanction cured,
                          case closed, new referral, child removed)
  metrics_outcomes        per month of identification (first-night cohort apart):
                          the same outcomes as counts and rates over the families
                          followed long enough
  metrics_survival        Kaplan-Meier: share with a case closed / a new referral
                          by N days after identification, follow-up taken into account
  codebook.md             every column: unit, how it is computed, what is suppressed
  report.html             one self-contained page with charts of the same

Every row names the runs it covers (run_id, or the nights it spans).

Small-cell suppression is on: every count from 1 to 10 is withheld (shown "<11"),
and so is any cell a published total would give away (shown "withheld").

  --out DIR         folder to write (default ${DEFAULT_OUT}/metrics)
  --from DATE       first night to cover (YYYY-MM-DD; default: the first)
  --to DATE         last night to cover (default: the latest)
  --format FORMAT   csv | parquet | arrow (Arrow IPC file) (default csv)
  --db FILE         database file (default ${DEFAULT_DB}, or LINKAGES_DB)
  --config FILE     JSON configuration (metrics.suppress_below sets the threshold)
  --suppress-below N  withhold counts from 1 to N-1 (default 11, or the config's)
  --no-suppression  write every count as it is: for internal use only (the page says so)`;

export const metricsCommand: Command = {
  verb: 'metrics',
  usage,
  options: {
    db: { type: 'string' },
    out: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    format: { type: 'string' },
    config: { type: 'string' },
    'suppress-below': { type: 'string' },
    'no-suppression': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  async run({ values, positionals }: Parsed) {
    if (positionals.length) throw usageError(`metrics: unexpected argument "${positionals[0]}" (see linkages metrics --help)`);
    const from = dateFlag(str(values, 'from'), 'from');
    const to = dateFlag(str(values, 'to'), 'to');
    if (from && to && from > to) throw usageError(`metrics: --from ${from} is after --to ${to}`);
    const format = (str(values, 'format') ?? 'csv').toLowerCase();
    if (!(METRICS_FORMATS as readonly string[]).includes(format)) {
      throw usageError(`--format must be one of ${METRICS_FORMATS.join(', ')}, got "${format}"`);
    }
    const config = loadConfig(configPath(values));
    const below = intFlag(str(values, 'suppress-below'), 'suppress-below', 2) ?? config.metrics.suppress_below;
    if (values['no-suppression'] && values['suppress-below'] !== undefined) {
      throw usageError('metrics: --no-suppression and --suppress-below do not go together');
    }
    const threshold = values['no-suppression'] ? null : below;
    const dir = resolve(str(values, 'out') ?? join(outRoot(), 'metrics'));
    const dbPath = dbFilePath(values);
    const result = await withExistingDatabase(dbPath, 'metrics', (db) =>
      writeMetrics(db, { ...(from ? { from } : {}), ...(to ? { to } : {}) }, dir, format as MetricsFormat, { threshold }),
    );
    const s = result.span;
    process.stdout.write(
      `metrics: ${s.nights} night${s.nights === 1 ? '' : 's'} (${s.first} to ${s.last}): ` +
        Object.entries(result.rows)
          .map(([t, n]) => `${t} ${n} rows`)
          .join(', ') +
        (threshold === null
          ? '\n  suppression OFF (--no-suppression): internal use only, do not share'
          : `\n  suppression: counts below ${threshold} withheld (${result.withheld.small} small, ${result.withheld.complementary} complementary)`) +
        `\n${result.files.map((f) => `  -> ${f}`).join('\n')}\n`,
    );
  },
};
