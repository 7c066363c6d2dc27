/**
 * `linkages review import`: coordinators' decisions into review_decisions.
 *
 * The file is parsed and judged in full first (decisionsFile.ts, validate.ts),
 * then every accepted decision is written in one transaction: a crash leaves
 * either all of them or none. Each decision row carries the reviewer, the time
 * and the source file; the latest row of a pair is the one in force (match
 * applies it on every later night), earlier rows stay as its history.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Db } from '../db/database.js';
import { lit } from '../db/sql.js';
import { usageError } from '../runtime/errors.js';
import { DECISIONS_IN_FORCE_SQL } from '../match/tables.js';
import { decodeCsvBytes, parseDecisionsCsv, type DecisionsFile } from './decisionsFile.js';
import { readDecisionsXlsx } from './xlsx.js';
import { pairKey, validateDecisions, type Decision, type KnownIds, type Validation } from './validate.js';

/** A decisions file is small (thousands of rows); this guards against pointing the command at an extract. */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

export function readDecisionsFile(path: string, opts: { checkOnly?: boolean } = {}): DecisionsFile {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw usageError(`review import: not a file: ${path}`);
    size = st.size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw usageError(`review import: file not found: ${path}`);
    throw err;
  }
  if (size > MAX_FILE_BYTES) throw usageError(`review import: ${path} is larger than 256 MB; is it really a decisions file?`);
  if (opts.checkOnly) return { rows: [], delimiter: '' };
  return parseDecisionsCsv(decodeCsvBytes(readFileSync(path)), path);
}

/** Fill a temp table with strings through the Appender (no row-by-row INSERT). */
async function uploadIds(db: Db, table: string, ids: Iterable<string>): Promise<void> {
  await db.exec(`CREATE OR REPLACE TEMP TABLE ${table} (id VARCHAR)`);
  const appender = await db.connection.createAppender(table, 'main', 'temp');
  for (const id of ids) {
    appender.appendVarchar(id);
    appender.endRow();
  }
  appender.closeSync();
}

async function tableList(db: Db): Promise<Set<string>> {
  const rows = await db.all<{ table_name: string }>(`SELECT table_name FROM duckdb_tables() UNION SELECT view_name FROM duckdb_views()`);
  return new Set(rows.map((r) => r.table_name));
}

/**
 * Which of the file's ids the database knows, per system: ids of any retained
 * night's extract, or of any link or review pair ever written.
 */
export async function knownIds(db: Db, file: DecisionsFile): Promise<KnownIds> {
  const ids = new Set<string>();
  for (const r of file.rows) {
    if (r.calworksPersonId) ids.add(r.calworksPersonId);
    if (r.cwsClientId) ids.add(r.cwsClientId);
  }
  await uploadIds(db, 'tmp_import_ids', ids);
  const tables = await tableList(db);
  const sources = (pairs: [string, string][]) =>
    pairs
      .filter(([t]) => tables.has(t))
      .map(([t, c]) => `SELECT ${c} AS id FROM ${t} WHERE ${c} IN (SELECT id FROM tmp_import_ids)`)
      .join(' UNION ');
  const query = async (pairs: [string, string][]) => {
    const sql = sources(pairs);
    if (!sql) return new Set<string>();
    return new Set((await db.all<{ id: string }>(sql)).map((r) => r.id));
  };
  const known: KnownIds = {
    calworks: await query([
      ['snap_calworks', 'person_id'],
      ['links', 'calworks_person_id'],
      ['review_queue', 'calworks_person_id'],
    ]),
    cws: await query([
      ['snap_cws', 'client_id'],
      ['links', 'cws_client_id'],
      ['review_queue', 'cws_client_id'],
    ]),
  };
  await db.exec('DROP TABLE IF EXISTS tmp_import_ids');
  return known;
}

export async function decisionsInForce(db: Db): Promise<Map<string, Decision>> {
  const rows = await db.all<{ l: string; r: string; d: Decision }>(
    `SELECT calworks_person_id AS l, cws_client_id AS r, decision AS d FROM (${DECISIONS_IN_FORCE_SQL})`,
  );
  return new Map(rows.map((x) => [pairKey(x.l, x.r), x.d]));
}

export interface ImportResult extends Validation {
  file: string;
  reviewer: string;
}

/** Write the accepted decisions, all or nothing. */
export async function recordDecisions(db: Db, v: Validation, reviewer: string, sourceFile: string): Promise<void> {
  if (!v.accepted.length) return;
  await db.exec(`CREATE OR REPLACE TEMP TABLE tmp_import_decisions (line INTEGER, l VARCHAR, r VARCHAR, decision VARCHAR)`);
  const appender = await db.connection.createAppender('tmp_import_decisions', 'main', 'temp');
  for (const a of v.accepted) {
    appender.appendInteger(a.line);
    appender.appendVarchar(a.calworksPersonId);
    appender.appendVarchar(a.cwsClientId);
    appender.appendVarchar(a.decision);
    appender.endRow();
  }
  appender.closeSync();
  await db.exec('BEGIN TRANSACTION');
  try {
    await db.exec(`
      INSERT INTO review_decisions (calworks_person_id, cws_client_id, decision, reviewer, decided_at, source_file)
      SELECT l, r, decision, ${lit(reviewer)}, now()::TIMESTAMP, ${lit(sourceFile)}
      FROM tmp_import_decisions ORDER BY line`);
    await db.exec('COMMIT');
  } catch (err) {
    await db.exec('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await db.exec('DROP TABLE IF EXISTS tmp_import_decisions').catch(() => undefined);
  }
}

export async function importDecisions(db: Db, path: string, reviewer: string): Promise<ImportResult> {
  const file = resolve(path);
  // a workbook saved by Excel (review export --format xlsx), else any CSV
  const parsed = /\.xlsx$/i.test(file) ? (readDecisionsFile(file, { checkOnly: true }), await readDecisionsXlsx(file)) : readDecisionsFile(file);
  const known = await knownIds(db, parsed);
  const v = validateDecisions(parsed.rows, known, await decisionsInForce(db));
  await recordDecisions(db, v, reviewer, file);
  return { ...v, file, reviewer };
}
