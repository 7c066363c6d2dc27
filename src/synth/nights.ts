/**
 * Later nights of a synthetic county (`linkages synth --nights N`): night 1
 * is what `linkages synth` writes; night k+1 is night k's model (`Family`)
 * with known changes, written into DIR/night-<k+1>/ with the next day as
 * extract_date. The changes, several of each, scaled with the county:
 *
 *   removal       a child on a linked parent's open FM/FR case is removed (FM becomes FR)
 *   case_opened   an FM case opens on a linked parent's referral that had none
 *   case_closed   a linked parent's open FM/FR case closes
 *   discontinued  the open CalWORKs case of a linked family is discontinued
 *   move          a mutual client's family moves (new address)
 *   new_baby      a baby joins the CalWORKs case of a mutual client
 *   new_referral  a referral on a CalWORKs family with no child-welfare history
 *   churn         unlinked families change (CalWORKs-only: move, baby, discontinued,
 *                 phone; child-welfare-only: a new referral, a case closed): no event
 *
 * Each night also gets `truth_tiers.csv` (case_number, tier) and
 * `truth_events.csv` (event_type, case_number, subject, change) from
 * oracle.ts, which diffs the two nights' models with the true links; night 1
 * gets the baseline events (NEW_MUTUAL_CLIENT and OVER_SCHEDULED for
 * everyone current). `truth_changes.csv` lists what was changed and the
 * event each change must cause.
 *
 * Unchanged families render to the same rows as the night before (only
 * extract_date follows the night), so the pipeline sees only these changes
 * and the calendar (a referral leaving the look-back window, a child turning
 * six), which the oracle accounts for too.
 */
import { join } from 'node:path';
import { addDays } from './corrupt/dates.js';
import { makeRecord } from './corrupt/record.js';
import { buildCounty } from './county.js';
import { CsvSink } from './csvSink.js';
import { buildFamily } from './family.js';
import { CountyWriter } from './generate.js';
import { renderFamilies } from './block.js';
import { cin, clientId, cwsCaseId, entityId, personId, referralId, CWS_CASE_SLOTS, FIRST_FREE_SLOT, PERSON_SLOTS, REFERRAL_SLOTS } from './ids.js';
import type { Address, County, Family, Person, PersonRecord } from './model.js';
import { baselineEvents, changeEvents, familyState, truthTiers, type FamilyState, type TruthEvent } from './oracle.js';
import { randomAddress } from './people.js';
import { pools } from './pools.js';
import { rngFor, type Rng } from './random.js';

export const MAX_NIGHTS = 30;

export const CHANGE_KINDS = ['removal', 'case_opened', 'case_closed', 'discontinued', 'move', 'new_baby', 'new_referral', 'churn'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

const CHURN_KINDS = ['cw_move', 'cw_baby', 'cw_discontinued', 'cw_phone', 'cws_referral', 'cws_case_closed'] as const;
type ChurnKind = (typeof CHURN_KINDS)[number];

export interface NightsOptions {
  families: number;
  seed: number;
  /** Night 1's folder (already written by `generate`); night k goes to `<out>/night-<k>`. */
  out: string;
  extractDate: string;
  nights: number;
}

export interface PlannedChange {
  family: number;
  kind: ChangeKind;
  detail: string;
  /** The event the change must cause (null for churn). */
  expect: TruthEvent | null;
}

export interface NightSummary {
  night: number;
  dir: string;
  extractDate: string;
  changes: Record<string, number>;
  events: Record<string, number>;
}

/** Changes of each kind per night: several, scaled with the county. */
export function changesPerKind(families: number): number {
  return Math.max(3, Math.round(families / 250));
}

export const nightDir = (out: string, night: number) => (night === 1 ? out : join(out, `night-${night}`));

// ---------------------------------------------------------------------------------------------
// What a family offers for each change (from the previous night's model and true state).

interface Offer {
  apply: (f: Family, county: County, date: string, rng: Rng) => PlannedChange;
}

function linkedClientsOf(st: FamilyState): Set<string> {
  const s = new Set<string>();
  for (const c of st.cases.values()) for (const cl of c.linked.values()) for (const x of cl) s.add(x);
  return s;
}

function mutualCase(st: FamilyState) {
  return [...st.cases.values()].find((c) => c.tier === 'MUTUAL' && c.mutual.size > 0) ?? null;
}

/** Open FM/FR child-welfare cases (index) with a linked parent on them. */
function openLinkedCwsCases(f: Family, st: FamilyState): number[] {
  const linked = linkedClientsOf(st);
  const out: number[] = [];
  f.cwsCases.forEach((c, k) => {
    if (c.status !== 'OPEN' || (c.component !== 'FM' && c.component !== 'FR')) return;
    const onIt = f.referrals.filter((r) => r.caseIndex === k).some((r) => r.clients.some((cl) => linked.has(cl)));
    if (onIt) out.push(k);
  });
  return out;
}

function calworksCaseOf(st: FamilyState, clients: Set<string>): string | null {
  for (const c of st.cases.values()) {
    if (c.tier === null) continue;
    if ([...c.linked.values()].some((cl) => cl.some((x) => clients.has(x)))) return c.caseNumber;
  }
  return null;
}

function freeSlot(f: Family): number | null {
  for (let s = FIRST_FREE_SLOT; s < PERSON_SLOTS; s++) if (!f.persons.some((p) => p.slot === s)) return s;
  return null;
}

/** A new address for a family (its own random stream per night). */
function freshAddress(county: County, f: Family, night: number): Address {
  const rng = rngFor(county.seed, 'night-address', f.index, night);
  const p = pools().places;
  const office = p.offices.find((o) => o.code === f.office) ?? p.offices[0]!;
  return randomAddress(rng, office.cities);
}

function move(f: Family, county: County, night: number): void {
  f.previousAddress = f.address;
  f.address = freshAddress(county, f, night);
}

/** A newborn on CalWORKs case `caseIndex`: a person in a free slot, its CalWORKs record, a member row. */
function addBaby(f: Family, county: County, date: string, rng: Rng, caseIndex: number): string {
  const slot = freeSlot(f)!;
  const sibling = f.persons.find((p) => p.role === 'CHILD');
  const head = f.persons.find((p) => p.slot === 0) ?? f.persons[0]!;
  const sex = rng.chance(0.5) ? 'F' : 'M';
  const baby: Person = {
    entityId: entityId(f.index, slot),
    family: f.index,
    slot,
    role: 'CHILD',
    sex,
    dob: addDays(date, -rng.range(1, 20)),
    first: rng.weighted(pools().given[f.community][sex === 'F' ? 'child_f' : 'child_m']),
    middle: null,
    compoundGiven: false,
    surnames: [...(sibling?.surnames ?? [head.surnames[0]!])],
    maidenSurnames: null,
    suffix: null,
    ssn: null,
    surnameHabit: 'JOINED',
    lookalike: null,
  };
  f.persons.push(baby);
  const id = personId(f.index, slot);
  f.calworksRecords.push(
    makeRecord(
      { seed: county.seed, system: 'CALWORKS', recordId: id, cin: cin(f.index, slot), person: baby, family: f, recordedOn: date, otherSsn: null },
      pools(),
    ),
  );
  f.calworksCases[caseIndex]!.members.push({
    recordId: id,
    role: 'CHILD',
    frServices: null,
    wtwStatus: null,
    wtwHours: null,
    cfsHours: null,
    familyStabilization: null,
    homeless: null,
    domesticAbuse: null,
  });
  return id;
}

/** A referral received today naming `persons` (CWS records made when missing). */
function addReferral(f: Family, county: County, date: string, rng: Rng, persons: Person[]): string {
  const slot = f.referrals.length;
  const ids: string[] = [];
  for (const p of persons) {
    const existing = f.cwsRecords.find((r) => r.entityId === p.entityId);
    if (existing) {
      ids.push(existing.recordId);
      continue;
    }
    const id = clientId(f.index, p.slot);
    const rec: PersonRecord = makeRecord(
      { seed: county.seed, system: 'CWS', recordId: id, cin: '', person: p, family: f, recordedOn: date, otherSsn: null },
      pools(),
    );
    f.cwsRecords.push(rec);
    ids.push(id);
  }
  const rid = referralId(f.index, slot);
  f.referrals.push({
    referralId: rid,
    date,
    disposition: 'PENDING',
    drPath: null,
    erComponent: true,
    caseIndex: null,
    worker: rng.pick(county.cwsWorkersByOffice[f.office]!),
    office: f.office,
    clients: ids,
  });
  return rid;
}

function offers(f: Family, st: FamilyState): Partial<Record<ChangeKind, Offer>> & { churn?: Offer } {
  const o: Partial<Record<ChangeKind, Offer>> = {};
  if (f.sensitivity === 'SEALED') return o;
  const linked = linkedClientsOf(st);
  const mc = mutualCase(st);
  const openCases = openLinkedCwsCases(f, st);

  // removal: a child named on a referral of an open FM/FR case with a linked parent, not yet removed.
  for (const k of openCases) {
    const c = f.cwsCases[k]!;
    const childIds = f.referrals
      .filter((r) => r.caseIndex === k)
      .flatMap((r) => r.clients)
      .filter((id) => f.cwsRecords.find((r) => r.recordId === id)?.role === 'CHILD' && !c.removals[id]);
    const clients = new Set(f.referrals.filter((r) => r.caseIndex === k).flatMap((r) => r.clients));
    const caseNumber = calworksCaseOf(st, clients);
    if (childIds.length && caseNumber) {
      const child = [...childIds].sort()[0]!;
      o.removal = {
        apply: (fam, _county, date) => {
          const cc = fam.cwsCases[k]!;
          cc.removals[child] = date;
          if (cc.component === 'FM') cc.component = 'FR';
          return {
            family: fam.index,
            kind: 'removal',
            detail: `${cc.caseId} child ${child}`,
            expect: { eventType: 'CHILD_REMOVED', caseNumber, subject: child },
          };
        },
      };
      break;
    }
  }

  // case_opened: a tiered case with a linked parent, no open child-welfare case, a caseless referral naming the parent.
  const anyOpen = f.cwsCases.some((c) => c.status === 'OPEN');
  if (!anyOpen && f.cwsCases.length < CWS_CASE_SLOTS) {
    const ref = [...f.referrals].reverse().find((r) => r.caseIndex === null && r.clients.some((cl) => linked.has(cl)));
    const caseNumber = ref ? calworksCaseOf(st, new Set(ref.clients)) : null;
    if (ref && caseNumber) {
      o.case_opened = {
        apply: (fam, _county, date) => {
          const r = fam.referrals.find((x) => x.referralId === ref.referralId)!;
          const id = cwsCaseId(fam.index, fam.cwsCases.length);
          fam.cwsCases.push({ caseId: id, component: 'FM', status: 'OPEN', openDate: date, closeDate: null, worker: r.worker, office: r.office, removals: {} });
          r.caseIndex = fam.cwsCases.length - 1;
          return {
            family: fam.index,
            kind: 'case_opened',
            detail: `${id} on ${r.referralId}`,
            expect: { eventType: 'CWS_CASE_OPENED', caseNumber, subject: id },
          };
        },
      };
    }
  }

  // case_closed: an open FM/FR case with a linked parent on it.
  if (openCases.length) {
    const k = openCases[0]!;
    const clients = new Set(f.referrals.filter((r) => r.caseIndex === k).flatMap((r) => r.clients));
    const caseNumber = calworksCaseOf(st, clients);
    if (caseNumber) {
      o.case_closed = {
        apply: (fam, _county, date) => {
          const c = fam.cwsCases[k]!;
          c.status = 'CLOSED';
          c.closeDate = date;
          return { family: fam.index, kind: 'case_closed', detail: c.caseId, expect: { eventType: 'CWS_CASE_CLOSED', caseNumber, subject: c.caseId } };
        },
      };
    }
  }

  // discontinued: an ACTIVE or PENDING CalWORKs case with a linked parent.
  const dIndex = f.calworksCases.findIndex((c) => (c.status === 'ACTIVE' || c.status === 'PENDING') && (st.cases.get(c.caseNumber)?.linked.size ?? 0) > 0);
  if (dIndex >= 0) {
    const caseNumber = f.calworksCases[dIndex]!.caseNumber;
    o.discontinued = {
      apply: (fam, _county, date) => {
        const c = fam.calworksCases[dIndex]!;
        c.status = 'DISCONTINUED';
        c.statusDate = date;
        return { family: fam.index, kind: 'discontinued', detail: caseNumber, expect: { eventType: 'CALWORKS_DISCONTINUED', caseNumber, subject: caseNumber } };
      },
    };
  }

  // move: a mutual client whose CalWORKs record holds the current address.
  if (mc && [...mc.mutual.keys()].some((pid) => f.calworksRecords.find((r) => r.recordId === pid)?.address === 'CURRENT')) {
    o.move = {
      apply: (fam, county, date) => {
        move(fam, county, Number(date.replace(/-/g, '')));
        return {
          family: fam.index,
          kind: 'move',
          detail: mc.caseNumber,
          expect: { eventType: 'SIGNIFICANT_CHANGE', caseNumber: mc.caseNumber, subject: 'ADDRESS' },
        };
      },
    };
  }

  // new_baby: on the CalWORKs case of a mutual client.
  if (mc && freeSlot(f) !== null) {
    const caseIndex = f.calworksCases.findIndex((c) => c.caseNumber === mc.caseNumber);
    o.new_baby = {
      apply: (fam, county, date, rng) => {
        const id = addBaby(fam, county, date, rng, caseIndex);
        return {
          family: fam.index,
          kind: 'new_baby',
          detail: `${mc.caseNumber} + ${id}`,
          expect: { eventType: 'SIGNIFICANT_CHANGE', caseNumber: mc.caseNumber, subject: 'HOUSEHOLD' },
        };
      },
    };
  }

  // new_referral: a CalWORKs family with an open case and no child-welfare history at all.
  const open = [...st.cases.values()].find((c) => c.tier !== null);
  if (f.cwsRecords.length === 0 && f.referrals.length === 0 && open && f.calworksRecords.some((r) => r.slot === 0)) {
    o.new_referral = {
      apply: (fam, county, date, rng) => {
        const members = new Set(fam.calworksCases.find((c) => c.caseNumber === open.caseNumber)!.members.map((m) => m.recordId));
        const head = fam.persons.find((p) => p.slot === 0)!;
        const kids = fam.persons.filter((p) => p.role === 'CHILD' && members.has(personId(fam.index, p.slot)));
        const rid = addReferral(fam, county, date, rng, [head, ...kids.slice(-1)]);
        return { family: fam.index, kind: 'new_referral', detail: rid, expect: { eventType: 'NEW_REFERRAL', caseNumber: open.caseNumber, subject: rid } };
      },
    };
  }
  return o;
}

/** Unlinked families: which churn they can take. */
function churnOffers(f: Family, st: FamilyState): ChurnKind[] {
  if (f.calworksRecords.length && f.cwsRecords.length) return [];
  const k: ChurnKind[] = [];
  if (f.cwsRecords.length === 0 && f.calworksCases.length) {
    k.push('cw_move', 'cw_phone');
    if (freeSlot(f) !== null && st.cases.get(f.calworksCases[0]!.caseNumber)?.tier) k.push('cw_baby');
    if (f.calworksCases[0]!.status === 'ACTIVE') k.push('cw_discontinued');
  }
  if (f.calworksRecords.length === 0 && f.referrals.length && f.referrals.length < REFERRAL_SLOTS) {
    if (f.cwsRecords.some((r) => r.role === 'PARENT')) k.push('cws_referral');
    if (f.cwsCases.some((c) => c.status === 'OPEN')) k.push('cws_case_closed');
  }
  return k;
}

function applyChurn(f: Family, kind: ChurnKind, county: County, date: string, rng: Rng): PlannedChange {
  const night = Number(date.replace(/-/g, ''));
  switch (kind) {
    case 'cw_move':
      move(f, county, night);
      break;
    case 'cw_phone':
      f.previousPhone = f.phone;
      f.phone = `510${String(rng.range(2000000, 9999999))}`;
      break;
    case 'cw_baby':
      addBaby(f, county, date, rng, 0);
      break;
    case 'cw_discontinued':
      f.calworksCases[0]!.status = 'DISCONTINUED';
      f.calworksCases[0]!.statusDate = date;
      break;
    case 'cws_referral': {
      const parents = f.cwsRecords.filter((r) => r.role === 'PARENT').map((r) => f.persons.find((p) => p.entityId === r.entityId)!);
      addReferral(f, county, date, rng, parents.slice(0, 1));
      break;
    }
    case 'cws_case_closed': {
      const c = f.cwsCases.find((x) => x.status === 'OPEN')!;
      c.status = 'CLOSED';
      c.closeDate = date;
      break;
    }
  }
  return { family: f.index, kind: 'churn', detail: kind, expect: null };
}

// ---------------------------------------------------------------------------------------------

/** Pick `n` of `items` (deterministic for the stream). */
function sample<T>(items: T[], n: number, rng: Rng): T[] {
  const a = [...items];
  const k = Math.min(n, a.length);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(a.length - i);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, k);
}

interface TruthWriters {
  tiers: CsvSink;
  events: CsvSink;
}

function openTruth(dir: string): TruthWriters {
  return {
    tiers: new CsvSink(join(dir, 'truth_tiers.csv'), ['case_number', 'tier']),
    events: new CsvSink(join(dir, 'truth_events.csv'), ['event_type', 'case_number', 'subject', 'change']),
  };
}

function writeTruth(w: TruthWriters, st: FamilyState, events: TruthEvent[], change: string, counts: Record<string, number>): void {
  for (const t of truthTiers(st)) w.tiers.row([t.caseNumber, t.tier]);
  for (const e of events) {
    w.events.row([e.eventType, e.caseNumber, e.subject, change]);
    counts[e.eventType] = (counts[e.eventType] ?? 0) + 1;
  }
}

const BLOCK = 2000;

/**
 * Writes night 1's truth files into `out` (night 1's extracts are already
 * there) and nights 2..N into `out/night-<k>/`.
 */
export function writeNights(o: NightsOptions): NightSummary[] {
  const county1 = buildCounty({ seed: o.seed, families: o.families, extractDate: o.extractDate });
  const summaries: NightSummary[] = [];

  // Night 1: the baseline truth.
  {
    const w = openTruth(o.out);
    const events: Record<string, number> = {};
    for (let i = 0; i < o.families; i++) {
      const st = familyState(buildFamily(county1, i), o.extractDate);
      writeTruth(w, st, baselineEvents(st), 'baseline', events);
    }
    w.tiers.close();
    w.events.close();
    summaries.push({ night: 1, dir: o.out, extractDate: o.extractDate, changes: {}, events });
  }

  const changed = new Map<number, Family>();
  const modelOf = (i: number) => changed.get(i) ?? buildFamily(county1, i);
  for (let night = 2; night <= o.nights; night++) {
    const before = addDays(o.extractDate, night - 2);
    const date = addDays(o.extractDate, night - 1);
    const dir = nightDir(o.out, night);
    const county = { ...county1, extractDate: date };

    // Plan: who offers what, then several of each kind, one change per family.
    const eligible = new Map<string, number[]>();
    const churnKinds = new Map<number, ChurnKind[]>();
    for (let i = 0; i < o.families; i++) {
      const f = modelOf(i);
      const st = familyState(f, before);
      const add = (kind: string) => {
        const list = eligible.get(kind);
        if (list) list.push(i);
        else eligible.set(kind, [i]);
      };
      for (const kind of Object.keys(offers(f, st))) add(kind);
      const ck = churnOffers(f, st);
      if (ck.length) {
        churnKinds.set(i, ck);
        add('churn');
      }
    }
    const m = changesPerKind(o.families);
    const plan = new Map<number, { kind: ChangeKind; churn?: ChurnKind }>();
    for (const kind of CHANGE_KINDS) {
      const pool = (eligible.get(kind) ?? []).filter((i) => !plan.has(i));
      const picked = sample(pool, kind === 'churn' ? 2 * m : m, rngFor(o.seed, 'night', night, kind));
      picked.forEach((i, n) => {
        if (kind !== 'churn') return plan.set(i, { kind });
        const options = churnKinds.get(i)!;
        plan.set(i, { kind, churn: options[n % options.length] });
      });
    }

    // Apply, compute the truth, write the night.
    const writer = new CountyWriter(dir);
    const truth = openTruth(dir);
    const changesSink = new CsvSink(join(dir, 'truth_changes.csv'), ['family', 'change', 'detail', 'expected_event', 'case_number', 'subject']);
    const counts: Record<string, number> = {};
    const events: Record<string, number> = {};
    try {
      let chunk: Family[] = [];
      for (let i = 0; i < o.families; i++) {
        const f = modelOf(i);
        const last = familyState(f, before);
        const p = plan.get(i);
        let label = 'calendar';
        if (p) {
          const rng = rngFor(o.seed, 'night-change', night, i);
          const change = p.kind === 'churn' ? applyChurn(f, p.churn!, county, date, rng) : offers(f, last)[p.kind]!.apply(f, county, date, rng);
          changed.set(i, f);
          label = p.kind === 'churn' ? `churn:${p.churn}` : p.kind;
          counts[label] = (counts[label] ?? 0) + 1;
          const e = change.expect;
          changesSink.row([String(i), label, change.detail, e?.eventType ?? '', e?.caseNumber ?? '', e?.subject ?? '']);
        }
        const now = familyState(f, date);
        writeTruth(truth, now, changeEvents(last, now), label, events);
        chunk.push(f);
        if (chunk.length === BLOCK) {
          writer.block(renderFamilies(county, chunk, i + 1 - chunk.length));
          chunk = [];
        }
      }
      if (chunk.length) writer.block(renderFamilies(county, chunk));
      writer.close(county);
    } catch (err) {
      writer.abort();
      throw err;
    } finally {
      truth.tiers.close();
      truth.events.close();
      changesSink.close();
    }
    summaries.push({ night, dir, extractDate: date, changes: counts, events });
  }
  return summaries;
}
