/**
 * The four extracts ingest knows: their canonical fields (from the zod schemas
 * in schemas/) and the tables they land in. Everything else in ingest is
 * driven by this list, so adding a column to a schema needs no change here.
 */
import type { FieldSpec } from '../../schemas/fields.js';
import { calworksFields } from '../../schemas/calworks.js';
import { cwsFields } from '../../schemas/cws.js';
import { contactsFields, workersFields } from '../../schemas/rosters.js';

export const INPUT_NAMES = ['calworks', 'cws', 'workers', 'contacts'] as const;
export type InputName = (typeof INPUT_NAMES)[number];

export interface InputSpec {
  name: InputName;
  /** The `--flag` that names the file, for messages. */
  flag: string;
  fields: FieldSpec[];
  /** Person extracts: a row needs a name, a DOB or an SSN to be matchable. */
  person: boolean;
}

export const INPUT_SPECS: Record<InputName, InputSpec> = {
  calworks: { name: 'calworks', flag: '--calworks', fields: calworksFields, person: true },
  cws: { name: 'cws', flag: '--cws', fields: cwsFields, person: true },
  workers: { name: 'workers', flag: '--workers', fields: workersFields, person: false },
  contacts: { name: 'contacts', flag: '--contacts', fields: contactsFields, person: false },
};

export const stagingTable = (input: InputName) => `stg_${input}`;
export const snapshotTable = (input: InputName) => `snap_${input}`;
