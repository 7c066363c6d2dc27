/**
 * SQL macros shared by the stages, installed on every connection (TEMP, so the
 * database file never depends on them).
 */
import type { Db } from './database.js';

/**
 * Spreadsheet safety: a text cell that Excel would run as a formula (it starts
 * with = + - @, a tab or a carriage return) gets a leading apostrophe. Plain
 * numbers such as -5 or +3.5 are left alone. `csv_unescape` reverses it on import.
 */
const spreadsheetMacros = `
CREATE OR REPLACE TEMP MACRO csv_escape(s) AS
  CASE WHEN s IS NULL THEN NULL
       WHEN regexp_matches(s, '^[=+\\-@\\t\\r]') AND NOT regexp_full_match(s, '[+-]?[0-9]+(\\.[0-9]+)?') THEN '''' || s
       ELSE s END;
CREATE OR REPLACE TEMP MACRO csv_unescape(s) AS
  CASE WHEN regexp_matches(s, '^''[=+\\-@\\t\\r]') THEN substr(s, 2) ELSE s END;
`;

export async function installMacros(db: Db): Promise<void> {
  await db.exec(spreadsheetMacros);
}
