import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calworksFields } from '../../schemas/calworks.js';
import { cwsFields } from '../../schemas/cws.js';
import { contactsFields, workersFields } from '../../schemas/rosters.js';
import { validateCell, type FieldSpec } from '../../schemas/fields.js';
import { generate, type SynthSummary } from '../../src/synth/generate.js';
import { readCsv } from './synthHelpers.js';

let dir: string;
let summary: SynthSummary;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'linkages-synth-'));
  summary = await generate({ families: 1500, seed: 2026, out: dir });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function checkExtract(name: string, fields: FieldSpec[]) {
  const { header, rows } = readCsv(dir, name);
  expect(header).toEqual(fields.map((f) => f.name));
  const problems: string[] = [];
  for (const [i, row] of rows.entries()) {
    for (const f of fields) {
      const v = validateCell(f, row[f.name]);
      if (v.error) problems.push(`${name}:${i + 2} ${f.name}: ${v.error}`);
      else if (f.meta.required && v.value === null) problems.push(`${name}:${i + 2} ${f.name}: missing`);
    }
  }
  expect(problems.slice(0, 5)).toEqual([]);
  return rows;
}

describe('generated files', () => {
  it('carry every interface column in schema order, and every cell is readable by the schemas', () => {
    const cw = checkExtract('calworks.csv', calworksFields);
    const cws = checkExtract('cws.csv', cwsFields);
    checkExtract('workers.csv', workersFields);
    checkExtract('contacts.csv', contactsFields);
    expect(cw.length).toBe(summary.rows.calworks);
    expect(cws.length).toBe(summary.rows.cws);
    // About 4.5 extract rows per family (300,000 families give about 1.3 million rows).
    expect((cw.length + cws.length) / 1500).toBeGreaterThan(4);
    expect((cw.length + cws.length) / 1500).toBeLessThan(5);
  });

  it('truth pairs point at existing records of the stated role, and truth_persons covers every record', () => {
    const cw = readCsv(dir, 'calworks.csv').rows;
    const cws = readCsv(dir, 'cws.csv').rows;
    const cwRole = new Map(cw.map((r) => [r.person_id!, r.person_role!]));
    const cwsRole = new Map(cws.map((r) => [r.client_id!, r.client_role!]));
    const truth = readCsv(dir, 'truth.csv');
    expect(truth.header).toEqual(['calworks_person_id', 'cws_client_id', 'role']);
    expect(truth.rows.length).toBeGreaterThan(0);
    for (const t of truth.rows) {
      expect(cwRole.get(t.calworks_person_id!), t.calworks_person_id).toBe(t.role);
      expect(cwsRole.get(t.cws_client_id!), t.cws_client_id).toBe(t.role);
      expect(['PARENT', 'CHILD']).toContain(t.role);
    }
    const persons = readCsv(dir, 'truth_persons.csv');
    expect(persons.header.slice(0, 4)).toEqual(['entity_id', 'system', 'record_id', 'role']);
    const bySystem = { CALWORKS: new Set<string>(), CWS: new Set<string>() };
    const entityOf = new Map<string, string>();
    for (const p of persons.rows) {
      bySystem[p.system as 'CALWORKS' | 'CWS'].add(p.record_id!);
      entityOf.set(p.record_id!, p.entity_id!);
    }
    expect(bySystem.CALWORKS).toEqual(new Set(cwRole.keys()));
    expect(bySystem.CWS).toEqual(new Set(cwsRole.keys()));
    for (const t of truth.rows) expect(entityOf.get(t.calworks_person_id!)).toBe(entityOf.get(t.cws_client_id!));
  });

  it('has the tier-relevant variety the pipeline needs', () => {
    const cw = readCsv(dir, 'calworks.csv').rows;
    const cws = readCsv(dir, 'cws.csv').rows;
    const values = (rows: Record<string, string>[], col: string) => new Set(rows.map((r) => r[col]));
    expect(values(cw, 'case_status')).toEqual(new Set(['ACTIVE', 'PENDING', 'DISCONTINUED', 'DENIED']));
    for (const s of ['PARTICIPATING', 'EXEMPT', 'GOOD_CAUSE', 'NONCOMPLIANCE', 'SANCTIONED', 'NOT_REQUIRED']) expect(values(cw, 'wtw_status')).toContain(s);
    expect(values(cw, 'fr_services')).toContain('Y');
    for (const f of ['family_stabilization', 'homeless', 'domestic_abuse']) expect(values(cw, f)).toContain('Y');
    // Over-scheduled parents: CFS plus WTW hours above the 20/30/35 requirement.
    expect(cw.filter((r) => r.cfs_plan_hours && Number(r.cfs_plan_hours) + Number(r.wtw_plan_hours || 0) > 35).length).toBeGreaterThan(0);
    const unknownWorker = cw.filter((r) => !r.worker_id).length / cw.length;
    expect(unknownWorker).toBeGreaterThan(0.03);
    expect(unknownWorker).toBeLessThan(0.08);
    expect(values(cw, 'office').size).toBe(6);
    for (const l of ['ENGLISH', 'SPANISH', 'CANTONESE', 'MANDARIN', 'VIETNAMESE', 'TAGALOG']) expect(values(cw, 'primary_language')).toContain(l);

    for (const s of ['ER', 'FM', 'FR', 'PP']) expect(values(cws, 'service_component')).toContain(s);
    for (const s of ['OPEN', 'CLOSED']) expect(values(cws, 'case_status')).toContain(s);
    for (const s of ['EVALUATED_OUT', 'UNFOUNDED', 'INCONCLUSIVE', 'SUBSTANTIATED', 'PENDING']) expect(values(cws, 'referral_disposition')).toContain(s);
    for (const s of ['1', '2', '3']) expect(values(cws, 'dr_path')).toContain(s);
    for (const s of ['NONE', 'SENSITIVE', 'SEALED']) expect(values(cws, 'sensitivity')).toContain(s);
    const removals = cws.filter((r) => r.removal_date);
    expect(removals.length).toBeGreaterThan(0);
    for (const r of removals) {
      expect(r.client_role).toBe('CHILD');
      expect(['FR', 'PP']).toContain(r.service_component);
    }
    // Referrals inside and outside the 365-day window before the extract date.
    const iso = (d: string) => (d.includes('/') ? `${d.slice(6)}-${d.slice(0, 2)}-${d.slice(3, 5)}` : d);
    const inWindow = cws.filter((r) => iso(r.referral_date!) >= '2025-11-20').length / cws.length;
    expect(inWindow).toBeGreaterThan(0.2);
    expect(inWindow).toBeLessThan(0.5);
    // Several rows per client when a family has several referrals.
    const perClient = new Map<string, number>();
    for (const r of cws) perClient.set(r.client_id!, (perClient.get(r.client_id!) ?? 0) + 1);
    expect([...perClient.values()].some((n) => n >= 2)).toBe(true);
  });

  it('rosters: Linkages workers with languages and capacity, one regional contact per office', () => {
    const workers = readCsv(dir, 'workers.csv').rows;
    const contacts = readCsv(dir, 'contacts.csv').rows;
    expect(new Set(contacts.map((c) => c.office)).size).toBe(6);
    expect(contacts.length).toBe(6);
    expect(new Set(workers.map((w) => w.office))).toEqual(new Set(contacts.map((c) => c.office)));
    expect(workers.some((w) => w.languages!.split(';').includes('SPANISH'))).toBe(true);
    const capacity = workers.reduce((s, w) => s + Number(w.capacity), 0);
    // Sized near the expected number of mutual clients, so capacity is sometimes tight.
    expect(capacity).toBeGreaterThan(1500 * 0.015);
    expect(capacity).toBeLessThan(1500 * 0.06);
  });
});
