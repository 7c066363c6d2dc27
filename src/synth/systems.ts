/**
 * What the two systems know about a family: child-welfare referrals and cases
 * (who was named, dispositions, removals), the CalWORKs case(s) and their
 * members' Welfare-to-Work details, and each system's record of each person.
 * Child welfare is built first because CalWORKs FR services and case-plan
 * hours follow from it.
 */
import { addDays, ageOn, daysBetween } from './corrupt/dates.js';
import { makeRecord } from './corrupt/record.js';
import { caseNumber, cin, clientId, cwsCaseId, personId, referralId, FIRST_FREE_SLOT } from './ids.js';
import type { CalworksCase, CalworksMember, County, CwsCase, Family, Person, PersonRecord, Referral } from './model.js';
import type { FamilyTruth } from './people.js';
import { referralPartner } from './people.js';
import { pools } from './pools.js';
import { rngFor, type Rng } from './random.js';
import { CALWORKS_CASE, CWS, FAMILY } from './rates.js';

const PARTNER_SLOT = FIRST_FREE_SLOT - 1; // 11: the last "other member" slot

interface CwsBuild {
  referrals: Referral[];
  cases: CwsCase[];
  /** client record id -> person and first referral date. */
  clients: Map<string, { person: Person; firstSeen: string }>;
  sensitivity: Family['sensitivity'];
}

function pickWorker(rng: Rng, byOffice: Record<string, number[]>, office: string): number {
  return rng.pick(byOffice[office]!);
}

function buildCws(county: County, t: FamilyTruth, rng: Rng): CwsBuild {
  const nRef = Number(rng.choose(CWS.referrals));
  const daysAgo = Array.from({ length: nRef }, () => rng.int(CWS.historyDays)).sort((a, b) => b - a);
  const head = t.persons[0]!;
  const other = t.persons.find((p) => p.slot === 1) ?? null;
  const children = t.persons.filter((p) => p.role === 'CHILD');
  const elderInCws = t.kind === 'CWS_ONLY' ? t.persons.filter((p) => p.role === 'OTHER') : [];
  let partner: Person | null = null;

  const referrals: Referral[] = [];
  const cases: CwsCase[] = [];
  const clients: CwsBuild['clients'] = new Map();
  // A person named on several referrals sometimes gets a second client id from some referral on.
  const dupFrom = new Map<number, number>();
  let openCase: number | null = null;

  for (let r = 0; r < nRef; r++) {
    const date = addDays(county.extractDate, -daysAgo[r]!);
    const named: Person[] = [];
    if (rng.chance(0.95) || !other) named.push(head);
    if (other && (t.absentParentSlot === null ? rng.chance(CWS.fatherNamed) : r === 0 || rng.chance(0.6))) named.push(other);
    const born = children.filter((c) => c.dob <= date);
    const kids = born.filter(() => rng.chance(CWS.childNamed));
    if (!kids.length && born.length) kids.push(born[born.length - 1]!);
    named.push(...kids);
    named.push(...elderInCws.filter(() => rng.chance(0.5)));
    if (rng.chance(CWS.otherOnReferral)) {
      partner ??= referralPartner(county, t.index, PARTNER_SLOT, t.community);
      named.push(partner);
    }

    const recent = daysAgo[r]! < CWS.pendingRecentDays;
    const disposition: Referral['disposition'] = recent && rng.chance(CWS.pendingRecent) ? 'PENDING' : rng.choose(CWS.disposition);
    const drPath = rng.chance(CWS.drPath) ? (disposition === 'EVALUATED_OUT' ? '1' : rng.pick(['2', '3'] as const)) : null;

    // Close the open case if it ended before this referral.
    if (openCase !== null) {
      const c = cases[openCase]!;
      if (c.closeDate && c.closeDate <= date) openCase = null;
    }
    let caseIndex: number | null = openCase;
    if (caseIndex === null && rng.chance(CWS.openCaseAfter[disposition] ?? 0)) {
      const openDate = addDays(date, rng.range(5, 60));
      if (openDate < county.extractDate) {
        const component = rng.choose(CWS.component);
        const age = daysBetween(openDate, county.extractDate);
        let closeDate: string | null = null;
        if (age > CWS.closedCaseAfterDays && rng.chance(CWS.closed)) {
          closeDate = addDays(openDate, rng.range(180, Math.max(181, age - 1)));
        }
        const removals: Record<string, string> = {};
        cases.push({
          caseId: cwsCaseId(t.index, cases.length),
          component,
          status: closeDate ? 'CLOSED' : 'OPEN',
          openDate,
          closeDate,
          worker: pickWorker(rng, county.cwsWorkersByOffice, t.office),
          office: t.office,
          removals,
        });
        caseIndex = cases.length - 1;
        openCase = caseIndex;
      }
    }

    const clientIds: string[] = [];
    for (const p of named) {
      if (r > 0 && !dupFrom.has(p.slot) && rng.chance(FAMILY.cwsDuplicateClient)) dupFrom.set(p.slot, r);
      const dup = dupFrom.has(p.slot) && r >= dupFrom.get(p.slot)! ? 1 : 0;
      const id = clientId(t.index, p.slot, dup);
      clientIds.push(id);
      if (!clients.has(id)) clients.set(id, { person: p, firstSeen: date });
      const c = caseIndex === null ? null : cases[caseIndex]!;
      if (c && (c.component === 'FR' || c.component === 'PP') && p.role === 'CHILD' && !c.removals[id]) {
        // Removal on the day of the referral or shortly after, before the case opened.
        const removal = addDays(date, rng.range(0, Math.max(0, Math.min(3, daysBetween(date, c.openDate)))));
        c.removals[id] = removal;
      }
    }
    referrals.push({
      referralId: referralId(t.index, r),
      date,
      disposition,
      drPath,
      erComponent: rng.chance(CWS.erComponentWithoutCase),
      caseIndex,
      worker: pickWorker(rng, county.cwsWorkersByOffice, t.office),
      office: t.office,
      clients: clientIds,
    });
  }
  return { referrals, cases, clients, sensitivity: rng.choose(CWS.sensitivity) };
}

/** Weekly hours WTW requires: 35 two parents, 20 one parent with a child under six, else 30. */
export function requiredHours(parentsOnCase: number, youngestAge: number): number {
  if (parentsOnCase >= 2) return 35;
  return youngestAge < 6 ? 20 : 30;
}

function yn(rng: Rng, p: number): boolean {
  return rng.chance(p);
}

function buildCalworks(
  county: County,
  t: FamilyTruth,
  cws: CwsBuild | null,
  rng: Rng,
): { cases: CalworksCase[]; members: Map<string, { person: Person; recordedOn: string }> } {
  const head = t.persons[0]!;
  const inHome = t.persons.filter((p) => p.slot !== t.absentParentSlot && p.slot !== PARTNER_SLOT);
  const parents = inHome.filter((p) => p.role === 'PARENT');
  const members = new Map<string, { person: Person; recordedOn: string }>();

  // Child-welfare facts about each parent: an open FM/FR case, an FR case.
  const openCases = cws ? cws.cases.filter((c) => c.status === 'OPEN' && (c.component === 'FM' || c.component === 'FR')) : [];
  const namedOnOpen = new Set<number>();
  let frOpen = false;
  if (cws) {
    for (const r of cws.referrals) {
      if (r.caseIndex === null) continue;
      const c = cws.cases[r.caseIndex]!;
      if (!openCases.includes(c)) continue;
      if (c.component === 'FR') frOpen = true;
      for (const id of r.clients) namedOnOpen.add(cws.clients.get(id)!.person.slot);
    }
  }

  let status = rng.choose(CALWORKS_CASE.status);
  const frParents = new Set<number>();
  if (frOpen) {
    for (const p of parents) if (namedOnOpen.has(p.slot) && rng.chance(CALWORKS_CASE.frServices)) frParents.add(p.slot);
    if (frParents.size && rng.chance(CALWORKS_CASE.frCaseDiscontinued)) status = 'DISCONTINUED';
  }
  const statusDate = addDays(county.extractDate, -(status === 'PENDING' ? rng.range(1, 45) : status === 'ACTIVE' ? rng.range(1, 720) : rng.range(1, 365)));
  const cwsInvolved = cws !== null;
  const riskFactor = cwsInvolved ? 2 : 1;
  const flags = {
    familyStabilization: yn(rng, CALWORKS_CASE.familyStabilization * riskFactor),
    homeless: yn(rng, CALWORKS_CASE.homeless * riskFactor),
    domesticAbuse: yn(rng, CALWORKS_CASE.domesticAbuse * riskFactor),
  };
  const children = inHome.filter((p) => p.role === 'CHILD');
  const youngest = Math.min(99, ...children.map((c) => ageOn(c.dob, county.extractDate)));
  const required = requiredHours(parents.length, youngest);
  const open = status === 'ACTIVE' || status === 'PENDING';

  const current: CalworksMember[] = [];
  for (const p of inHome) {
    const id = personId(t.index, p.slot);
    members.set(id, { person: p, recordedOn: county.extractDate });
    if (p.role !== 'PARENT') {
      current.push({
        recordId: id,
        role: p.role,
        frServices: null,
        wtwStatus: null,
        wtwHours: null,
        cfsHours: null,
        familyStabilization: null,
        homeless: null,
        domesticAbuse: null,
      });
      continue;
    }
    const fr = frParents.has(p.slot);
    const cfs = namedOnOpen.has(p.slot) && rng.chance(CALWORKS_CASE.cfsHoursKnown) ? rng.range(4, 20) : null;
    let wtw: string | null = null;
    if (fr) wtw = rng.chance(0.75) ? 'PARTICIPATING' : 'EXEMPT';
    else if (open) wtw = status === 'PENDING' && rng.chance(0.6) ? null : rng.choose(CALWORKS_CASE.wtw);
    else wtw = rng.chance(0.3) ? 'SANCTIONED' : null;
    let hours: number | null = null;
    if (wtw === 'PARTICIPATING' || wtw === 'NONCOMPLIANCE' || wtw === 'SANCTIONED') {
      if (cfs !== null && !rng.chance(CALWORKS_CASE.uncoordinatedPlan)) hours = Math.max(0, required - cfs);
      else hours = rng.chance(0.85) ? required : required + rng.pick([-10, -5, 5]);
    } else if (wtw !== null) hours = 0;
    current.push({
      recordId: id,
      role: 'PARENT',
      frServices: fr,
      wtwStatus: wtw,
      wtwHours: hours,
      cfsHours: cfs,
      ...flags,
    });
  }
  const cases: CalworksCase[] = [
    {
      caseNumber: caseNumber(t.index, 0),
      office: t.office,
      status,
      statusDate,
      worker: rng.chance(CALWORKS_CASE.workerUnknown) ? null : pickWorker(rng, county.calworksWorkersByOffice, t.office),
      members: current,
    },
  ];

  if (rng.chance(FAMILY.priorCalworksCase)) {
    const priorDate = addDays(county.extractDate, -rng.range(400, 1400));
    const dup = rng.chance(FAMILY.priorCaseDuplicatePerson) ? 1 : 0;
    const id = personId(t.index, head.slot, dup);
    if (!members.has(id)) members.set(id, { person: head, recordedOn: priorDate });
    const prior: CalworksMember[] = [
      {
        recordId: id,
        role: 'PARENT',
        frServices: false,
        wtwStatus: null,
        wtwHours: null,
        cfsHours: null,
        familyStabilization: false,
        homeless: false,
        domesticAbuse: false,
      },
    ];
    for (const c of children) {
      if (c.dob < priorDate)
        prior.push({
          recordId: personId(t.index, c.slot),
          role: 'CHILD',
          frServices: null,
          wtwStatus: null,
          wtwHours: null,
          cfsHours: null,
          familyStabilization: null,
          homeless: null,
          domesticAbuse: null,
        });
    }
    const office = rng.chance(0.8) ? t.office : rng.pick(county.offices);
    cases.push({
      caseNumber: caseNumber(t.index, 1),
      office,
      status: rng.chance(0.7) ? 'DISCONTINUED' : 'DENIED',
      statusDate: priorDate,
      worker: rng.chance(0.3) ? null : pickWorker(rng, county.calworksWorkersByOffice, office),
      members: prior,
    });
  }
  return { cases, members };
}

/** Someone else's SSN in the family (spouse first, else a child), for the wrong-person mistake. */
function otherSsnFor(p: Person, t: FamilyTruth): string | null {
  const others = t.persons.filter((q) => q !== p && q.ssn);
  const spouse = others.find((q) => q.role === 'PARENT');
  return (spouse ?? others[0])?.ssn ?? null;
}

/** The whole family: truth, both systems' cases and referrals, and every record. */
export function buildSystems(county: County, t: FamilyTruth): Family {
  const rng = rngFor(county.seed, 'systems', t.index);
  const p = pools();
  const cws = t.kind === 'CALWORKS_ONLY' ? null : buildCws(county, t, rng);
  const cw = t.kind === 'CWS_ONLY' ? null : buildCalworks(county, t, cws, rng);

  const family: Family = {
    index: t.index,
    kind: t.kind,
    community: t.community,
    language: t.language,
    office: t.office,
    address: t.address,
    previousAddress: t.previousAddress,
    phone: t.phone,
    previousPhone: t.previousPhone,
    persons: t.persons,
    absentParentSlot: t.absentParentSlot,
    calworksRecords: [],
    cwsRecords: [],
    calworksCases: cw?.cases ?? [],
    referrals: cws?.referrals ?? [],
    cwsCases: cws?.cases ?? [],
    sensitivity: cws?.sensitivity ?? 'NONE',
  };
  if (cws?.clients.size) {
    for (const [id, { person, firstSeen }] of cws.clients) {
      if (!family.persons.includes(person)) family.persons.push(person);
      const record = makeRecord(
        { seed: county.seed, system: 'CWS', recordId: id, cin: '', person, family, recordedOn: firstSeen, otherSsn: otherSsnFor(person, t) },
        p,
      );
      // A parent living elsewhere: child welfare usually has no address for him.
      if (person.slot === t.absentParentSlot && rngFor(county.seed, 'elsewhere', id).chance(0.6)) {
        record.address = 'NONE';
        record.corruptions = [...record.corruptions.filter((k) => k !== 'address_moved'), 'address_missing'];
      }
      family.cwsRecords.push(record);
    }
  }
  if (cw) {
    for (const [id, { person, recordedOn }] of cw.members) {
      family.calworksRecords.push(
        makeRecord(
          {
            seed: county.seed,
            system: 'CALWORKS',
            recordId: id,
            cin: cin(t.index, person.slot),
            person,
            family,
            recordedOn,
            otherSsn: otherSsnFor(person, t),
          },
          p,
        ),
      );
    }
  }
  return family;
}

export type { PersonRecord };
