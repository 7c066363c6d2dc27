/** `linkages notify send`: e-mail a published night's notifications (src/notify/send.ts, docs/interface.md section 4.2). */
import { resolve } from 'node:path';
import { dateFlag, str, type Parsed } from './args.js';
import type { Command } from './command.js';
import { DEFAULT_DB } from './command.js';
import { CliError, ExitCode, usageError } from '../runtime/errors.js';
import { loadConfig } from '../config/load.js';
import { createLogger, LOG_LEVELS, resolveLogLevel } from '../runtime/logger.js';
import { sendNight, writeDryRun } from '../notify/send.js';
import { parseSender, parseSmtpUrl, smtpClient } from '../notify/smtp.js';

const usage = `Usage: linkages notify send [--run-date DATE] [--dry-run] [--db FILE] [--config FILE] [--out DIR]

Send each recipient one e-mail listing a published night's notifications for
them, most urgent first: what happened, about whom (name and case number),
what to do and by when. Every (night, recipient) message is kept in the
database's outbox: a message the server accepted is never sent again, however
often this is re-run or killed; one it refused is tried again by a later call
(the wait doubles after each failed call). A server that keeps failing stops
the call after a few tries; nothing is lost.

Settings come from the environment, never from the config file:
  LINKAGES_SMTP_URL    smtp://[user:password@]host[:port]   (STARTTLS when offered)
                       smtps://[user:password@]host[:port]  (TLS; port 465 by default)
                       options: ?requireTLS=true, ?ignoreTLS=true, ?rejectUnauthorized=false
  LINKAGES_MAIL_FROM   the sender, "Name <address>" or "address"
The config's notify.mail sets the subject prefix, messages in flight,
tries and waits.

  --run-date DATE     the night to send (default: the latest published night)
  --dry-run           write the messages as .eml files into OUT/<run-date>/mail/
                      instead of sending them (no SMTP settings needed; the outbox is untouched)
  --out DIR           --dry-run: OUT (default: the folder the night was published to)
  --db FILE           database file (default ${DEFAULT_DB})
  --config FILE       JSON config (for notify.mail)
  --log-level LEVEL   error | warn | info | debug (default info)

Exit codes: 0 every message accepted (or written), 1 some are left for a
retry, 2 bad usage or settings, 3 another linkages process holds the database.`;

export const notifyCommand: Command = {
  verb: 'notify',
  usage,
  options: {
    db: { type: 'string' },
    config: { type: 'string' },
    out: { type: 'string' },
    'run-date': { type: 'string' },
    'dry-run': { type: 'boolean' },
    'log-level': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  async run({ values, positionals }: Parsed) {
    const [action, ...rest] = positionals;
    if (action !== 'send') {
      throw usageError(action ? `notify: unknown action "${action}"; expected send` : 'notify: give an action: send (see linkages notify --help)');
    }
    if (rest.length) throw usageError(`notify send: unexpected argument "${rest[0]}" (see linkages notify --help)`);
    const runDate = dateFlag(str(values, 'run-date'), 'run-date');
    const dryRun = values['dry-run'] === true;
    if (!dryRun && str(values, 'out') !== undefined) throw usageError('notify send: --out is for --dry-run');
    const levelFlag = str(values, 'log-level');
    const level = resolveLogLevel(levelFlag);
    if (levelFlag !== undefined && !level) throw usageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${levelFlag}"`);
    const config = loadConfig(str(values, 'config'));
    const dbPath = str(values, 'db') ?? DEFAULT_DB;
    const env = process.env;

    if (dryRun) {
      const sender = parseSender(env.LINKAGES_MAIL_FROM, false);
      const log = createLogger({ level: level ?? 'info', console: false });
      try {
        const out = str(values, 'out');
        const r = await writeDryRun(dbPath, runDate, out ? resolve(out) : undefined, sender, config, log);
        process.stdout.write(
          `notify send --dry-run: night ${r.night}: ${r.written} message${r.written === 1 ? '' : 's'} written` +
            (r.noAddress ? `; ${r.noAddress} recipient${r.noAddress === 1 ? '' : 's'} without an e-mail address left out` : '') +
            `\n  -> ${r.dir}\n`,
        );
      } finally {
        await log.close();
      }
      return;
    }

    const smtp = parseSmtpUrl(env.LINKAGES_SMTP_URL);
    const sender = parseSender(env.LINKAGES_MAIL_FROM, true);
    const log = createLogger({ level: level ?? 'info' });
    let result;
    try {
      result = await sendNight(dbPath, runDate, smtp, sender, smtpClient, config, log);
    } finally {
      await log.close();
    }
    const c = result.counts;
    const lines = [
      `notify send: night ${result.night} via ${smtp.server}: ${result.delivery.sent} sent now` +
        ` (${c.sent} sent in all), ${c.failed} failed, ${c.pending} pending` +
        (c.no_address ? `, ${c.no_address} without an e-mail address (see their lists under notifications/)` : ''),
    ];
    if (c.sent + c.failed + c.pending + c.no_address === 0) lines.push('  nothing to send: the night has no notifications');
    else if (result.tried === 0 && c.failed + c.pending === 0) lines.push('  nothing to send: every message of the night was accepted before');
    if (c.failed) lines.push(`  failed messages are tried again by a call after ${c.next_attempt_at ?? 'now'} (their errors are in the outbox)`);
    process.stdout.write(`${lines.join('\n')}\n`);
    if (c.failed + c.pending > 0) {
      const why = result.delivery.breakerOpen
        ? `the server failed ${config.notify.mail.breaker_failures} times in a row (${result.delivery.lastFailure ?? 'error'}); stopped`
        : 'some messages were not accepted';
      throw new CliError(`notify send: ${why}: ${c.failed + c.pending} message(s) left for a retry, nothing lost`, ExitCode.RUN_FAILED);
    }
  },
};
