/**
 * The synthetic county as data: the generator first builds this model from the
 * seed (truth: who the people are, which cases and referrals exist, and how
 * each system recorded each person), then `render.ts` turns it into extract
 * rows with pure functions. A later "second night" generator changes the
 * model (a removal, a case opened or closed, a discontinuance, a move, a new
 * baby, a new referral) and renders again: a person whose model did not
 * change renders to the same row (only `extract_date` follows the night).
 *
 * Dates in the model are ISO `YYYY-MM-DD`; rendering picks the office's format.
 */

export type System = 'CALWORKS' | 'CWS';
export type Role = 'PARENT' | 'CHILD' | 'OTHER';
export type Sex = 'F' | 'M';
export type Community = 'hispanic' | 'anglo' | 'black' | 'vietnamese' | 'chinese' | 'filipino';
export type FamilyKind = 'CALWORKS_ONLY' | 'CWS_ONLY' | 'MUTUAL';

/** A street address as it truly is; `render` writes it in a record's style. */
export interface Address {
  number: number;
  /** N, S, E, W or null. */
  direction: string | null;
  street: string;
  /** Index into places.json street_types. */
  streetType: number;
  /** Apartment or unit, e.g. `4B`; null for a house. */
  unit: string | null;
  city: string;
  zip: string;
}

/** A real person (the ground truth). */
export interface Person {
  /** Ground-truth id shared by every record of this person (`E<family>-<slot>`). */
  entityId: string;
  family: number;
  slot: number;
  role: Role;
  sex: Sex;
  dob: string;
  first: string;
  /** Middle name, or for Hispanic compound given names the second given name. */
  middle: string | null;
  /** The middle is the second part of a compound given name (MARIA GUADALUPE, JOSE LUIS). */
  compoundGiven: boolean;
  /** Legal surname parts: two for a Hispanic compound surname (paternal, maternal). */
  surnames: string[];
  /** Birth surname parts of a married woman who took her spouse's surname. */
  maidenSurnames: string[] | null;
  suffix: string | null;
  /** Real SSN (9 digits) or null when the person has none. */
  ssn: string | null;
  /** How the person usually writes a compound surname (habit shared by her records). */
  surnameHabit: SurnameForm;
  /** Why this person is a hard non-match for someone else, if so (for tests and README). */
  lookalike: Lookalike | null;
}

export type Lookalike =
  | { kind: 'TWIN'; of: string }
  | { kind: 'JUNIOR'; of: string }
  | { kind: 'NAMESAKE_ELDER'; of: string }
  | { kind: 'NAMESAKE'; of: string }
  | { kind: 'SIBLING'; of: string }
  /** An adult twin (or same-birthday sibling) heading another family, often at the same address. */
  | { kind: 'ADULT_TWIN'; of: string }
  /** An adult child named after a parent who heads another family (JR/SR, mother and daughter). */
  | { kind: 'NAMED_AFTER_PARENT'; of: string };

export type SurnameForm = 'JOINED' | 'PATERNAL' | 'MATERNAL' | 'HYPHEN' | 'SPLIT' | 'CONCAT';

/**
 * How one system recorded one person: the corrupted identity. Computed once,
 * from a random stream keyed by the record id, so it never changes unless the
 * model says so. Formatting habits (abbreviations, phone style) are kept as
 * choices, applied at render time to the family's current address and phone,
 * so a move re-renders in the same style.
 */
export interface PersonRecord {
  system: System;
  /** CalWORKs person_id or CWS client_id. */
  recordId: string;
  entityId: string;
  slot: number;
  role: Role;
  first: string;
  middle: string;
  last: string;
  suffix: string;
  sex: string;
  /** Recorded date of birth (ISO), possibly wrong, or '' when missing. */
  dob: string;
  /** SSN as typed (with or without dashes), possibly wrong or a placeholder, or ''. */
  ssn: string;
  cin: string;
  /** Which family address the record holds. */
  address: 'CURRENT' | 'PREVIOUS' | 'NONE';
  phone: 'CURRENT' | 'PREVIOUS' | 'NONE';
  style: RecordStyle;
  language: string;
  /** Corruption kinds applied to this record relative to the truth (see corrupt/). */
  corruptions: string[];
}

export interface RecordStyle {
  /** Street type and direction words spelled out (STREET, NORTH) rather than abbreviated. */
  longWords: boolean;
  /** Unit written as `APT 4`, `#4`, `UNIT 4` or `APT. 4`. */
  unitStyle: 0 | 1 | 2 | 3;
  /** Periods after abbreviations (`N. MAIN ST.`). */
  periods: boolean;
  /** Phone as `(510) 555-1234`, `510-555-1234`, `5105551234` or `510.555.1234`. */
  phoneStyle: 0 | 1 | 2 | 3;
  /** Text case of names and address: upper (usual), title or lower. */
  textCase: 'UPPER' | 'TITLE' | 'LOWER';
}

export interface CalworksMember {
  recordId: string;
  role: Role;
  frServices: boolean | null;
  wtwStatus: string | null;
  wtwHours: number | null;
  cfsHours: number | null;
  familyStabilization: boolean | null;
  homeless: boolean | null;
  domesticAbuse: boolean | null;
}

export interface CalworksCase {
  caseNumber: string;
  office: string;
  status: 'PENDING' | 'ACTIVE' | 'DISCONTINUED' | 'DENIED';
  statusDate: string;
  /** Index into the county's CalWORKs workers, or null when the extract has no worker. */
  worker: number | null;
  members: CalworksMember[];
}

export interface CwsCase {
  caseId: string;
  component: 'FM' | 'FR' | 'PP';
  status: 'OPEN' | 'CLOSED';
  openDate: string;
  closeDate: string | null;
  worker: number;
  office: string;
  /** Removal date per removed child's client record id (FR and PP cases). */
  removals: Record<string, string>;
}

export interface Referral {
  referralId: string;
  date: string;
  disposition: 'PENDING' | 'EVALUATED_OUT' | 'UNFOUNDED' | 'INCONCLUSIVE' | 'SUBSTANTIATED';
  drPath: '1' | '2' | '3' | null;
  /** Shown with service component ER when no case is attached. */
  erComponent: boolean;
  /** Index into `Family.cwsCases` when the referral belongs to a case. */
  caseIndex: number | null;
  worker: number;
  office: string;
  /** CWS client record ids named on the referral. */
  clients: string[];
}

export interface Family {
  index: number;
  kind: FamilyKind;
  community: Community;
  language: string;
  office: string;
  address: Address;
  /** Where the family lived before, when it moved during the last years. */
  previousAddress: Address | null;
  phone: string;
  previousPhone: string | null;
  persons: Person[];
  /** Slot of a parent who lives elsewhere (known to child welfare only), if any. */
  absentParentSlot: number | null;
  calworksRecords: PersonRecord[];
  cwsRecords: PersonRecord[];
  calworksCases: CalworksCase[];
  referrals: Referral[];
  cwsCases: CwsCase[];
  sensitivity: 'NONE' | 'SENSITIVE' | 'SEALED';
}

export interface Worker {
  id: string;
  name: string;
  email: string;
  phone: string;
  office: string;
}

export interface LinkagesWorker {
  id: string;
  name: string;
  email: string;
  office: string;
  languages: string[];
  capacity: number;
}

export interface RegionalContact {
  office: string;
  name: string;
  email: string;
  phone: string;
}

/** County-wide settings and rosters, fixed before any family is built. */
export interface County {
  seed: number;
  families: number;
  extractDate: string;
  offices: string[];
  /** Offices whose exports write dates as MM/DD/YYYY, per system. */
  usDateOffices: Record<System, string[]>;
  calworksWorkers: Worker[];
  cwsWorkers: Worker[];
  /** Indices into the worker lists, per office. */
  calworksWorkersByOffice: Record<string, number[]>;
  cwsWorkersByOffice: Record<string, number[]>;
  linkagesWorkers: LinkagesWorker[];
  contacts: RegionalContact[];
}
