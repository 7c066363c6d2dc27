/**
 * Storing the page's actions, all of a batch in one transaction. A decision is
 * a review_decisions row exactly as `review import` writes it (pair, decision,
 * reviewer, the time it was made, source "review page"), so the match stage
 * applies it on every later night; an undo deletes the row its decision wrote
 * (a slip of the key is not history); an audit rejection is a NO_MATCH
 * decision. Actions already applied (their op_id is in review_page_ops) are
 * skipped, so a journal replayed after a crash changes nothing twice.
 */
import type { Db } from '../../db/database.js';
import { dateLit, lit } from '../../db/sql.js';
import { DECISIONS_IN_FORCE_SQL } from '../../match/tables.js';
import type { PageOp } from './journal.js';

export const PAGE_SOURCE = 'review page';

const ts = (iso: string) => `${lit(iso)}::TIMESTAMPTZ::TIMESTAMP`;

async function insertDecision(db: Db, l: string, r: string, decision: string, reviewer: string, at: string): Promise<number | null> {
  // The same decision already in force is not recorded again (as review import does).
  const inForce = await db.one<{ decision: string }>(
    `SELECT decision FROM (${DECISIONS_IN_FORCE_SQL}) WHERE calworks_person_id = ${lit(l)} AND cws_client_id = ${lit(r)}`,
  );
  if (inForce?.decision === decision) return null;
  const row = await db.one<{ decision_id: number | string }>(`
    INSERT INTO review_decisions (calworks_person_id, cws_client_id, decision, reviewer, decided_at, source_file)
    VALUES (${lit(l)}, ${lit(r)}, ${lit(decision)}, ${lit(reviewer)}, ${ts(at)}, ${lit(PAGE_SOURCE)})
    RETURNING decision_id`);
  return row ? Number(row.decision_id) : null;
}

/** Take back what an earlier action wrote: its decision row, its note, its audit verdict. */
async function takeBack(db: Db, target: string): Promise<void> {
  await db.exec(`
    DELETE FROM review_decisions WHERE decision_id IN (SELECT decision_id FROM review_page_ops WHERE op_id = ${lit(target)} AND decision_id IS NOT NULL);
    DELETE FROM review_notes WHERE op_id = ${lit(target)};
    DELETE FROM audit_verdicts WHERE op_id = ${lit(target)};`);
}

async function applyOne(db: Db, op: PageOp): Promise<number | null> {
  switch (op.kind) {
    case 'decision': {
      const id = await insertDecision(db, op.calworks_person_id, op.cws_client_id, op.decision, op.reviewer, op.at);
      if (op.note?.trim()) {
        await db.exec(`INSERT INTO review_notes (calworks_person_id, cws_client_id, note, reviewer, noted_at, op_id) VALUES (${lit(op.calworks_person_id)}, ${lit(op.cws_client_id)}, ${lit(op.note.trim())},
                       ${lit(op.reviewer)}, ${ts(op.at)}, ${lit(op.op_id)})`);
      }
      return id;
    }
    case 'undo':
      await takeBack(db, op.target);
      return null;
    case 'note':
      await db.exec(`INSERT INTO review_notes (calworks_person_id, cws_client_id, note, reviewer, noted_at, op_id) VALUES (${lit(op.calworks_person_id)}, ${lit(op.cws_client_id)}, ${lit(op.note.trim())},
                     ${lit(op.reviewer)}, ${ts(op.at)}, ${lit(op.op_id)})`);
      return null;
    case 'audit': {
      // A changed verdict on the same link replaces the earlier one (and what it wrote).
      const earlier = await db.all<{ op_id: string }>(`
        SELECT op_id FROM audit_verdicts WHERE run_date = ${dateLit(op.run_date)}
          AND calworks_person_id = ${lit(op.calworks_person_id)} AND cws_client_id = ${lit(op.cws_client_id)} AND op_id IS NOT NULL`);
      for (const e of earlier) await takeBack(db, e.op_id);
      await db.exec(`INSERT INTO audit_verdicts (run_date, calworks_person_id, cws_client_id, verdict, reviewer, decided_at, op_id) VALUES (${dateLit(op.run_date)}, ${lit(op.calworks_person_id)}, ${lit(op.cws_client_id)},
                     ${lit(op.verdict)}, ${lit(op.reviewer)}, ${ts(op.at)}, ${lit(op.op_id)})`);
      return op.verdict === 'REJECTED' ? insertDecision(db, op.calworks_person_id, op.cws_client_id, 'NO_MATCH', op.reviewer, op.at) : null;
    }
  }
}

export interface Applied {
  /** Every op id now in the database (applied now or before). */
  done: Set<string>;
  decisions: number;
}

export async function applyOps(db: Db, ops: readonly PageOp[]): Promise<Applied> {
  const done = new Set<string>();
  if (!ops.length) return { done, decisions: 0 };
  const seen = new Set(
    (await db.all<{ op_id: string }>(`SELECT op_id FROM review_page_ops WHERE op_id IN (${ops.map((o) => lit(o.op_id)).join(', ')})`)).map((r) => r.op_id),
  );
  let decisions = 0;
  await db.exec('BEGIN TRANSACTION');
  try {
    for (const op of ops) {
      done.add(op.op_id);
      if (seen.has(op.op_id)) continue;
      const decisionId = await applyOne(db, op);
      if (decisionId !== null) decisions += 1;
      await db.exec(
        `INSERT INTO review_page_ops (op_id, kind, decision_id, applied_at) VALUES (${lit(op.op_id)}, ${lit(op.kind)}, ${decisionId ?? 'NULL'}, now()::TIMESTAMP)`,
      );
    }
    await db.exec('COMMIT');
  } catch (err) {
    await db.exec('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return { done, decisions };
}
