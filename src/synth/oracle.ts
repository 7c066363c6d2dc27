/**
 * The truth about tiers and events, computed from the model (`Family`) and
 * the true links (records of the same real person), never from extract rows
 * or SQL: an implementation of INTERFACE.md sections 3-4 independent of the
 * pipeline's (src/classify, src/notify), so comparing the two is a real test.
 *
 * Values are the ones the systems record (a child's recorded DOB decides
 * "under six"); only the links are the truth. Default rules (config
 * defaults): open = PENDING or ACTIVE or a parent with FR services; MUTUAL =
 * a linked parent on an OPEN FM or FR case, or a linked parent with FR
 * services; EARLY_INTERVENTION = a linked parent's referral in the last 365
 * days without an open case, or a parent's risk flag; else PREVENTION.
 */
import { addDays, addYears } from './corrupt/dates.js';
import type { Address, CalworksCase, Family, PersonRecord } from './model.js';
import { DEFAULT_TIER_RULES, REQUIRED_WEEKLY_HOURS } from '../classify/rules.js';

export type TruthTier = 'MUTUAL' | 'EARLY_INTERVENTION' | 'PREVENTION';

export interface TruthEvent {
  eventType: string;
  caseNumber: string;
  subject: string;
}

export const LOOKBACK_DAYS = DEFAULT_TIER_RULES.lookback_days;
const OPEN_STATUSES = new Set<string>(DEFAULT_TIER_RULES.open_calworks_statuses);
const MUTUAL_COMPONENTS = new Set<string>(DEFAULT_TIER_RULES.mutual.service_components);

interface MutualState {
  entityId: string;
  over: boolean;
}

interface CaseState {
  caseNumber: string;
  status: CalworksCase['status'];
  open: boolean;
  tier: TruthTier | null;
  members: string[];
  /** CalWORKs person_id -> its true child-welfare parent client ids (linked parents only). */
  linked: Map<string, string[]>;
  mutual: Map<string, MutualState>;
  /** person_id -> address identity of its CalWORKs record (null: none). */
  address: Map<string, string | null>;
}

interface CwsCaseState {
  status: 'OPEN' | 'CLOSED';
  clients: Set<string>;
}

/** What the pipeline could know about one family on one night, with the true links. */
export interface FamilyState {
  cases: Map<string, CaseState>;
  referralIds: Set<string>;
  cwsCases: Map<string, CwsCaseState>;
  /** child client id -> latest removal date shown on its rows. */
  removals: Map<string, string>;
  /** referral id -> client ids named on it. */
  referralClients: Map<string, string[]>;
  /** case id -> referral ids attached to it. */
  caseReferrals: Map<string, string[]>;
  /** child client id -> the referrals (and their case) whose rows show its removal date. */
  removalRows: Map<string, { referralId: string; caseId: string }[]>;
  /** Entities that are mutual clients (on any case). */
  mutualEntities: Set<string>;
}

const validDate = (iso: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return false;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
};

function addressKey(f: Family, r: PersonRecord): string | null {
  const a: Address | null = r.address === 'NONE' ? null : r.address === 'PREVIOUS' ? (f.previousAddress ?? f.address) : f.address;
  return a ? JSON.stringify(a) : null;
}

export function familyState(f: Family, date: string): FamilyState {
  const windowStart = addDays(date, -LOOKBACK_DAYS);
  const sealed = f.sensitivity === 'SEALED';
  const calworksById = new Map(f.calworksRecords.map((r) => [r.recordId, r]));
  const cwsParentsByEntity = new Map<string, string[]>();
  if (!sealed) {
    for (const r of f.cwsRecords) {
      if (r.role !== 'PARENT') continue;
      cwsParentsByEntity.set(r.entityId, [...(cwsParentsByEntity.get(r.entityId) ?? []), r.recordId]);
    }
  }

  // Child-welfare facts per client: open mutual cases, referrals in the window without an open case.
  const openMutualCasesOf = new Map<string, Set<string>>();
  const windowRefsOf = new Map<string, string[]>();
  const referralClients = new Map<string, string[]>();
  const caseReferrals = new Map<string, string[]>();
  const cwsCases = new Map<string, CwsCaseState>();
  const removals = new Map<string, string>();
  const removalRows = new Map<string, { referralId: string; caseId: string }[]>();
  for (const ref of f.referrals) {
    referralClients.set(ref.referralId, [...ref.clients]);
    const c = ref.caseIndex === null ? null : f.cwsCases[ref.caseIndex]!;
    if (c) {
      caseReferrals.set(c.caseId, [...(caseReferrals.get(c.caseId) ?? []), ref.referralId]);
      const cs = cwsCases.get(c.caseId) ?? { status: c.status, clients: new Set<string>() };
      for (const id of ref.clients) cs.clients.add(id);
      cwsCases.set(c.caseId, cs);
    }
    for (const id of ref.clients) {
      if (c && c.status === 'OPEN' && MUTUAL_COMPONENTS.has(c.component)) {
        const s = openMutualCasesOf.get(id) ?? new Set<string>();
        s.add(c.caseId);
        openMutualCasesOf.set(id, s);
      }
      if (ref.date >= windowStart && ref.date <= date && !(c && c.status === 'OPEN')) {
        windowRefsOf.set(id, [...(windowRefsOf.get(id) ?? []), ref.referralId]);
      }
      const removal = c?.removals[id];
      if (removal && !sealed) {
        if (!removals.has(id) || removals.get(id)! < removal) removals.set(id, removal);
        removalRows.set(id, [...(removalRows.get(id) ?? []), { referralId: ref.referralId, caseId: c.caseId }]);
      }
    }
  }

  const cases = new Map<string, CaseState>();
  const mutualEntities = new Set<string>();
  for (const c of f.calworksCases) {
    const parents = c.members.filter((m) => m.role === 'PARENT');
    const anyFr = parents.some((m) => m.frServices === true);
    const open = OPEN_STATUSES.has(c.status) || anyFr;
    const linked = new Map<string, string[]>();
    for (const m of parents) {
      const rec = calworksById.get(m.recordId)!;
      const clients = cwsParentsByEntity.get(rec.entityId);
      if (clients?.length) linked.set(m.recordId, clients);
    }
    let tier: TruthTier | null = null;
    const mutualParents = new Set<string>();
    if (open) {
      const mutual = [...linked.entries()].some(
        ([pid, clients]) => clients.some((cl) => (openMutualCasesOf.get(cl)?.size ?? 0) > 0) || parents.find((m) => m.recordId === pid)!.frServices === true,
      );
      const early =
        [...linked.values()].some((clients) => clients.some((cl) => (windowRefsOf.get(cl)?.length ?? 0) > 0)) ||
        parents.some((m) => m.familyStabilization === true || m.homeless === true || m.domesticAbuse === true);
      tier = mutual ? 'MUTUAL' : early ? 'EARLY_INTERVENTION' : 'PREVENTION';
      if (mutual) for (const pid of linked.keys()) mutualParents.add(pid);
    }
    const children = c.members.filter((m) => m.role === 'CHILD').map((m) => calworksById.get(m.recordId)!);
    const sixAgo = addYears(date, -6);
    const underSix = children.some((r) => r.dob !== '' && validDate(r.dob) && r.dob > sixAgo && r.dob <= date);
    const required =
      parents.length >= 2 ? REQUIRED_WEEKLY_HOURS.twoParents : underSix ? REQUIRED_WEEKLY_HOURS.oneParentChildUnderSix : REQUIRED_WEEKLY_HOURS.otherwise;
    const mutual = new Map<string, MutualState>();
    for (const pid of mutualParents) {
      const m = parents.find((x) => x.recordId === pid)!;
      const cfs = m.cfsHours ?? 0;
      const over = cfs > 0 && cfs + (m.wtwHours ?? 0) > required;
      const entityId = calworksById.get(pid)!.entityId;
      mutual.set(pid, { entityId, over });
      mutualEntities.add(entityId);
    }
    cases.set(c.caseNumber, {
      caseNumber: c.caseNumber,
      status: c.status,
      open,
      tier,
      members: c.members.map((m) => m.recordId).sort(),
      linked,
      mutual,
      address: new Map(c.members.map((m) => [m.recordId, addressKey(f, calworksById.get(m.recordId)!)])),
    });
  }
  return {
    cases,
    referralIds: new Set(f.referrals.map((r) => r.referralId)),
    cwsCases,
    removals,
    referralClients,
    caseReferrals,
    removalRows,
    mutualEntities,
  };
}

export function truthTiers(s: FamilyState): { caseNumber: string; tier: TruthTier }[] {
  return [...s.cases.values()].filter((c) => c.tier !== null).map((c) => ({ caseNumber: c.caseNumber, tier: c.tier! }));
}

/** Baseline night: everyone current. */
export function baselineEvents(s: FamilyState): TruthEvent[] {
  const out: TruthEvent[] = [];
  for (const c of s.cases.values()) {
    for (const [pid, m] of c.mutual) {
      out.push({ eventType: 'NEW_MUTUAL_CLIENT', caseNumber: c.caseNumber, subject: pid });
      if (m.over) out.push({ eventType: 'OVER_SCHEDULED', caseNumber: c.caseNumber, subject: pid });
    }
  }
  return out;
}

/** Events of a later night: tonight's state against last night's. */
export function changeEvents(last: FamilyState, now: FamilyState): TruthEvent[] {
  const out: TruthEvent[] = [];
  const push = (eventType: string, caseNumber: string, subject: string) => out.push({ eventType, caseNumber, subject });
  const tiered = (k: string) => (now.cases.get(k)?.tier ?? null) !== null || (last.cases.get(k)?.tier ?? null) !== null;

  for (const c of now.cases.values()) {
    const before = last.cases.get(c.caseNumber);
    // New mutual clients and newly over-scheduled ones.
    for (const [pid, m] of c.mutual) {
      if (!last.mutualEntities.has(m.entityId)) push('NEW_MUTUAL_CLIENT', c.caseNumber, pid);
      if (m.over && !before?.mutual.get(pid)?.over) push('OVER_SCHEDULED', c.caseNumber, pid);
    }
    if (!tiered(c.caseNumber)) continue;
    const linkedClients = new Set([...c.linked.values()].flat());

    // New referrals naming a linked parent.
    for (const [rid, clients] of now.referralClients) {
      if (last.referralIds.has(rid)) continue;
      if (clients.some((cl) => linkedClients.has(cl))) push('NEW_REFERRAL', c.caseNumber, rid);
    }
    // Removals: the child's referral or case also names a linked parent of this case.
    for (const [child, date] of now.removals) {
      const was = last.removals.get(child);
      if (was !== undefined && was >= date) continue;
      // As the pipeline does: the rows that show the removal, their referral's clients and their case's clients.
      const family = new Set<string>();
      for (const row of now.removalRows.get(child) ?? []) {
        for (const cl of now.referralClients.get(row.referralId) ?? []) family.add(cl);
        for (const cl of now.cwsCases.get(row.caseId)?.clients ?? []) family.add(cl);
      }
      if ([...family].some((cl) => linkedClients.has(cl))) push('CHILD_REMOVED', c.caseNumber, child);
    }
    // Child-welfare cases opened or closed with a linked parent on them.
    for (const [caseId, cs] of now.cwsCases) {
      if (![...cs.clients].some((cl) => linkedClients.has(cl))) continue;
      const was = last.cwsCases.get(caseId)?.status;
      if (cs.status === 'OPEN' && was !== 'OPEN') push('CWS_CASE_OPENED', c.caseNumber, caseId);
      if (cs.status === 'CLOSED' && was === 'OPEN') push('CWS_CASE_CLOSED', c.caseNumber, caseId);
    }
    if (!before) continue;
    if (OPEN_STATUSES.has(before.status) && (c.status === 'DISCONTINUED' || c.status === 'DENIED') && c.linked.size > 0) {
      push('CALWORKS_DISCONTINUED', c.caseNumber, c.caseNumber);
    }
    // Significant changes of mutual clients on this case both nights.
    const continuing = [...c.mutual.entries()].filter(([pid, m]) => last.mutualEntities.has(m.entityId) && before.mutual.has(pid));
    if (continuing.length) {
      if (
        continuing.some(([pid]) => {
          const a = before.address.get(pid) ?? null;
          const b = c.address.get(pid) ?? null;
          return a !== null && b !== null && a !== b;
        })
      )
        push('SIGNIFICANT_CHANGE', c.caseNumber, 'ADDRESS');
      if (before.members.join(';') !== c.members.join(';')) push('SIGNIFICANT_CHANGE', c.caseNumber, 'HOUSEHOLD');
    }
    if (before.tier !== null && c.tier !== null && before.tier !== c.tier) push('TIER_CHANGED', c.caseNumber, `${before.tier}>${c.tier}`);
  }
  return out;
}
