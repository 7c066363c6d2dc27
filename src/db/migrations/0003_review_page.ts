/**
 * Migration 3: the review page's table of applied actions (review_page_ops),
 * so a journal replayed after a crash applies nothing twice.
 */
import type { Db } from '../database.js';
import { createReviewTables } from '../../review/tables.js';

export async function up(db: Db): Promise<void> {
  await createReviewTables(db);
}
