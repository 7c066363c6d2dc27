/**
 * `linkages review import FILE` and `linkages review export`: coordinators'
 * decisions in, the review queue out (src/review/).
 */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { intFlag, str, type Parsed } from './args.js';
import type { Command } from './command.js';
import { configPath, dbFilePath, DEFAULT_DB, DEFAULT_OUT, outRoot } from './command.js';
import { CliError, ExitCode, usageError } from '../runtime/errors.js';
import { latestNight } from '../pipeline/ledger.js';
import { withExistingDatabase } from '../db/existingDatabase.js';
import { exportReviewQueue } from '../review/exportQueue.js';
import { importDecisions } from '../review/importDecisions.js';
import { formatImportReport } from '../review/importReport.js';
import { loadConfig } from '../config/load.js';
import { createLogger, resolveLogLevel } from '../runtime/logger.js';

const DEFAULT_PORT = 7411;

const usage = `Usage: linkages review import FILE [--reviewer NAME] [--db FILE]
       linkages review export [--format csv|xlsx] [--out FILE] [--db FILE]
       linkages review serve [--host ADDR] [--port N] [--config FILE] [--db FILE]

import  Record coordinators' decisions. FILE is an .xlsx workbook (a review
        export) or any CSV with the columns
        calworks_person_id, cws_client_id and decision: an edited
        review_queue.csv or review export, or links.csv with a link's decision
        changed to NO_MATCH. decision is MATCH or NO_MATCH; blank rows (not
        reviewed yet) and links.csv's AUTO/CONFIRMED rows are skipped and
        counted. A decision holds on every later night: a NO_MATCH pair is
        never linked again, a MATCH pair stays linked as CONFIRMED. A later
        decision on the same pair replaces it; the earlier ones stay as history.
        Files saved by Excel (byte-order mark, CRLF, ';' separators) are fine.
        Each problem row is reported with its line; the good rows still apply,
        all together or not at all.
        Exit 0 when the file was read (even if some rows were rejected), 2 when
        it cannot be used (missing, no such columns) or every decision in it
        was rejected.

export  Write the latest night's review queue, the pairs that would make a
        family mutual first: both records side by side, each field's
        comparison level and weight, why the pair was not linked, and an empty
        decision column. Pairs decided since the night ran are left out.
        --format xlsx writes an Excel workbook instead, in the layout of the
        nightly review_queue.csv plus priority and explanation: ids, SSN last
        four and ZIP as text (their zeros stay), a MATCH/NO_MATCH drop-down,
        frozen header, each comparison level coloured; import reads it back.

serve   The review page: prints its URL as the first line and serves until
        stopped (Ctrl-C). The queue most consequential first, one pair at a
        time (M match, N no match, S skip, U undo), each decision stored at
        once as import stores it (source "review page"); an audit of the
        night's automatic links; mutual clients; search. It opens the
        database only for the moment of a request: while a nightly run holds
        it, the page says so and keeps the decisions until it can store them.
        Listens on 127.0.0.1 (this computer only) unless --host says
        otherwise; on any other address the URL carries an access token that
        every browser must use.

  --reviewer NAME   who decided (default: your login name, ${safeUser()})
  --format F        export: csv (default) or xlsx
  --out FILE        export: where to write (default ${DEFAULT_OUT}/review/review_queue_<night>.csv or .xlsx)
  --host ADDR       serve: address to listen on (default 127.0.0.1)
  --port N          serve: port (default ${DEFAULT_PORT}; 0 = any free port)
  --config FILE     serve: the run configuration (review.audit_sample_size)
  --db FILE         database file (default ${DEFAULT_DB}, or LINKAGES_DB)`;

async function runServe(values: Parsed['values'], args: string[]): Promise<void> {
  if (args.length) throw usageError(`review serve: unexpected argument "${args[0]}" (see linkages review --help)`);
  for (const flag of ['out', 'reviewer', 'format']) {
    if (str(values, flag) !== undefined) throw usageError(`review serve: --${flag} is not an option of serve`);
  }
  const dbPath = resolve(dbFilePath(values));
  if (!existsSync(dbPath)) throw usageError(`review serve: no database at ${dbPath}; run \`linkages run\` first or give --db`);
  const host = (str(values, 'host') ?? '127.0.0.1').trim();
  if (!host) throw usageError('review serve: --host must not be empty');
  const port = intFlag(str(values, 'port'), 'port', 0) ?? DEFAULT_PORT;
  if (port > 65535) throw usageError(`--port must be at most 65535, got ${port}`);
  const config = loadConfig(configPath(values));
  const log = createLogger({ level: resolveLogLevel(str(values, 'log-level')) ?? 'info' });
  const { startReviewServer } = await import('../review/page/server.js');
  let srv;
  try {
    srv = await startReviewServer({ dbPath, host, port, auditSampleSize: config.review.audit_sample_size, log });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw usageError(`review serve: port ${port} is in use; give another with --port`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EINVAL') throw usageError(`review serve: cannot listen on ${host}`);
    throw err;
  }
  process.stdout.write(`${srv.url}\n`);
  if (srv.token) process.stdout.write('Open the address above (it carries the access token); give it only to the coordinators.\n');
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await srv.close();
  await log.close();
}

function safeUser(): string {
  try {
    return userInfo().username || process.env.USER || 'unknown';
  } catch {
    return process.env.USER || 'unknown';
  }
}

async function runImport(values: Parsed['values'], args: string[]): Promise<void> {
  if (args.length !== 1) throw usageError('review import: give one FILE (see linkages review --help)');
  if (str(values, 'out') !== undefined) throw usageError('review import: --out is for review export');
  for (const flag of ['host', 'port', 'format']) {
    if (str(values, flag) !== undefined) throw usageError(`review import: --${flag} is not an option of import`);
  }
  const reviewer = (str(values, 'reviewer') ?? safeUser()).trim();
  if (!reviewer) throw usageError('review import: --reviewer must not be empty');
  const dbPath = dbFilePath(values);
  const result = await withExistingDatabase(dbPath, 'review import', (db) => importDecisions(db, args[0]!, reviewer));
  process.stdout.write(formatImportReport(result));
  const c = result.counts;
  if (c.rejected > 0 && c.applied === 0 && c.unchanged === 0) {
    throw new CliError(`review import: nothing applied: every decision in ${result.file} was rejected (see the lines above)`, ExitCode.USAGE);
  }
}

async function runExport(values: Parsed['values'], args: string[]): Promise<void> {
  if (args.length) throw usageError(`review export: unexpected argument "${args[0]}" (see linkages review --help)`);
  if (str(values, 'reviewer') !== undefined) throw usageError('review export: --reviewer is for review import');
  const format = str(values, 'format') ?? (/\.xlsx$/i.test(str(values, 'out') ?? '') ? 'xlsx' : 'csv');
  if (format !== 'csv' && format !== 'xlsx') throw usageError(`review export: --format must be csv or xlsx, got "${format}"`);
  const dbPath = dbFilePath(values);
  const result = await withExistingDatabase(dbPath, 'review export', async (db) => {
    const night = await latestNight(db);
    if (!night) throw usageError('review export: the database holds no night yet; run `linkages run` first');
    const out = resolve(str(values, 'out') ?? join(outRoot(), 'review', `review_queue_${night}.${format}`));
    if (format === 'xlsx') {
      const { exportReviewXlsx } = await import('../review/xlsx.js');
      return exportReviewXlsx(db, out);
    }
    return exportReviewQueue(db, night, out);
  });
  const parts = Object.entries(result.byConsequence).map(([k, n]) => `${n} ${k}`);
  process.stdout.write(
    `review export: night ${result.night}: ${result.pairs} pair${result.pairs === 1 ? '' : 's'} to review` +
      (parts.length ? ` (${parts.join(', ')})` : '') +
      (result.decidedSinceNight ? `; ${result.decidedSinceNight} decided since the night ran, left out` : '') +
      `\n  -> ${result.file}\n`,
  );
}

export const reviewCommand: Command = {
  verb: 'review',
  usage,
  options: {
    db: { type: 'string' },
    reviewer: { type: 'string' },
    out: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    config: { type: 'string' },
    format: { type: 'string' },
    'log-level': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  async run({ values, positionals }: Parsed) {
    const [action, ...args] = positionals;
    if (action === 'import') return runImport(values, args);
    if (action === 'export') return runExport(values, args);
    if (action === 'serve') return runServe(values, args);
    throw usageError(
      action
        ? `review: unknown action "${action}"; expected import, export or serve`
        : 'review: give an action, import FILE, export or serve (see linkages review --help)',
    );
  },
};
