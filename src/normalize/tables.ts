/**
 * The hand-off tables normalize writes for match and export (TEMP, rebuilt
 * every run; columns in src/README.md, "Matching"), and what it promises
 * about them (src/db/contract.ts): one row per person per system, one per
 * person and family.
 */
import type { TableContract } from '../db/contract.js';

const SYSTEMS = ['CALWORKS', 'CWS'];

export const NORMALIZE_TABLES: readonly TableContract[] = [
  {
    table: 'int_persons',
    nightly: false,
    grain: ['pid'],
    notNull: ['system', 'person_key'],
    allowed: { system: SYSTEMS },
  },
  { table: 'int_family_members', nightly: false, grain: ['pid', 'family_key', 'role'], notNull: ['system', 'family_key'], allowed: { system: SYSTEMS } },
];
