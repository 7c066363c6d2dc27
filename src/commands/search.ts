/** `linkages search "NAME" [--dob DATE]`: find a person across both systems (src/search/). */
import { dateFlag, intFlag, str, type Parsed } from './args.js';
import type { Command } from './command.js';
import { dbFilePath, DEFAULT_DB } from './command.js';
import { usageError } from '../runtime/errors.js';
import { withExistingDatabase } from '../db/existingDatabase.js';
import { formatJson, formatTable } from '../search/formatHits.js';
import { searchPeople } from '../search/searchPeople.js';

const usage = `Usage: linkages search "NAME" [--dob DATE] [options]

Find a person in both systems (CalWORKs and child welfare) by name, despite
typos, nicknames (Bob = Robert, Pepe = Jose), first and last name swapped,
and compound surnames (Rodriguez Garcia, De La Rosa). Shows each person's
system and id, DOB, cases, Linkages tier, mutual_client_id and the ids
linked on the other side, best match first. Searches the latest night.

  --dob DATE       date of birth (YYYY-MM-DD or MM/DD/YYYY): only people born
                   that day or one slip away (day, year, day/month swapped)
  --limit N        how many people to show (default 20)
  --json           one JSON object per line instead of a table
  --db FILE        database file (default ${DEFAULT_DB})

Prints names and dates of birth on the screen, which is its purpose; it
writes them nowhere else (no log).`;

/** A DOB as the extracts accept it: YYYY-MM-DD or MM/DD/YYYY. */
function dobFlag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value.trim());
  const iso = us ? `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}` : value.trim();
  try {
    return dateFlag(iso, 'dob');
  } catch {
    throw usageError(`--dob must be a date as YYYY-MM-DD or MM/DD/YYYY, got "${value}"`);
  }
}

export const searchCommand: Command = {
  verb: 'search',
  usage,
  options: {
    db: { type: 'string' },
    dob: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  async run({ values, positionals }: Parsed) {
    if (positionals.length !== 1 || !positionals[0]!.trim()) {
      throw usageError('search: give one name in quotes, e.g. linkages search "Maria Rodriguez" (see linkages search --help)');
    }
    const dob = dobFlag(str(values, 'dob'));
    const limit = intFlag(str(values, 'limit'), 'limit', 1) ?? 20;
    const dbPath = dbFilePath(values);
    const result = await withExistingDatabase(dbPath, 'search', (db) => searchPeople(db, { name: positionals[0]!, limit, ...(dob ? { dob } : {}) }));
    process.stdout.write(values.json === true ? formatJson(result) : formatTable(result));
  },
};
