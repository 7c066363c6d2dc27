/**
 * The profile of one extract for the input checks: how many rows, persons and
 * parents it holds, the share of parent rows with a usable SSN and date of
 * birth, its extract_date and checksum. Counts and shares only, so it can sit
 * in the run ledger and the log.
 */
import type { Db } from '../db/database.js';
import { installNormalizeMacros } from '../normalize/macros.js';

export const CHECKED_INPUTS = ['calworks', 'cws'] as const;
export type CheckedInput = (typeof CHECKED_INPUTS)[number];

export interface InputProfile {
  /** Data rows in the file (loaded + quarantined). */
  rows: number;
  loaded: number;
  persons: number;
  parents: number;
  parent_rows: number;
  /** Share of parent rows with a usable SSN (placeholders do not count); null without parent rows. */
  ssn_share: number | null;
  /** Share of parent rows with a plausible date of birth; null without parent rows. */
  dob_share: number | null;
  /** Latest extract_date in the file (YYYY-MM-DD), null when no row loaded. */
  extract_date: string | null;
  sha256: string | null;
}

const KEYS: Record<CheckedInput, { id: string; role: string }> = {
  calworks: { id: 'person_id', role: 'person_role' },
  cws: { id: 'client_id', role: 'client_role' },
};

const round4 = (x: number | null) => (x === null ? null : Math.round(x * 10000) / 10000);

/**
 * Profile the staged rows of `input` in `from` (a table or view with the
 * staging columns, e.g. `stg_calworks` or a night of `snap_calworks`).
 */
export async function profileRows(db: Db, input: CheckedInput, from: string, file: { rows: number | null; sha256: string | null }): Promise<InputProfile> {
  await installNormalizeMacros(db);
  const { id, role } = KEYS[input];
  const r = await db.one<Record<string, number | string | null>>(`
    SELECT count(*)::BIGINT AS loaded,
           count(DISTINCT ${id})::BIGINT AS persons,
           count(DISTINCT ${id}) FILTER (WHERE ${role} = 'PARENT')::BIGINT AS parents,
           count(*) FILTER (WHERE ${role} = 'PARENT')::BIGINT AS parent_rows,
           count(*) FILTER (WHERE ${role} = 'PARENT' AND ssn_is_valid(ssn))::BIGINT AS ssn_rows,
           count(*) FILTER (WHERE ${role} = 'PARENT' AND dob IS NOT NULL AND dob_is_valid(dob, extract_date))::BIGINT AS dob_rows,
           strftime(max(extract_date), '%Y-%m-%d') AS extract_date
    FROM ${from}`);
  const n = (k: string) => Number(r?.[k] ?? 0);
  const parentRows = n('parent_rows');
  return {
    rows: file.rows ?? n('loaded'),
    loaded: n('loaded'),
    persons: n('persons'),
    parents: n('parents'),
    parent_rows: parentRows,
    ssn_share: round4(parentRows ? n('ssn_rows') / parentRows : null),
    dob_share: round4(parentRows ? n('dob_rows') / parentRows : null),
    extract_date: (r?.extract_date as string | null) ?? null,
    sha256: file.sha256,
  };
}
