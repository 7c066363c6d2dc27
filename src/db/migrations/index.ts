/**
 * The numbered migrations, oldest first. A database records each one it has
 * applied in `schema_migrations`; its schema version is the highest. To change
 * the schema, add the next numbered file and one line here; never edit one
 * that has shipped.
 */
import type { Db } from '../database.js';
import { up as m0001 } from './0001_release_0_1_0.js';
import { up as m0002 } from './0002_ledger_checks_versions.js';
import { up as m0003 } from './0003_review_page.js';

export interface Migration {
  version: number;
  name: string;
  up(db: Db): Promise<void>;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'release 0.1.0 tables', up: m0001 },
  { version: 2, name: 'run_ledger: input checks, software and schema version', up: m0002 },
  { version: 3, name: 'review page: applied actions', up: m0003 },
];
