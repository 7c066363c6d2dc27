/**
 * Every table contract of the project (src/db/contract.ts), by owner, and a
 * check of all of them against a database after `linkages run`. The runner
 * checks each stage's contracts as it goes (TEMP hand-off tables included);
 * this checks the persisted ones again from outside, every night, and the
 * tables written outside the stages (the run ledger, the review page's).
 */
import { CLASSIFY_TABLES } from '../../src/classify/tables.js';
import { ASSIGN_TABLES } from '../../src/assign/tables.js';
import { contractViolations, type TableContract } from '../../src/db/contract.js';
import type { Db } from '../../src/db/database.js';
import { INGEST_TABLES } from '../../src/ingest/tables.js';
import { MATCH_TABLES } from '../../src/match/tables.js';
import { NOTIFY_TABLES } from '../../src/notify/tables.js';
import { LEDGER_TABLES } from '../../src/pipeline/ledger.js';
import { REVIEW_TABLES } from '../../src/review/tables.js';
import { SEARCH_TABLES } from '../../src/search/buildIndex.js';

/** The persisted tables, by the module that owns them (TEMP hand-off tables are checked by the runner). */
export const PERSISTED_CONTRACTS: Record<string, readonly TableContract[]> = {
  pipeline: LEDGER_TABLES,
  ingest: INGEST_TABLES,
  match: MATCH_TABLES,
  classify: CLASSIFY_TABLES,
  assign: ASSIGN_TABLES,
  notify: NOTIFY_TABLES,
  review: REVIEW_TABLES,
  search: SEARCH_TABLES,
};

/** Every violation of every persisted contract, for each of `nights` (empty when all hold). */
export async function persistedViolations(db: Db, nights: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const contracts of Object.values(PERSISTED_CONTRACTS)) {
    for (const c of contracts) {
      if (!(await db.tableExists(c.table))) {
        out.push(`${c.table}: missing`);
        continue;
      }
      for (const night of c.nightly ? nights : [undefined]) out.push(...(await contractViolations(db, c, night)));
    }
  }
  return out;
}
