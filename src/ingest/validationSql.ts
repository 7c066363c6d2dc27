/**
 * The zod field registry (schemas/fields.ts) compiled into vectorized DuckDB
 * SQL. Ingest validates millions of cells; calling zod per cell would cost
 * minutes, so each field kind has a SQL expression that decides exactly what
 * `validateCell` decides (test/unit/ingest-validationSql.test.ts proves it
 * cell by cell). The patterns are the schemas' own regular expressions: RE2
 * and JavaScript agree on these simple ASCII patterns.
 */
import { FLAG_FALSE, FLAG_TRUE, INTEGER_TEXT, ISO_DATE, NUMBER_TEXT, SSN_TEXT, US_DATE, validateCell, type FieldSpec } from '../../schemas/fields.js';
import { lit, litList } from '../db/sql.js';

/**
 * The characters JavaScript's String.prototype.trim removes (WhiteSpace and
 * LineTerminator of ECMA-262), so SQL trims exactly as `validateCell` does.
 */
export const JS_TRIM_CHARS =
  '\t\n\u000b\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

/** Re-exported: the types are db's (the snapshot tables are created there). */
export { SQL_TYPE } from '../db/fieldTypes.js';

/**
 * JavaScript's `\s` is exactly the set trim removes: a record joined with US
 * matches this when any of its fields has something to trim. The readers
 * test it once per record and store the verdict, so SQL trims only the rare
 * cells that need it (trimming every cell with this character set costs more
 * than all the rest of validation).
 */
export const NEEDS_TRIM = /(?:^|\x1f)\s|\s(?:\x1f|$)/;

const TRIM_CODES = new Set([...JS_TRIM_CHARS].map((c) => c.charCodeAt(0)));
const trimsAt = (code: number) => (code <= 32 || code >= 160) && TRIM_CODES.has(code);

/** Same verdict as NEEDS_TRIM on the fields joined with US, without the regex (the readers' hot path). */
export function fieldsNeedTrim(fields: readonly string[]): boolean {
  for (const f of fields) {
    if (f.length && (trimsAt(f.charCodeAt(0)) || trimsAt(f.charCodeAt(f.length - 1)))) return true;
  }
  return false;
}

/**
 * The trimmed text of a raw cell; empty means unknown (NULL). `needsTrim` is
 * a boolean SQL expression that is false only when no cell of the row has
 * leading or trailing whitespace; omitted, every cell is trimmed.
 */
export function trimmedSql(rawExpr: string, needsTrim?: string): string {
  const trimmed = `nullif(trim(${rawExpr}, ${lit(JS_TRIM_CHARS)}), '')`;
  return needsTrim ? `CASE WHEN ${needsTrim} THEN ${trimmed} ELSE nullif(${rawExpr}, '') END` : trimmed;
}

/** SQL for the same test as NEEDS_TRIM over a list of text columns (readers that are not JavaScript). */
export function needsTrimSql(columns: readonly string[]): string {
  const set = JS_TRIM_CHARS.replace(/[\\\]\-^]/g, '\\$&');
  return `regexp_matches(concat_ws(chr(31), ${columns.map((c) => `coalesce(${c}, '')`).join(', ')}), ${lit(`(^|\x1f)[${set}]|[${set}](\x1f|$)`)})`;
}

const matches = (t: string, re: RegExp) => `regexp_matches(${t}, ${lit(re.source)})`;

/**
 * The typed value of a trimmed, non-NULL text `t` (a column name: it is
 * repeated), or NULL when the text is unreadable for the field.
 */
export function valueSql(spec: FieldSpec, t: string): string {
  const { kind } = spec.meta;
  switch (kind) {
    case 'text':
      return t;
    case 'date': {
      // The schemas' patterns decide the shape; the cast checks the calendar. Year 0000 is no date to zod.
      return `CASE WHEN ${matches(t, ISO_DATE)} AND NOT starts_with(${t}, '0000') THEN TRY_CAST(${t} AS DATE) WHEN ${matches(t, US_DATE)} AND NOT ends_with(${t}, '/0000') THEN try_strptime(${t}, '%m/%d/%Y')::DATE END`;
    }
    case 'flag':
      return `CASE WHEN upper(${t}) IN (${litList(FLAG_TRUE)}) THEN TRUE WHEN upper(${t}) IN (${litList(FLAG_FALSE)}) THEN FALSE END`;
    case 'enum':
      return `CASE WHEN upper(${t}) IN (${litList(spec.meta.values ?? [])}) THEN upper(${t}) END`;
    case 'number':
      // A digit run too long for a double is no number to zod either.
      return `CASE WHEN ${matches(t, NUMBER_TEXT)} AND isfinite(TRY_CAST(${t} AS DOUBLE)) THEN TRY_CAST(${t} AS DOUBLE) END`;
    case 'integer':
      // Beyond INTEGER_MAX zod says unreadable, and so does the cast.
      return `CASE WHEN ${matches(t, INTEGER_TEXT)} THEN TRY_CAST(${t} AS INTEGER) END`;
    case 'ssn':
      return `CASE WHEN ${matches(t, SSN_TEXT)} THEN replace(${t}, '-', '') END`;
  }
}

/**
 * Why a present value is unreadable, in zod's own words: the schema is asked
 * about a value no field accepts (text fields never fail).
 */
export function unreadableMessage(spec: FieldSpec): string {
  return validateCell(spec, '\u0001').error ?? 'unreadable';
}
