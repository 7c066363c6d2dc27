/**
 * Splitting a raw table into tonight's staging rows and quarantine, in one
 * vectorized statement compiled from the schema (validationSql.ts): typed
 * values, a reason list per row (empty = valid), and the optional columns
 * whose present value was unreadable (made unknown, counted).
 *
 * Exact duplicate records (every source column the same) load once: the
 * earliest line loads and each repeat is quarantined as "duplicate of line N",
 * so nothing is silently dropped and later stages never see a person twice
 * from one record.
 */
import type { Db } from '../db/database.js';
import { ident, lit } from '../db/sql.js';
import type { HeaderPlan } from './header.js';
import type { InputName, InputSpec } from './inputs.js';
import { maskedRowSql, maskPlan } from './mask.js';
import { rawColumn, rawTable, rejectTable } from './rawTable.js';
import { SQL_TYPE, trimmedSql, unreadableMessage, valueSql } from './validationSql.js';

export const validatedTable = (input: InputName) => `val_${input}`;

/** What a row needs to be matchable as a person: any of these known. */
const PERSON_KEYS = ['first_name', 'last_name', 'dob', 'ssn'] as const;
export const NOTHING_TO_MATCH = 'nothing to match a person on: no name, date of birth or SSN';

const t = (name: string) => ident(`t_${name}`);
const v = (name: string) => ident(`v_${name}`);

export const duplicatesTable = (input: InputName) => `dup_${input}`;

/**
 * Exact duplicates, cheaply: hash every record (all source columns), and
 * compare whole records only within the rare hash values seen twice.
 * Leaves `dup_<input>(line, first_line)` for every repeat.
 */
export async function findDuplicates(db: Db, spec: InputSpec, plan: HeaderPlan): Promise<number> {
  const raw = rawTable(spec.name);
  const all = plan.columns.map((c) => rawColumn(c.position)).join(', ');
  const dup = duplicatesTable(spec.name);
  await db.exec(`CREATE OR REPLACE TEMP TABLE ${dup} (line BIGINT, first_line BIGINT)`);
  await db.exec(`CREATE OR REPLACE TEMP TABLE dup_hashes AS SELECT h FROM (SELECT hash(${all}) AS h FROM ${raw}) GROUP BY h HAVING count(*) > 1`);
  if ((await db.count('SELECT count(*) FROM dup_hashes')) > 0) {
    await db.exec(`
      INSERT INTO ${dup}
      SELECT line, first_line FROM (
        SELECT line, min(line) OVER (PARTITION BY ${all}) AS first_line
        FROM ${raw} WHERE hash(${all}) IN (SELECT h FROM dup_hashes)
      ) WHERE first_line < line`);
  }
  await db.exec('DROP TABLE dup_hashes');
  return db.count(`SELECT count(*) FROM ${dup}`);
}

/** The SELECT producing `val_<input>`: source_line, typed fields, extra_columns, reason, unknown. */
export function compileValidation(spec: InputSpec, plan: HeaderPlan): string {
  const raw = rawTable(spec.name);
  const present = spec.fields.filter((f) => plan.fieldPosition.has(f.name));

  const extras = plan.extras.length ? `json_object(${plan.extras.map((c) => `${lit(c.header)}, ${rawColumn(c.position)}`).join(', ')})` : 'NULL::JSON';

  const trimmed = present.map((f) => `${trimmedSql(rawColumn(plan.fieldPosition.get(f.name)!), 'needs_trim')} AS ${t(f.name)}`);
  const typed = present.map((f) => `${valueSql(f, t(f.name))} AS ${v(f.name)}`);

  const checks: string[] = [];
  for (const f of present.filter((f) => f.meta.required)) {
    const unreadable = f.meta.kind === 'text' ? '' : ` WHEN ${v(f.name)} IS NULL THEN ${lit(`${f.name}: ${unreadableMessage(f)}`)}`;
    checks.push(`CASE WHEN ${t(f.name)} IS NULL THEN ${lit(`${f.name}: required value missing`)}${unreadable} END`);
  }
  if (spec.person) {
    const known = PERSON_KEYS.filter((k) => plan.fieldPosition.has(k)).map((k) => `${v(k)} IS NOT NULL`);
    checks.push(`CASE WHEN NOT (${known.length ? known.join(' OR ') : 'FALSE'}) THEN ${lit(NOTHING_TO_MATCH)} END`);
  }
  checks.push(`CASE WHEN first_line IS NOT NULL THEN 'duplicate of line ' || first_line END`);

  const unknown = present
    .filter((f) => !f.meta.required && f.meta.kind !== 'text')
    .map((f) => `CASE WHEN ${t(f.name)} IS NOT NULL AND ${v(f.name)} IS NULL THEN ${lit(f.name)} END`);

  const out = spec.fields.map((f) =>
    plan.fieldPosition.has(f.name) ? `${v(f.name)} AS ${ident(f.name)}` : `NULL::${SQL_TYPE[f.meta.kind]} AS ${ident(f.name)}`,
  );

  return `
WITH tt AS (
  SELECT r.line, d.first_line, ${[...trimmed, `${extras} AS extra_columns`].join(', ')}
  FROM ${raw} r LEFT JOIN ${duplicatesTable(spec.name)} d ON d.line = r.line
), vv AS (
  SELECT *, ${typed.length ? typed.join(', ') : 'NULL AS _none'} FROM tt
)
SELECT line::INTEGER AS source_line, ${out.join(', ')}, extra_columns,
  concat_ws('; ', ${checks.join(', ')}) AS reason,
  ${unknown.length ? `concat_ws(',', ${unknown.join(', ')})` : `''`} AS unknown
FROM vv`;
}

export interface ValidationCounts {
  loaded: number;
  /** Rows rejected by SQL (the readers' rejects are counted apart). */
  invalid: number;
  unknownValues: Record<string, number>;
}

/** raw_<input> -> val_<input>; the night's rows stay there until the run date is known and they are persisted. */
export async function validateInput(db: Db, spec: InputSpec, plan: HeaderPlan): Promise<ValidationCounts> {
  const val = validatedTable(spec.name);
  await findDuplicates(db, spec, plan);
  await db.exec(`CREATE OR REPLACE TEMP TABLE ${val} AS ${compileValidation(spec, plan)}`);
  await db.exec(`DROP TABLE ${duplicatesTable(spec.name)}`);
  const counts = await db.one<{ loaded: number; invalid: number }>(
    `SELECT count(*) FILTER (WHERE reason = '')::INTEGER AS loaded, count(*) FILTER (WHERE reason <> '')::INTEGER AS invalid FROM ${val}`,
  );
  const unknownRows = await db.all<{ col: string; n: number }>(
    `SELECT col, count(*)::INTEGER AS n FROM (SELECT unnest(string_split(unknown, ',')) AS col FROM ${val} WHERE reason = '' AND unknown <> '') GROUP BY col ORDER BY col`,
  );
  const unknownValues: Record<string, number> = {};
  for (const r of unknownRows) unknownValues[r.col] = Number(r.n);
  return { loaded: Number(counts?.loaded ?? 0), invalid: Number(counts?.invalid ?? 0), unknownValues };
}

/**
 * Tonight's quarantine rows of one input (reader rejects, and SQL rejects when
 * there are any), without run_date; raw_row masked (mask.ts).
 */
export function quarantineRowsSql(spec: InputSpec, plan: HeaderPlan, sourceFile: string, sqlRejects: boolean): string {
  const val = validatedTable(spec.name);
  const rejects = `SELECT ${lit(spec.name)} AS input, ${lit(sourceFile)} AS source_file, line, reason, raw_row FROM ${rejectTable(spec.name)}`;
  if (!sqlRejects) return rejects;
  return `
WITH bad AS (SELECT source_line, reason FROM ${val} WHERE reason <> '')
SELECT ${lit(spec.name)} AS input, ${lit(sourceFile)} AS source_file, r.line, bad.reason, ${maskedRowSql(
    maskPlan(spec, plan),
    plan.columns.map((c) => rawColumn(c.position)),
    'r',
  )} AS raw_row
FROM (SELECT * FROM ${rawTable(spec.name)} WHERE line IN (SELECT source_line FROM bad)) r JOIN bad ON bad.source_line = r.line
UNION ALL
${rejects}`;
}
