/** `linkages run`: the nightly batch. */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dateFlag, requireStr, str, type Parsed } from '../cli/args.js';
import { commonOptions, DEFAULT_DB, DEFAULT_OUT, type Command } from '../cli/command.js';
import { CliError, ExitCode, usageError } from '../cli/errors.js';
import { holdConsole } from './heldConsole.js';
import { loadConfig } from '../config/load.js';
import { withDatabase } from '../db/database.js';
import { runPipeline } from '../pipeline/runner.js';
import type { RunInputs } from '../pipeline/stage.js';
import { createLogger, resolveLogLevel, LOG_LEVELS } from '../runtime/logger.js';
import { terminalProgress } from '../runtime/progress.js';
import { nightly } from '../../pipelines/nightly.js';
import { reexportNight } from '../export/index.js';
import { formatSummary } from './runSummaryText.js';
import { preflightInputs } from '../ingest/preflight.js';
import { checkMemoryLimit, checkRunPaths } from '../ingest/runPaths.js';
import { checkPlausibleNight } from '../ingest/runDate.js';

const usage = `Usage: linkages run --calworks FILE --cws FILE [options]

The nightly batch: ingest, normalize, match, classify, assign, notify, export.
Writes the night into the database and its files into OUT/<run-date>/.

  --calworks FILE     CalWORKs extract (.csv, .parquet, .arrow/.feather)
  --cws FILE          child-welfare extract (.csv, .parquet, .arrow/.feather)
  --workers FILE      Linkages workers roster (CSV)
  --contacts FILE     regional contacts per office (CSV)
  --config FILE       JSON configuration (thresholds, tiers, column mapping)
  --db FILE           database file (default ${DEFAULT_DB})
  --out DIR           output folder (default ${DEFAULT_OUT})
  --run-date DATE     YYYY-MM-DD (default: the latest extract_date in the inputs)
  --force             allow a run date earlier than the latest night
  --log-level LEVEL   ${LOG_LEVELS.join(' | ')} (default info; or LINKAGES_LOG_LEVEL)
  --quiet             no summary on stdout`;

function inputFile(values: Parsed['values'], key: string, required: boolean): string | undefined {
  const path = required ? requireStr(values, key, 'run') : str(values, key);
  if (path === undefined) return undefined;
  if (!existsSync(path)) throw usageError(`--${key}: file not found: ${path}`);
  if (!statSync(path).isFile()) throw usageError(`--${key}: not a file: ${path}`);
  return resolve(path);
}

export function logLevelFlag(values: Parsed['values']) {
  const flag = str(values, 'log-level');
  const level = resolveLogLevel(flag);
  if (flag !== undefined && !level) throw usageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${flag}"`);
  return level;
}

export const runCommand: Command = {
  verb: 'run',
  usage,
  options: {
    ...commonOptions,
    calworks: { type: 'string' },
    cws: { type: 'string' },
    workers: { type: 'string' },
    contacts: { type: 'string' },
    out: { type: 'string' },
    'run-date': { type: 'string' },
    force: { type: 'boolean' },
    quiet: { type: 'boolean' },
  },
  async run({ values, positionals }) {
    if (positionals.length) throw usageError(`run: unexpected argument "${positionals[0]}" (see linkages run --help)`);
    const level = logLevelFlag(values);
    const runDate = dateFlag(str(values, 'run-date'), 'run-date');
    if (runDate) checkPlausibleNight(runDate, '--run-date');
    const inputs: RunInputs = {
      calworks: inputFile(values, 'calworks', true)!,
      cws: inputFile(values, 'cws', true)!,
    };
    const workers = inputFile(values, 'workers', false);
    const contacts = inputFile(values, 'contacts', false);
    if (workers) inputs.workers = workers;
    if (contacts) inputs.contacts = contacts;
    const config = loadConfig(str(values, 'config'));
    // Unreadable, empty or wrongly-headed inputs: one line and exit 2, before any log line.
    await preflightInputs(inputs, config);
    const outRoot = resolve(str(values, 'out') ?? DEFAULT_OUT);
    const dbPath = str(values, 'db') ?? DEFAULT_DB;
    checkRunPaths(dbPath, outRoot, config.database.temp_directory);
    checkMemoryLimit(config.database.memory_limit);

    const log = holdConsole(createLogger({ level: level ?? 'info', console: false }), createLogger({ level: level ?? 'info' }));
    log.addFile(join(outRoot, 'logs', 'linkages.jsonl'));
    try {
      const result = await withDatabase(
        dbPath,
        {
          threads: config.database.threads,
          memoryLimit: config.database.memory_limit,
          ...(config.database.temp_directory ? { tempDirectory: config.database.temp_directory } : {}),
        },
        (db) =>
          runPipeline({
            db,
            config,
            log,
            progress: terminalProgress(),
            inputs,
            outRoot,
            ...(runDate ? { runDate } : {}),
            force: values.force === true,
            stages: nightly,
            reexport: reexportNight,
            onNightSettled: () => log.release(),
          }),
      );
      if (values.quiet !== true) process.stdout.write(formatSummary(result.summary, result.outDir));
    } catch (err) {
      log.error('run failed', { error: err instanceof Error ? err.name : 'Error' });
      // A refusal is its one line on stderr; any other failure shows what led to it.
      if (err instanceof CliError && err.exitCode === ExitCode.USAGE) log.drop();
      else log.release();
      throw err;
    } finally {
      log.release();
      await log.close();
    }
  },
};
