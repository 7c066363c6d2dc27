/**
 * The page's actions not yet in the database: while a nightly run holds the
 * file, every decision, undo, audit verdict and note is kept here, in a small
 * JSON file next to the database (private to its owner, written to a
 * temporary name and renamed, so a crash leaves the old or the new list,
 * never half of one). Every action goes through the journal first and leaves
 * it only once stored, so none is lost, even if the page is stopped while the
 * run is going. Each action carries the id the browser gave it; the database
 * remembers the ids it applied (review_page_ops), so replaying the journal
 * after a crash applies nothing twice.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { usageError } from '../../runtime/errors.js';
import { writeFileAtomic } from '../../runtime/files.js';

const id = z.string().min(1).max(100);
const reviewer = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'no control characters');
const at = z.string().datetime();

export const pageOpSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('decision'),
    op_id: id,
    calworks_person_id: id,
    cws_client_id: id,
    decision: z.enum(['MATCH', 'NO_MATCH']),
    note: z.string().max(2000).optional(),
    reviewer,
    at,
  }),
  z.object({ kind: z.literal('undo'), op_id: id, target: id, reviewer, at }),
  z.object({
    kind: z.literal('audit'),
    op_id: id,
    run_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    calworks_person_id: id,
    cws_client_id: id,
    verdict: z.enum(['CONFIRMED', 'REJECTED']),
    reviewer,
    at,
  }),
  z.object({ kind: z.literal('note'), op_id: id, calworks_person_id: id, cws_client_id: id, note: z.string().min(1).max(2000), reviewer, at }),
]);

export type PageOp = z.infer<typeof pageOpSchema>;

export const journalPathFor = (dbPath: string) => `${dbPath}.review-pending.json`;

export class Journal {
  private ops: PageOp[] = [];

  constructor(readonly path: string) {
    if (existsSync(path)) {
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(path, 'utf8'));
      } catch {
        json = undefined;
      }
      const parsed = z.array(pageOpSchema).safeParse(json);
      // A journal we cannot read is never overwritten: it may hold decisions. A person looks first.
      if (!parsed.success) throw usageError(`review serve: the pending-decisions file ${path} is not readable; move it aside to start`);
      this.ops = parsed.data;
    }
  }

  get pending(): readonly PageOp[] {
    return this.ops;
  }

  add(op: PageOp): void {
    this.ops = [...this.ops, op];
    this.save();
  }

  /** Forget the actions now stored in the database. */
  remove(opIds: ReadonlySet<string>): void {
    if (!opIds.size) return;
    this.ops = this.ops.filter((o) => !opIds.has(o.op_id));
    this.save();
  }

  private save(): void {
    writeFileAtomic(this.path, `${JSON.stringify(this.ops)}\n`);
  }
}
