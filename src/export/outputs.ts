/**
 * The night's output files (docs/interface.md section 4), each a query over the
 * persisted tables for one run date. Export writes them all; recovery after a
 * killed run re-writes them from the same tables. A stage that adds an output
 * file adds it here.
 */
import type { Db } from '../db/database.js';
import type { Background } from '../runtime/files.js';
import { QUARANTINE_FILE, writeQuarantineCsv } from '../ingest/quarantineCsv.js';
import { MUTUAL_CLIENTS_FILE, SCREENING_FILE, TIERS_FILE, writeMutualClientsCsv, writeScreeningCsv, writeTiersCsv } from '../classify/outputs.js';
import { ASSIGNMENTS_FILE, writeAssignmentsCsv } from '../assign/outputs.js';
import { NOTIFICATIONS_FILE, writeNotificationsCsv } from '../notify/outputs.js';
import { LINKS_FILE, REVIEW_QUEUE_FILE, writeLinksCsv, writeReviewQueueCsv } from '../match/outputs.js';

export interface OutputFile {
  file: string;
  /** Writes the file into `dir` for `runDate`; file work left running goes to `background`. */
  write(db: Db, runDate: string, dir: string, background?: Background): Promise<void>;
}

export const outputFiles: OutputFile[] = [
  { file: QUARANTINE_FILE, write: writeQuarantineCsv },
  { file: TIERS_FILE, write: writeTiersCsv },
  { file: MUTUAL_CLIENTS_FILE, write: writeMutualClientsCsv },
  { file: SCREENING_FILE, write: writeScreeningCsv },
  { file: ASSIGNMENTS_FILE, write: writeAssignmentsCsv },
  { file: NOTIFICATIONS_FILE, write: writeNotificationsCsv },
  { file: LINKS_FILE, write: writeLinksCsv },
  { file: REVIEW_QUEUE_FILE, write: writeReviewQueueCsv },
];
