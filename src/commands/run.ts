/** `linkages run`: the nightly batch. */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dateFlag, requireStr, str, type Parsed } from './args.js';
import { commonOptions, configPath, dbFilePath, DEFAULT_DB, DEFAULT_OUT, outPath, type Command } from './command.js';
import { CliError, ExitCode, usageError } from '../runtime/errors.js';
import { holdConsole } from './heldConsole.js';
import { loadConfig } from '../config/load.js';
import { withDatabase } from '../db/database.js';
import { runPipeline } from '../pipeline/runner.js';
import type { RunInputs } from '../pipeline/stage.js';
import { createLogger, describeError, resolveLogLevel, LOG_LEVELS } from '../runtime/logger.js';
import { rotateLog } from '../runtime/logRotation.js';
import { openToGroup } from '../runtime/files.js';
import { alreadyLogged } from '../pipeline/runner.js';
import { randomUUID } from 'node:crypto';
import { terminalProgress } from '../runtime/progress.js';
import { nightly } from '../../pipelines/nightly.js';
import { reexportNight } from '../export/index.js';
import { formatSummary } from './runSummaryText.js';
import { preflightInputs } from '../ingest/preflight.js';
import { checkConfigAgainstInputs } from '../config/validate.js';
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
  --accept-anomalies  publish a night the input checks hold (exit 4), once a person has
                      looked at the reasons (linkages status) and the extracts are right
  --log-level LEVEL   ${LOG_LEVELS.join(' | ')} (default info; or LINKAGES_LOG_LEVEL)
  --quiet             no summary on stdout, only warnings and errors on stderr

Environment: LINKAGES_DB, LINKAGES_OUT, LINKAGES_CONFIG stand for --db, --out, --config
when those are not given. Exit codes: 0 published, 1 failed, 2 bad usage or configuration,
3 another run holds the database, 4 held by an input check (reasons on stderr).`;

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
    'accept-anomalies': { type: 'boolean' },
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
    const config = loadConfig(configPath(values));
    // The config against tonight's files (encoding, separator, mapped headers), then unreadable,
    // empty or wrongly-headed inputs: one line and exit 2, before any log line.
    await checkConfigAgainstInputs(config, inputs);
    await preflightInputs(inputs, config);
    const outRoot = resolve(outPath(values));
    const dbPath = dbFilePath(values);
    checkRunPaths(dbPath, outRoot, config.database.temp_directory);
    checkMemoryLimit(config.database.memory_limit);

    const quiet = values.quiet === true;
    // --quiet: warnings and errors at most on the console (a transport's own level overrides the logger's,
    // so take the stricter of the two: --quiet --log-level error stays error-only).
    const fileLevel = level ?? 'info';
    const consoleLevel = LOG_LEVELS[Math.min(LOG_LEVELS.indexOf(fileLevel), LOG_LEVELS.indexOf('warn'))]!;
    // The console lines are held until the night is settled: a refusal after ingest is one line (heldConsole.ts).
    const log = holdConsole(createLogger({ level: fileLevel, console: false }), createLogger({ level: fileLevel, ...(quiet ? { consoleLevel } : {}) }));
    const runId = randomUUID();
    log.context({ run_id: runId });
    const logFile = join(outRoot, 'logs', 'linkages.jsonl');
    const rotation = rotateLog(logFile, { keepNights: config.logs.keep_nights, maxBytes: config.logs.max_mb * 1024 * 1024 });
    log.addFile(logFile);
    if (rotation.rotated || rotation.deleted.length) {
      log.info('log rotated', { rotated_to: rotation.rotated, deleted: rotation.deleted.length });
    }
    try {
      const result = await withDatabase(
        dbPath,
        {
          threads: config.database.threads,
          memoryLimit: config.database.memory_limit,
          // a coordinator's review page or search may hold the file for a moment
          lockWaitMs: 15_000,
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
            runId,
            acceptAnomalies: values['accept-anomalies'] === true,
            onNightSettled: () => log.release(),
          }),
      );
      if (!quiet) process.stdout.write(formatSummary(result.summary, result.outDir));
    } catch (err) {
      // Failures before the night started (the database held or unreadable): the runner logs the rest.
      if (!alreadyLogged(err)) {
        const { kind, message } = describeError(err);
        log.error(`run failed before it started: ${message}`, { stage: 'start', error: kind });
      }
      // A refusal is its one line on stderr; any other failure shows what led to it.
      if (err instanceof CliError && err.exitCode === ExitCode.USAGE) log.drop();
      else log.release();
      throw err;
    } finally {
      log.release();
      await log.close();
      if (config.output.group_readable) openToGroup(outRoot, join(outRoot, 'logs'));
    }
  },
};
