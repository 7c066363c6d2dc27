/**
 * The night's run date, when `--run-date` is not given: the extract date of
 * the inputs. An extract is taken on one day, so each person extract's date
 * is the one most of its loaded rows carry (ties: the later); the night is
 * the later of the two. One row with a typo'd extract_date (2062-11-20) or a
 * sentinel (9999-12-31) cannot move the night: it is counted and reported
 * (`other_extract_dates`), not followed.
 *
 * A night must also be a plausible date, whether given or found: outside
 * 1970-01-01 .. 2199-12-31 it is refused (exit 2) before any work, instead of
 * failing in date arithmetic later (due dates past the year 9999).
 */
import { usageError } from '../runtime/errors.js';
import type { Db } from '../db/database.js';
import type { InputName } from './inputs.js';
import { validatedTable } from './validate.js';

export const EARLIEST_NIGHT = '1970-01-01';
export const LATEST_NIGHT = '2199-12-31';

export function checkPlausibleNight(date: string, source: string): void {
  if (date < EARLIEST_NIGHT || date > LATEST_NIGHT) {
    throw usageError(`${source} ${date} is not a plausible night (expected ${EARLIEST_NIGHT} to ${LATEST_NIGHT})`);
  }
}

/** The extract date most loaded rows of the input carry (ties: the later), or null with none loaded. */
async function modalExtractDate(db: Db, input: InputName): Promise<string | null> {
  const row = await db.one<{ d: string | null }>(
    `SELECT strftime(extract_date, '%Y-%m-%d') AS d FROM ${validatedTable(input)} WHERE reason = ''
     GROUP BY extract_date ORDER BY count(*) DESC, extract_date DESC LIMIT 1`,
  );
  return row?.d ?? null;
}

export async function decideRunDate(db: Db, inputs: readonly InputName[]): Promise<string> {
  const dates: string[] = [];
  for (const input of inputs) {
    const d = await modalExtractDate(db, input);
    if (d) dates.push(d);
  }
  if (!dates.length) {
    throw usageError('no row of --calworks or --cws was loaded, so there is no extract_date to take the run date from; give --run-date');
  }
  const night = dates.sort().at(-1)!;
  checkPlausibleNight(night, 'the extract_date of the inputs,');
  return night;
}

/** Loaded rows whose extract_date is not the night's (counted, reported; they load as they are). */
export function otherExtractDatesSql(input: InputName, runDate: string): string {
  return `SELECT count(*) FROM ${validatedTable(input)} WHERE reason = '' AND extract_date <> DATE '${runDate}'`;
}

/** Person fields whose disagreement between two rows of one id is reported. */
const IDENTITY = ['first_name', 'last_name', 'middle_name', 'dob', 'ssn'];
const PERSON_ID: Partial<Record<InputName, string>> = { calworks: 'person_id', cws: 'client_id' };

/**
 * Ids whose loaded rows disagree on a name, DOB or SSN (MELISSA on one case,
 * MELISA on another): normalize takes the latest row's value, whatever the
 * order of the file; this counts them so the county can fix the source.
 * `min <> max` says what `count(DISTINCT) > 1` says (both leave NULLs out),
 * without a set of values per id and field (a third of the time).
 */
export function conflictingIdsSql(input: InputName): string {
  const id = PERSON_ID[input]!;
  return `SELECT count(*) FROM (SELECT ${id} FROM ${validatedTable(input)} WHERE reason = '' GROUP BY ${id}
    HAVING ${IDENTITY.map((f) => `min(${f}) <> max(${f})`).join(' OR ')})`;
}
