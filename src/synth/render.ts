/**
 * Model -> extract rows, as pure functions. Rows are string arrays in the
 * column order of schemas/calworks.ts and schemas/cws.ts ('' = empty cell).
 * Everything random was decided in the model; here only formatting happens:
 * the office's date format, a record's address and phone style.
 */
import { calworksFields } from '../../schemas/calworks.js';
import { cwsFields } from '../../schemas/cws.js';
import { applyCase } from './corrupt/names.js';
import { usDate } from './corrupt/dates.js';
import type { Address, County, Family, PersonRecord, RecordStyle, System } from './model.js';
import { pools } from './pools.js';

export const CALWORKS_COLUMNS = calworksFields.map((f) => f.name);
export const CWS_COLUMNS = cwsFields.map((f) => f.name);
export const TRUTH_COLUMNS = ['calworks_person_id', 'cws_client_id', 'role'];
export const TRUTH_PERSONS_COLUMNS = ['entity_id', 'system', 'record_id', 'role', 'corruptions'];
export const WORKERS_COLUMNS = ['worker_id', 'worker_name', 'worker_email', 'office', 'languages', 'capacity'];
export const CONTACTS_COLUMNS = ['office', 'contact_name', 'contact_email', 'contact_phone'];

const DIRECTION_WORDS: Record<string, string> = { N: 'NORTH', S: 'SOUTH', E: 'EAST', W: 'WEST' };

export function renderAddress(a: Address, s: RecordStyle): string {
  const types = pools().places.street_types;
  const dot = s.periods ? '.' : '';
  const parts = [String(a.number)];
  if (a.direction) parts.push(s.longWords ? DIRECTION_WORDS[a.direction]! : a.direction + dot);
  parts.push(a.street);
  const t = types[a.streetType]!;
  parts.push(s.longWords ? t[0] : t[1] === t[0] ? t[1] : t[1] + dot);
  if (a.unit) parts.push(['APT ', '#', 'UNIT ', 'APT. '][s.unitStyle] + a.unit);
  return applyCase(parts.join(' '), s.textCase);
}

export function renderPhone(digits: string, style: RecordStyle['phoneStyle']): string {
  const a = digits.slice(0, 3);
  const b = digits.slice(3, 6);
  const c = digits.slice(6);
  switch (style) {
    case 0:
      return `(${a}) ${b}-${c}`;
    case 1:
      return `${a}-${b}-${c}`;
    case 2:
      return digits;
    case 3:
      return `${a}.${b}.${c}`;
  }
}

function dateFormatter(county: County, system: System, office: string): (iso: string | null | undefined) => string {
  const us = county.usDateOffices[system].includes(office);
  return (iso) => (!iso ? '' : us ? usDate(iso) : iso);
}

function flag(v: boolean | null): string {
  return v === null ? '' : v ? 'Y' : 'N';
}

function num(v: number | null): string {
  return v === null ? '' : String(v);
}

/** The person columns shared by both extracts (first_name .. primary_language). */
function personCells(f: Family, r: PersonRecord, date: (iso: string) => string): string[] {
  const addr = r.address === 'NONE' ? null : r.address === 'PREVIOUS' ? (f.previousAddress ?? f.address) : f.address;
  const phone = r.phone === 'NONE' ? null : r.phone === 'PREVIOUS' ? (f.previousPhone ?? f.phone) : f.phone;
  return [
    r.first,
    r.last,
    r.middle,
    r.suffix,
    date(r.dob),
    r.sex,
    r.ssn,
    addr ? renderAddress(addr, r.style) : '',
    addr ? applyCase(addr.city, r.style.textCase) : '',
    addr ? addr.zip : '',
    phone ? renderPhone(phone, r.style.phoneStyle) : '',
    r.language,
  ];
}

/** CalWORKs rows of a family: one per person per case. */
export function calworksRows(county: County, f: Family): string[][] {
  const byId = new Map(f.calworksRecords.map((r) => [r.recordId, r]));
  const rows: string[][] = [];
  for (const c of f.calworksCases) {
    const date = dateFormatter(county, 'CALWORKS', c.office);
    const w = c.worker === null ? null : county.calworksWorkers[c.worker]!;
    for (const m of c.members) {
      const r = byId.get(m.recordId)!;
      rows.push([
        date(county.extractDate),
        c.caseNumber,
        r.recordId,
        r.cin,
        m.role,
        ...personCells(f, r, date),
        c.status,
        date(c.statusDate),
        flag(m.frServices),
        m.wtwStatus ?? '',
        num(m.wtwHours),
        num(m.cfsHours),
        flag(m.familyStabilization),
        flag(m.homeless),
        flag(m.domesticAbuse),
        w?.id ?? '',
        w?.name ?? '',
        w?.email ?? '',
        w?.phone ?? '',
        c.office,
      ]);
    }
  }
  return rows;
}

/** CWS rows of a family: one per client per referral. */
export function cwsRows(county: County, f: Family): string[][] {
  const byId = new Map(f.cwsRecords.map((r) => [r.recordId, r]));
  const rows: string[][] = [];
  for (const ref of f.referrals) {
    const date = dateFormatter(county, 'CWS', ref.office);
    const c = ref.caseIndex === null ? null : f.cwsCases[ref.caseIndex]!;
    const w = county.cwsWorkers[c ? c.worker : ref.worker]!;
    for (const id of ref.clients) {
      const r = byId.get(id)!;
      rows.push([
        date(county.extractDate),
        r.recordId,
        ref.referralId,
        c?.caseId ?? '',
        r.role,
        ...personCells(f, r, date),
        date(ref.date),
        ref.disposition,
        ref.drPath ?? '',
        c ? c.component : ref.erComponent ? 'ER' : '',
        c?.status ?? '',
        date(c?.openDate),
        date(c?.closeDate),
        date(c?.removals[id]),
        w.id,
        w.name,
        w.email,
        w.phone,
        ref.office,
        f.sensitivity,
      ]);
    }
  }
  return rows;
}

/** Ground truth: every CalWORKs record x every CWS record of the same real person. */
export function truthRows(f: Family): string[][] {
  const rows: string[][] = [];
  for (const a of f.calworksRecords) {
    if (a.role === 'OTHER') continue;
    for (const b of f.cwsRecords) if (b.entityId === a.entityId) rows.push([a.recordId, b.recordId, a.role]);
  }
  return rows;
}

/** Which records are the same real person (with the corruptions each record carries). */
export function truthPersonRows(f: Family): string[][] {
  return [...f.calworksRecords, ...f.cwsRecords].map((r) => [r.entityId, r.system, r.recordId, r.role, r.corruptions.join(';')]);
}

export function workerRows(county: County): string[][] {
  return county.linkagesWorkers.map((w) => [w.id, w.name, w.email, w.office, w.languages.join(';'), String(w.capacity)]);
}

export function contactRows(county: County): string[][] {
  return county.contacts.map((c) => [c.office, c.name, c.email, c.phone]);
}
