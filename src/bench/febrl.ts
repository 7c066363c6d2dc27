/**
 * FEBRL benchmark adapters: turn the FEBRL synthetic person files
 * (/work/shared/benchmarks/febrl, see its README) into interface-format
 * extracts, a CalWORKs file and a child-welfare file, plus the true pairs.
 *
 * Mapping (deterministic):
 * - every record is a PARENT on its own case (CalWORKs) / referral (child welfare);
 *   person_id / client_id = rec_id; case_number = `C-<rec_id>`, referral_id = `R-<rec_id>`.
 * - given_name, surname -> first_name, last_name; street_number + address_1 -> street_address;
 *   suburb -> city; postcode -> zip. address_2 and state have no interface column and are dropped.
 * - date_of_birth YYYYMMDD -> YYYY-MM-DD; blank or not a calendar date -> empty.
 * - soc_sec_id (7 digits d1..d7) -> SSN `1 d1 d2 - 1 d3 - d4 d5 d6 d7`: area 100-199 and group
 *   10-19 are always valid, so a FEBRL id becomes a valid-looking SSN and a one-digit error stays
 *   a one-digit error (a swap of d2 and d3 stops being adjacent). A serial of 0000 is invalid, as
 *   for any SSN. Ids that are not 7 digits (corrupted) are kept digit-for-digit and judged by normalize.
 * - truth: records sharing the <N> of `rec-<N>-...` are the same person.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const FEBRL_DIR = process.env.FEBRL_DIR ?? '/work/shared/benchmarks/febrl';

export interface FebrlRecord {
  rec_id: string;
  given_name: string;
  surname: string;
  street_number: string;
  address_1: string;
  address_2: string;
  suburb: string;
  postcode: string;
  state: string;
  date_of_birth: string;
  soc_sec_id: string;
}

export function readFebrl(file: string): FebrlRecord[] {
  const lines = readFileSync(join(FEBRL_DIR, file), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = lines[0]!.split(',').map((h) => h.trim());
  return lines.slice(1).map((line) => {
    const cells = line.split(',').map((c) => c.trim());
    const rec: Record<string, string> = {};
    header.forEach((h, i) => (rec[h] = cells[i] ?? ''));
    return rec as unknown as FebrlRecord;
  });
}

export function entityOf(recId: string): string {
  const m = /^rec-(\d+)-/.exec(recId);
  if (!m) throw new Error(`unexpected FEBRL rec_id ${recId}`);
  return m[1]!;
}

export function febrlDob(yyyymmdd: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(yyyymmdd);
  if (!m) return '';
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || y < 1) return '';
  if (d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return '';
  return `${m[1]}-${m[2]}-${m[3]}`;
}

export function febrlSsn(socSecId: string): string {
  const d = socSecId.replace(/\D/g, '');
  if (d.length !== 7) return d.length === 9 ? d : '';
  return `1${d.slice(0, 2)}-1${d[2]}-${d.slice(3)}`;
}

const EXTRACT_DATE = '2026-01-15';

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function writeCsvFile(path: string, header: string[], rows: string[][]): void {
  const text = [header.join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\n');
  writeFileSync(path, `${text}\n`);
}

function address(r: FebrlRecord): string {
  return [r.street_number, r.address_1].filter((x) => x).join(' ');
}

const CALWORKS_HEADER = [
  'extract_date',
  'case_number',
  'person_id',
  'person_role',
  'first_name',
  'last_name',
  'dob',
  'ssn',
  'street_address',
  'city',
  'zip',
  'case_status',
];
const CWS_HEADER = [
  'extract_date',
  'client_id',
  'referral_id',
  'client_role',
  'first_name',
  'last_name',
  'dob',
  'ssn',
  'street_address',
  'city',
  'zip',
  'referral_date',
];

export interface BenchExtracts {
  calworks: string;
  cws: string;
  /** True (calworks_person_id, cws_client_id) pairs. */
  truth: [string, string][];
}

/** Write a CalWORKs and a child-welfare extract from two record lists. */
export function writeFebrlExtracts(outDir: string, calworks: FebrlRecord[], cws: FebrlRecord[], opts: { dropCwsSsn?: boolean } = {}): BenchExtracts {
  mkdirSync(outDir, { recursive: true });
  const cwPath = join(outDir, 'calworks.csv');
  const cwsPath = join(outDir, 'cws.csv');
  writeCsvFile(
    cwPath,
    CALWORKS_HEADER,
    calworks.map((r) => [
      EXTRACT_DATE,
      `C-${r.rec_id}`,
      r.rec_id,
      'PARENT',
      r.given_name,
      r.surname,
      febrlDob(r.date_of_birth),
      febrlSsn(r.soc_sec_id),
      address(r),
      r.suburb,
      r.postcode,
      'ACTIVE',
    ]),
  );
  writeCsvFile(
    cwsPath,
    CWS_HEADER,
    cws.map((r) => [
      EXTRACT_DATE,
      r.rec_id,
      `R-${r.rec_id}`,
      'PARENT',
      r.given_name,
      r.surname,
      febrlDob(r.date_of_birth),
      opts.dropCwsSsn ? '' : febrlSsn(r.soc_sec_id),
      address(r),
      r.suburb,
      r.postcode,
      '2025-12-01',
    ]),
  );
  const byEntity = new Map<string, string[]>();
  for (const r of calworks) {
    const e = entityOf(r.rec_id);
    byEntity.set(e, [...(byEntity.get(e) ?? []), r.rec_id]);
  }
  const truth: [string, string][] = [];
  for (const r of cws) for (const a of byEntity.get(entityOf(r.rec_id)) ?? []) truth.push([a, r.rec_id]);
  return { calworks: cwPath, cws: cwsPath, truth };
}

/** FEBRL 4: dataset4a as CalWORKs parents, dataset4b as child-welfare parents (5,000 true pairs). */
export function febrl4(outDir: string, opts: { dropCwsSsn?: boolean } = {}): BenchExtracts {
  return writeFebrlExtracts(outDir, readFebrl('dataset4a.csv'), readFebrl('dataset4b.csv'), opts);
}

/** FEBRL 3 split: originals as CalWORKs, duplicates (up to five per person) as child-welfare clients. */
export function febrl3(outDir: string, opts: { dropCwsSsn?: boolean } = {}): BenchExtracts {
  const all = readFebrl('dataset3.csv');
  return writeFebrlExtracts(
    outDir,
    all.filter((r) => r.rec_id.endsWith('-org')),
    all.filter((r) => !r.rec_id.endsWith('-org')),
    opts,
  );
}
