/** `linkages status`: the state of the database and its latest nights (src/status/). */
import { intFlag, str, type Parsed } from './args.js';
import { dbFilePath, type Command } from './command.js';
import { DEFAULT_DB } from './command.js';
import { usageError } from '../runtime/errors.js';
import { withExistingDatabase } from '../db/existingDatabase.js';
import { formatStatus } from '../status/formatStatus.js';
import { readStatus } from '../status/readStatus.js';

const usage = `Usage: linkages status [--db FILE] [--json] [--nights N]

The state of the database: its schema version and the software's, the latest
published night, and the latest attempts at a night, newest first, each with
its state (published; failed, with the stage and the cause; held by an input
check, with its reasons; abandoned when killed), each input's rows and
checksum, links, review queue, mutual clients, notifications, seconds, and the
software and schema version that ran it.

  --db FILE      database file (default ${DEFAULT_DB}, or LINKAGES_DB)
  --json         the same as one JSON object
  --nights N     how many attempts to show (default 10)`;

export const statusCommand: Command = {
  verb: 'status',
  usage,
  options: {
    db: { type: 'string' },
    json: { type: 'boolean' },
    nights: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  async run({ values, positionals }: Parsed) {
    if (positionals.length) throw usageError(`status: unexpected argument "${positionals[0]}" (see linkages status --help)`);
    const limit = intFlag(str(values, 'nights'), 'nights', 1) ?? 10;
    const report = await withExistingDatabase(dbFilePath(values), 'status', (db) => readStatus(db, limit), { migrate: false });
    process.stdout.write(values.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatStatus(report));
  },
};
