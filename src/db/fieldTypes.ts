/**
 * The SQL type each field kind of the extract schemas (schemas/fields.ts) is
 * stored as: in the snapshot tables (db/migrations) and in ingest's
 * validation SQL, which must agree.
 */
import type { FieldKind } from '../../schemas/fields.js';

export const SQL_TYPE: Record<FieldKind, string> = {
  text: 'VARCHAR',
  date: 'DATE',
  flag: 'BOOLEAN',
  enum: 'VARCHAR',
  number: 'DOUBLE',
  integer: 'INTEGER',
  ssn: 'VARCHAR',
};
