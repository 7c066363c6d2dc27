/**
 * SQL macros of the normalize stage (TEMP: the database file never depends on
 * them). Everything is vectorized DuckDB SQL; expensive string work runs on
 * distinct values only (see persons.ts).
 */
import type { Db } from '../db/database.js';
import { lit } from '../db/sql.js';

/** Generational suffixes recognised at the end of a surname or in name_suffix, and their standard form. */
export const NAME_SUFFIXES: Record<string, string> = {
  JR: 'JR',
  JUNIOR: 'JR',
  SR: 'SR',
  SENIOR: 'SR',
  II: 'II',
  '2ND': 'II',
  III: 'III',
  '3RD': 'III',
  IV: 'IV',
  '4TH': 'IV',
};

/** Surname particles: kept in the joined surname, left out of the surname's token set. */
export const SURNAME_PARTICLES = ['DE', 'DEL', 'LA', 'LAS', 'LOS', 'Y', 'DA', 'DOS', 'DI', 'VAN', 'VON', 'DER', 'E'];

/** SSNs that are never issued to a person although their area, group and serial look valid. */
export const SSN_PLACEHOLDERS = ['123456789', '234567890', '012345678', '987654321', '078051120', '219099999', '111223333'];

const listLiteral = (values: readonly string[]) => `[${values.map(lit).join(', ')}]`;

/**
 * DuckDB expands a macro inline, once per use of each parameter: a macro that
 * uses its parameter three times computes an expression argument three
 * times. So the macros below are leaves, called with columns; the stage
 * computes expensive expressions once, as columns of a subquery, and passes
 * those on (see persons.ts).
 *
 * name_clean: upper case, accents stripped, apostrophes and periods dropped
 * (O'BRIEN -> OBRIEN), any other non-letter a space, hyphens kept tight.
 *
 * phonetic_base + phonetic_skeleton + collapse_repeats = the phonetic key: a
 * consonant skeleton tuned for English and Spanish names (PH=F, CH=SH, C/Q/K,
 * soft C=S, GUE=GE, Z=S, V=B, Y a vowel, silent H), the first letter kept,
 * vowels dropped after it, doubled letters collapsed, at most 8 letters.
 */
const nameMacros = `
CREATE OR REPLACE TEMP MACRO name_clean(s) AS
  nullif(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
    upper(strip_accents(s)), '[''\`´’.]', '', 'g'),
    '[^A-Z-]+', ' ', 'g'),
    ' *- *', '-', 'g'),
    '^[ -]+|[ -]+$', '', 'g'), '');

CREATE OR REPLACE TEMP MACRO name_letters(s) AS nullif(regexp_replace(s, '[^A-Z]', '', 'g'), '');

CREATE OR REPLACE TEMP MACRO collapse_repeats(s) AS
  CASE WHEN s IS NULL OR s = '' THEN s
       ELSE list_reduce(string_split(s, ''), (acc, c) -> CASE WHEN right(acc, 1) = c THEN acc ELSE acc || c END) END;

CREATE OR REPLACE TEMP MACRO phonetic_base(s) AS
  regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
  regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
  regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
  regexp_replace(
    s,
    '^KN', 'N'), '^WR', 'R'), '^PS', 'S'),
    'PH', 'F', 'g'), 'SCH', 'SK', 'g'), '(CH|SH|CZ)', '1', 'g'),
    'TH', 'T', 'g'), 'GH', 'G', 'g'), 'WH', 'W', 'g'), 'CK', 'K', 'g'),
    'QU', 'K', 'g'), 'GU([EI])', 'G\\1', 'g'),
    'C([EIY])', 'S\\1', 'g'), '[CQ]', 'K', 'g'),
    'Z', 'S', 'g'), 'X', 'KS', 'g'),
    'V', 'B', 'g'), 'Y', 'I', 'g'), '^H+', '');

-- first letter kept, vowels and H dropped after it; CH/SH (marked 1) written X
CREATE OR REPLACE TEMP MACRO phonetic_skeleton(b) AS
  replace(left(b, 1) || regexp_replace(substr(b, 2), '[AEIOUH]', '', 'g'), '1', 'X');
`;

export async function installNormalizeMacros(db: Db): Promise<void> {
  await db.exec(nameMacros);
  const suffixCase = Object.entries(NAME_SUFFIXES)
    .map(([k, v]) => `WHEN ${lit(k)} THEN ${lit(v)}`)
    .join(' ');
  await db.exec(`
    CREATE OR REPLACE TEMP MACRO ssn_is_valid(s) AS
      s IS NOT NULL AND regexp_full_match(s, '[0-9]{9}')
      AND substr(s, 1, 3) NOT IN ('000', '666') AND substr(s, 1, 1) <> '9'
      AND substr(s, 4, 2) <> '00' AND substr(s, 6, 4) <> '0000'
      AND NOT regexp_full_match(s, '0+|1+|2+|3+|4+|5+|6+|7+|8+|9+')
      AND NOT list_contains(${listLiteral(SSN_PLACEHOLDERS)}, s);

    -- digits of a phone number, a leading country code 1 dropped
    CREATE OR REPLACE TEMP MACRO phone_digits(d) AS
      CASE WHEN length(d) = 11 AND left(d, 1) = '1' THEN substr(d, 2) ELSE d END;
    -- 10-digit North American number: area and exchange cannot start with 0 or 1;
    -- all-same-digit numbers are placeholders. Called with phone_digits(...) as a column.
    CREATE OR REPLACE TEMP MACRO phone_valid(d) AS
      regexp_full_match(d, '[2-9][0-9]{2}[2-9][0-9]{6}')
      AND NOT regexp_full_match(substr(d, 4), '0+|1+|2+|3+|4+|5+|6+|7+|8+|9+')
      AND d NOT IN ('2345678901', '9876543210');

    -- First five digits of a ZIP code (ZIP+4 dropped); shorter codes (other countries' postcodes)
    -- kept whole. Called with the digits as a column.
    CREATE OR REPLACE TEMP MACRO zip_from_digits(d) AS
      CASE WHEN d IN ('', '00000', '99999') THEN NULL ELSE left(d, 5) END;

    -- The habit of recording an unknown birth date as 1 January or the 15th of the month.
    CREATE OR REPLACE TEMP MACRO dob_is_estimated(d) AS (month(d) = 1 AND day(d) = 1) OR day(d) = 15;
    CREATE OR REPLACE TEMP MACRO dob_is_valid(d, as_of) AS d > DATE '1900-01-01' AND d <= as_of;

    CREATE OR REPLACE TEMP MACRO name_suffix_std(s) AS CASE s ${suffixCase} END;
  `);
}
