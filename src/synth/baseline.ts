/**
 * The exact-match baseline counties use today, computed in DuckDB over the
 * generated files: a CalWORKs parent and a child-welfare parent are linked
 * when they share a valid SSN (dashes removed; placeholders and invalid
 * areas, groups and serials excluded), or the same upper-cased, trimmed first
 * name, last name and date of birth (either date format). Scored against the
 * PARENT pairs of truth.csv.
 *
 * Run: node dist/src/synth/baseline.js DIR   (or `linkages synth ... --baseline`)
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../db/database.js';
import { lit } from '../db/sql.js';

export interface BaselineResult {
  truePairs: number;
  predicted: number;
  truePositives: number;
  precision: number;
  recall: number;
  /** Links found by each rule (a pair may be found by both). */
  bySsn: number;
  byNameDob: number;
}

function extract(dir: string, name: string): string {
  return `read_csv(${lit(join(dir, name))}, header = true, all_varchar = true)`;
}

const MACROS = `
CREATE OR REPLACE TEMP MACRO b_date(s) AS
  COALESCE(TRY_STRPTIME(trim(s), '%Y-%m-%d'), TRY_STRPTIME(trim(s), '%m/%d/%Y'))::DATE;
CREATE OR REPLACE TEMP MACRO b_ssn(s) AS
  CASE WHEN regexp_full_match(replace(trim(s), '-', ''), '[0-9]{9}')
        AND replace(trim(s), '-', '') NOT IN ('000000000', '999999999', '123456789')
        AND substr(replace(trim(s), '-', ''), 1, 3) NOT IN ('000', '666')
        AND substr(replace(trim(s), '-', ''), 1, 1) <> '9'
        AND substr(replace(trim(s), '-', ''), 4, 2) <> '00'
        AND substr(replace(trim(s), '-', ''), 6, 4) <> '0000'
       THEN replace(trim(s), '-', '') END;
CREATE OR REPLACE TEMP MACRO b_name(s) AS NULLIF(upper(trim(s)), '');
`;

export async function exactMatchBaseline(dir: string): Promise<BaselineResult> {
  const db = await openDatabase(':memory:', { threads: 2, memoryLimit: '2GB' });
  try {
    await db.exec(MACROS);
    await db.exec(`
      CREATE TEMP TABLE b_cw AS SELECT DISTINCT person_id AS id, b_name(first_name) AS f, b_name(last_name) AS l,
        b_date(dob) AS d, b_ssn(ssn) AS s FROM ${extract(dir, 'calworks.csv')} WHERE upper(person_role) = 'PARENT';
      CREATE TEMP TABLE b_cws AS SELECT DISTINCT client_id AS id, b_name(first_name) AS f, b_name(last_name) AS l,
        b_date(dob) AS d, b_ssn(ssn) AS s FROM ${extract(dir, 'cws.csv')} WHERE upper(client_role) = 'PARENT';
      CREATE TEMP TABLE b_truth AS SELECT DISTINCT calworks_person_id AS a, cws_client_id AS b
        FROM ${extract(dir, 'truth.csv')} WHERE role = 'PARENT';
      CREATE TEMP TABLE b_ssn_links AS SELECT DISTINCT x.id AS a, y.id AS b FROM b_cw x JOIN b_cws y ON x.s = y.s;
      CREATE TEMP TABLE b_name_links AS SELECT DISTINCT x.id AS a, y.id AS b FROM b_cw x JOIN b_cws y
        ON x.f = y.f AND x.l = y.l AND x.d = y.d;
      CREATE TEMP TABLE b_links AS SELECT * FROM b_ssn_links UNION SELECT * FROM b_name_links;
    `);
    const r = await db.one<Record<string, number>>(`
      SELECT (SELECT count(*) FROM b_truth)::INTEGER AS true_pairs,
             (SELECT count(*) FROM b_links)::INTEGER AS predicted,
             (SELECT count(*) FROM b_links JOIN b_truth USING (a, b))::INTEGER AS tp,
             (SELECT count(*) FROM b_ssn_links)::INTEGER AS by_ssn,
             (SELECT count(*) FROM b_name_links)::INTEGER AS by_name`);
    const truePairs = Number(r!.true_pairs);
    const predicted = Number(r!.predicted);
    const tp = Number(r!.tp);
    return {
      truePairs,
      predicted,
      truePositives: tp,
      precision: predicted ? tp / predicted : 0,
      recall: truePairs ? tp / truePairs : 0,
      bySsn: Number(r!.by_ssn),
      byNameDob: Number(r!.by_name),
    };
  } finally {
    db.close();
  }
}

export function formatBaseline(b: BaselineResult): string {
  return (
    `exact-match baseline (valid SSN or first+last+DOB) on PARENT pairs: recall ${b.recall.toFixed(4)} ` +
    `(${b.truePositives}/${b.truePairs}), precision ${b.precision.toFixed(4)} (${b.truePositives}/${b.predicted}); ` +
    `links by SSN ${b.bySsn}, by name+DOB ${b.byNameDob}`
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node dist/src/synth/baseline.js DIR\n');
    process.exitCode = 2;
  } else {
    process.stdout.write(`${formatBaseline(await exactMatchBaseline(dir))}\n`);
  }
}
