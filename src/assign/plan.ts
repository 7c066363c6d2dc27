/**
 * Who carries which mutual client (pure; the stage in index.ts does the I/O).
 *
 * A worker's load is the number of *open* mutual clients they carry: mutual
 * clients of tonight (still MUTUAL tonight) assigned to them on an earlier
 * night. A mutual client who is no longer mutual frees the place.
 *
 * 1. Keep: a mutual client assigned on an earlier night keeps its worker
 *    (even when the worker is now above a lowered capacity), unless the
 *    roster was given and the worker is no longer on it.
 * 2. The others (new tonight, waiting since an earlier night without a
 *    worker, successors of a merge or split, workers who left) are taken in
 *    priority order: Family Reunification, WTW SANCTIONED, NONCOMPLIANCE,
 *    others; then who waited longest; then mutual_client_id. Each goes, with
 *    room (load < capacity) always required, to:
 *      a. the worker of the mutual client(s) it continues (lineage), or the
 *         last worker it had on an earlier night;
 *      b. the worker of another mutual client of the same CalWORKs case
 *         (one family, one Linkages worker), when `keep_family_together`;
 *      c. otherwise the best worker by: speaks the family's language, is in
 *         the family's office (language first by default), lowest load,
 *         lowest worker_id.
 *    Nobody with room: unassigned, with the reason (the coordinator is told).
 */

export interface RosterWorker {
  id: string;
  name: string;
  email: string | null;
  office: string | null;
  /** Upper-case language names. */
  languages: string[];
  capacity: number;
}

export interface ClientToPlace {
  mutualClientId: string;
  priorityGroup: number;
  office: string | null;
  language: string | null;
  caseNumbers: string[];
  /** Last night's mutual-client ids this one continues. */
  previousIds: string[];
}

export interface PriorAssignment {
  mutualClientId: string;
  status: 'ASSIGNED' | 'UNASSIGNED';
  workerId: string | null;
  workerName: string | null;
  workerEmail: string | null;
  workerOffice: string | null;
  /** Night the worker was assigned. */
  assignedOn: string | null;
  /** Night since when an unassigned mutual client waits. */
  waitingSince: string | null;
}

export type How = 'KEPT' | 'INHERITED' | 'FAMILY' | 'MATCHED' | 'UNASSIGNED';

/** Tonight's row: the prior row's fields (assignedOn: kept rows keep theirs), and how and why. */
export interface PlannedAssignment extends PriorAssignment {
  how: How;
  reason: string;
  priorityGroup: number;
  /** Position in tonight's assignment order (0 for kept). */
  order: number;
}

export interface PlanInput {
  runDate: string;
  clients: ClientToPlace[];
  /** Tonight's roster; null when no --workers file was given. */
  roster: RosterWorker[] | null;
  /** Last night's assignments by mutual_client_id. */
  previous: Map<string, PriorAssignment>;
  /** The latest ASSIGNED row of each mutual_client_id on any earlier night (for one that comes back). */
  lastKnown: Map<string, PriorAssignment>;
  languageBeforeOffice: boolean;
  keepFamilyTogether: boolean;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What `items.sort(order)[0]` gives, in one pass: the roster is ranked once per client placed, and
 * sorting it each time cost a second and a half at 300,000 families.
 */
function first<T>(items: readonly T[], order: (a: T, b: T) => number): T | undefined {
  let best: T | undefined;
  for (const x of items) if (best === undefined || order(x, best) < 0) best = x;
  return best;
}

export function planAssignments(input: PlanInput): PlannedAssignment[] {
  const { runDate, roster } = input;
  const byId = new Map((roster ?? []).map((w) => [w.id, w]));
  const load = new Map<string, number>();
  const out = new Map<string, PlannedAssignment>();
  const workerOfClient = new Map<string, string>();
  const clientsOfCase = new Map<string, string[]>();
  for (const c of input.clients) {
    for (const k of c.caseNumbers) {
      const list = clientsOfCase.get(k);
      if (list) list.push(c.mutualClientId);
      else clientsOfCase.set(k, [c.mutualClientId]);
    }
  }

  // 1. Keep.
  const toPlace: (ClientToPlace & { waitingSince: string; note: string })[] = [];
  for (const c of input.clients) {
    const prev = input.previous.get(c.mutualClientId);
    const onRoster = prev?.workerId ? roster === null || byId.has(prev.workerId) : false;
    if (prev && prev.status === 'ASSIGNED' && prev.workerId && onRoster) {
      const w = byId.get(prev.workerId);
      out.set(c.mutualClientId, {
        mutualClientId: c.mutualClientId,
        status: 'ASSIGNED',
        how: 'KEPT',
        workerId: prev.workerId,
        workerName: w?.name ?? prev.workerName,
        workerEmail: w ? w.email : prev.workerEmail,
        workerOffice: w ? w.office : prev.workerOffice,
        assignedOn: prev.assignedOn,
        waitingSince: null,
        reason: `kept since ${prev.assignedOn ?? 'an earlier night'}`,
        priorityGroup: c.priorityGroup,
        order: 0,
      });
      load.set(prev.workerId, (load.get(prev.workerId) ?? 0) + 1);
      workerOfClient.set(c.mutualClientId, prev.workerId);
      continue;
    }
    const waited = [prev, ...c.previousIds.map((id) => input.previous.get(id))]
      .filter((p): p is PriorAssignment => !!p && p.status === 'UNASSIGNED' && !!p.waitingSince)
      .map((p) => p.waitingSince!)
      .sort(cmp)[0];
    const note = prev?.status === 'ASSIGNED' && prev.workerId && !onRoster ? `previous worker ${prev.workerId} is no longer on the roster; ` : '';
    toPlace.push({ ...c, waitingSince: waited ?? runDate, note });
  }

  toPlace.sort((a, b) => a.priorityGroup - b.priorityGroup || cmp(a.waitingSince, b.waitingSince) || cmp(a.mutualClientId, b.mutualClientId));

  const hasRoom = (id: string) => {
    const w = byId.get(id);
    return !!w && (load.get(id) ?? 0) < w.capacity;
  };
  const leastLoaded = (ids: Iterable<string>) => first([...new Set(ids)].filter(hasRoom), (a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || cmp(a, b));

  let order = 0;
  for (const c of toPlace) {
    order++;
    const base = {
      mutualClientId: c.mutualClientId,
      priorityGroup: c.priorityGroup,
      order,
    };
    const take = (workerId: string, how: How, reason: string): void => {
      const w = byId.get(workerId)!;
      const before = load.get(workerId) ?? 0;
      load.set(workerId, before + 1);
      workerOfClient.set(c.mutualClientId, workerId);
      out.set(c.mutualClientId, {
        ...base,
        status: 'ASSIGNED',
        how,
        workerId,
        workerName: w.name,
        workerEmail: w.email,
        workerOffice: w.office,
        assignedOn: runDate,
        waitingSince: null,
        reason: `${c.note}${reason}; load ${before + 1} of ${w.capacity}`,
      });
    };
    const unassigned = (reason: string) =>
      out.set(c.mutualClientId, {
        ...base,
        status: 'UNASSIGNED',
        how: 'UNASSIGNED',
        workerId: null,
        workerName: null,
        workerEmail: null,
        workerOffice: null,
        assignedOn: null,
        waitingSince: c.waitingSince,
        reason: `${c.note}${reason}`,
      });

    if (!roster || roster.length === 0) {
      unassigned(roster ? 'the Linkages workers roster (--workers) is empty' : 'no Linkages workers roster (--workers) was given');
      continue;
    }

    // a. Continuity: the worker of the mutual client(s) it continues, or its own last worker.
    const lineage = c.previousIds
      .map((id) => input.previous.get(id))
      .filter((p): p is PriorAssignment => !!p && p.status === 'ASSIGNED' && !!p.workerId)
      .map((p) => p.workerId!);
    const own = input.lastKnown.get(c.mutualClientId);
    const continuing = leastLoaded(lineage) ?? (own?.workerId ? leastLoaded([own.workerId]) : undefined);
    if (continuing) {
      const from = lineage.includes(continuing)
        ? `continues ${c.previousIds.filter((id) => input.previous.get(id)?.workerId === continuing).join(', ')}`
        : `back with the worker it had on ${own!.assignedOn ?? 'an earlier night'}`;
      take(continuing, 'INHERITED', `${from} (same Linkages worker)`);
      continue;
    }

    // b. One family, one Linkages worker.
    if (input.keepFamilyTogether) {
      const family = c.caseNumbers.flatMap((k) =>
        (clientsOfCase.get(k) ?? []).filter((o) => o !== c.mutualClientId && workerOfClient.has(o)).map((o) => ({ o, k })),
      );
      const w = leastLoaded(family.map((f) => workerOfClient.get(f.o)!));
      if (w) {
        const f = family.find((x) => workerOfClient.get(x.o) === w)!;
        take(w, 'FAMILY', `same family as ${f.o} (case ${f.k})`);
        continue;
      }
    }

    // c. Language and office, then lowest load, then worker_id.
    const lang = c.language;
    const candidates = roster.filter((w) => hasRoom(w.id));
    if (!candidates.length) {
      unassigned(`no Linkages worker has room (${roster.length} on the roster, all at capacity)`);
      continue;
    }
    const speaks = (w: RosterWorker) => lang !== null && w.languages.includes(lang);
    const sameOffice = (w: RosterWorker) => c.office !== null && w.office === c.office;
    const rank = (w: RosterWorker) =>
      input.languageBeforeOffice ? (speaks(w) ? 0 : 2) + (sameOffice(w) ? 0 : 1) : (sameOffice(w) ? 0 : 2) + (speaks(w) ? 0 : 1);
    const best = first(candidates, (a, b) => rank(a) - rank(b) || (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0) || cmp(a.id, b.id))!;
    const officeHasRoom = candidates.some(sameOffice);
    const officeText =
      c.office === null
        ? 'office unknown'
        : sameOffice(best)
          ? `same office (${c.office})`
          : `other office (${best.office ?? 'none'}): ${officeHasRoom ? `nobody with room in ${c.office} speaks ${lang}` : `nobody in ${c.office} has room`}`;
    const parts = [lang === null ? 'language unknown' : speaks(best) ? `speaks ${lang}` : `no worker with room speaks ${lang}`, officeText, 'lowest load'];
    take(best.id, 'MATCHED', parts.join(', '));
  }

  return input.clients.map((c) => out.get(c.mutualClientId)!).sort((a, b) => cmp(a.mutualClientId, b.mutualClientId));
}
