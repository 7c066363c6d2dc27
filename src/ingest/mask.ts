/**
 * What `quarantine.csv` shows of a rejected row (its `raw_row` column). The
 * file goes to coordinators, so it carries what IT needs to find and fix the
 * row and no more (docs/interface.md: SSNs as last four digits, SEALED clients
 * only as counts):
 *
 * - ids, codes, event dates and numbers as written; an enum or flag value
 *   only when it is one of its allowed values (a name shifted into
 *   `person_role` is not shown);
 * - every other text (names, DOB, address, phone, worker names) and extra
 *   columns as their shape: letters become X, digits 9, the rest stays
 *   (`1985-13-45` shows as `9999-99-99`, enough to see why it failed);
 * - an SSN as its shape with the last four digits (`999-99-3400`);
 * - a row whose fields do not line up with the header: every field as its
 *   shape, since no position can be trusted;
 * - a row with a cell reading SEALED (in any column, as rows may be shifted):
 *   nothing but the fact that it is withheld.
 *
 * Rosters (workers, contacts) list staff, not clients, and are shown as
 * written. The same rules exist twice, in JavaScript for the readers'
 * rejects and in SQL for validation's; test/unit/ingest-mask.test.ts holds
 * them to the same answers.
 */
import { FLAG_FALSE, FLAG_TRUE } from '../../schemas/fields.js';
import { lit, litList } from '../db/sql.js';
import type { HeaderPlan } from './header.js';
import type { InputSpec } from './inputs.js';
import { csvRecord } from './rawFile.js';
import { JS_TRIM_CHARS } from './validationSql.js';

export const SEALED_WITHHELD = '(SEALED client: values withheld)';

/** How one column is shown: as written, as an SSN, as its shape, or as written only when one of the values. */
export type ColumnMask = 'keep' | 'ssn' | 'shape' | readonly string[];

export interface MaskPlan {
  person: boolean;
  width: number;
  columns: ColumnMask[];
}

/** Text columns shown as written: identifiers and codes, what IT looks a row up by. */
const IDS = new Set(['case_number', 'person_id', 'cin', 'client_id', 'referral_id', 'case_id', 'worker_id', 'office', 'primary_language']);

export function maskPlan(spec: InputSpec, plan: HeaderPlan): MaskPlan {
  const kinds = new Map(spec.fields.map((f) => [f.name, f.meta]));
  const columns = plan.columns.map((c): ColumnMask => {
    const meta = c.field ? kinds.get(c.field) : undefined;
    if (!meta || c.field === 'dob') return 'shape';
    if (meta.kind === 'text') return IDS.has(c.field!) ? 'keep' : 'shape';
    if (meta.kind === 'ssn') return 'ssn';
    if (meta.kind === 'enum') return meta.values ?? [];
    if (meta.kind === 'flag') return [...FLAG_TRUE, ...FLAG_FALSE];
    return 'keep';
  });
  return { person: spec.person, width: plan.columns.length, columns };
}

const LETTER = /\p{L}/gu;
const DIGIT = /\p{N}/gu;

export function shape(v: string): string {
  return v.replace(LETTER, 'X').replace(DIGIT, '9');
}

const LAST_FOUR = /^([\s\S]*?)([0-9]{4}\s*)$/;

export function maskSsn(v: string): string {
  const m = LAST_FOUR.exec(v);
  return m ? shape(m[1]!) + m[2]! : shape(v);
}

const isSealed = (v: string) => v.trim().toUpperCase() === 'SEALED';

/** The raw_row text of a rejected record. */
export function maskedRow(fields: readonly string[], mask: MaskPlan): string {
  if (!mask.person) return csvRecord(fields);
  if (fields.some(isSealed)) return SEALED_WITHHELD;
  if (fields.length !== mask.width) return csvRecord(fields.map(shape));
  return csvRecord(
    fields.map((f, i) => {
      const m = mask.columns[i]!;
      if (m === 'keep') return f;
      if (m === 'ssn') return maskSsn(f);
      if (m === 'shape') return shape(f);
      return f.trim() === '' || m.includes(f.trim().toUpperCase()) ? f : shape(f);
    }),
  );
}

// ---- The same in SQL, over the raw table's text columns -------------------------------------

const shapeSql = (x: string) => `regexp_replace(regexp_replace(${x}, '\\p{L}', 'X', 'g'), '\\p{N}', '9', 'g')`;

function cellSql(x: string, m: ColumnMask): string {
  if (m === 'keep') return x;
  if (m === 'shape') return shapeSql(x);
  if (m === 'ssn') {
    const re = lit(LAST_FOUR.source.replace('[\\s\\S]', '(?s:.)'));
    return `CASE WHEN regexp_matches(${x}, ${re}) THEN ${shapeSql(`regexp_extract(${x}, ${re}, 1)`)} || regexp_extract(${x}, ${re}, 2) ELSE ${shapeSql(x)} END`;
  }
  const t = `trim(${x}, ${lit(JS_TRIM_CHARS)})`;
  return `CASE WHEN ${t} = '' OR upper(${t}) IN (${litList(m)}) THEN ${x} ELSE ${shapeSql(x)} END`;
}

/** RFC 4180 text of a masked raw row (SQL counterpart of `maskedRow`), from the columns `<alias>.<column>`. */
export function maskedRowSql(mask: MaskPlan, columns: readonly string[], alias: string): string {
  const col = (c: string) => `coalesce(${alias}.${c}, '')`;
  const quoteCell = (v: string) => `CASE WHEN regexp_matches(${v}, '[,"\\r\\n]') THEN '"' || replace(${v}, '"', '""') || '"' ELSE ${v} END`;
  const row = (cells: string[]) => `concat(${cells.map(quoteCell).join(`, ',', `)})`;
  if (!mask.person) return row(columns.map(col));
  const sealed = `list_contains([${columns.map((c) => `upper(trim(${col(c)}, ${lit(JS_TRIM_CHARS)}))`).join(', ')}], 'SEALED')`;
  const masked = row(columns.map((c, i) => cellSql(col(c), mask.columns[i]!)));
  return `CASE WHEN ${sealed} THEN ${lit(SEALED_WITHHELD)} ELSE ${masked} END`;
}
