/**
 * `linkages review import FILE` and `linkages review export`: coordinators'
 * decisions in, the review queue out (src/review/).
 */
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { str, type Parsed } from '../cli/args.js';
import type { Command } from '../cli/command.js';
import { dbFilePath, DEFAULT_DB, DEFAULT_OUT, outRoot } from '../cli/command.js';
import { CliError, ExitCode, usageError } from '../cli/errors.js';
import { latestNight } from '../pipeline/ledger.js';
import { withExistingDatabase } from '../review/existingDatabase.js';
import { exportReviewQueue } from '../review/exportQueue.js';
import { importDecisions } from '../review/importDecisions.js';
import { formatImportReport } from '../review/importReport.js';

const usage = `Usage: linkages review import FILE [--reviewer NAME] [--db FILE]
       linkages review export [--out FILE] [--db FILE]

import  Record coordinators' decisions. FILE is any CSV with the columns
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

  --reviewer NAME   who decided (default: your login name, ${safeUser()})
  --out FILE        export: where to write (default ${DEFAULT_OUT}/review/review_queue_<night>.csv)
  --db FILE         database file (default ${DEFAULT_DB}, or LINKAGES_DB)`;

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
  const dbPath = dbFilePath(values);
  const result = await withExistingDatabase(dbPath, 'review export', async (db) => {
    const night = await latestNight(db);
    if (!night) throw usageError('review export: the database holds no night yet; run `linkages run` first');
    const out = resolve(str(values, 'out') ?? join(outRoot(), 'review', `review_queue_${night}.csv`));
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
    help: { type: 'boolean', short: 'h' },
  },
  async run({ values, positionals }: Parsed) {
    const [action, ...args] = positionals;
    if (action === 'import') return runImport(values, args);
    if (action === 'export') return runExport(values, args);
    throw usageError(
      action ? `review: unknown action "${action}"; expected import or export` : 'review: give an action, import FILE or export (see linkages review --help)',
    );
  },
};
