/** Assignment rules (src/assign/plan.ts): capacity, language, office, load, order, continuity, reasons. */
import { describe, expect, it } from 'vitest';
import { planAssignments, type ClientToPlace, type PlanInput, type PriorAssignment, type RosterWorker } from '../../src/assign/plan.js';

const worker = (id: string, office: string, languages: string[], capacity: number): RosterWorker => ({
  id,
  name: `Worker ${id}`,
  email: `${id.toLowerCase()}@example.gov`,
  office,
  languages,
  capacity,
});

const client = (id: string, o: Partial<ClientToPlace> = {}): ClientToPlace => ({
  mutualClientId: id,
  priorityGroup: 4,
  office: 'OAKLAND',
  language: 'ENGLISH',
  caseNumbers: [`C-${id}`],
  previousIds: [],
  ...o,
});

const prior = (id: string, workerId: string | null, o: Partial<PriorAssignment> = {}): PriorAssignment => ({
  mutualClientId: id,
  status: workerId ? 'ASSIGNED' : 'UNASSIGNED',
  workerId,
  workerName: workerId ? `Worker ${workerId}` : null,
  workerEmail: null,
  workerOffice: 'OAKLAND',
  assignedOn: workerId ? '2026-01-05' : null,
  waitingSince: workerId ? null : '2026-01-05',
  ...o,
});

const plan = (o: Partial<PlanInput> & Pick<PlanInput, 'clients'>) =>
  planAssignments({
    runDate: '2026-01-06',
    roster: [],
    previous: new Map(),
    lastKnown: new Map(),
    languageBeforeOffice: true,
    keepFamilyTogether: true,
    ...o,
  });

const byId = (rows: ReturnType<typeof plan>) => new Map(rows.map((r) => [r.mutualClientId, r]));

describe('assigning mutual clients to Linkages workers', () => {
  it('never goes above capacity; the rest are unassigned with the reason', () => {
    const rows = plan({
      clients: ['A', 'B', 'C', 'D'].map((id) => client(id)),
      roster: [worker('W1', 'OAKLAND', ['ENGLISH'], 1), worker('W2', 'OAKLAND', ['ENGLISH'], 2)],
    });
    const load = new Map<string, number>();
    for (const r of rows) if (r.workerId) load.set(r.workerId, (load.get(r.workerId) ?? 0) + 1);
    expect(Object.fromEntries(load)).toEqual({ W1: 1, W2: 2 });
    const un = rows.filter((r) => r.status === 'UNASSIGNED');
    expect(un.map((r) => r.mutualClientId)).toEqual(['D']);
    expect(un[0]!.reason).toBe('no Linkages worker has room (2 on the roster, all at capacity)');
    expect(un[0]!.waitingSince).toBe('2026-01-06');
  });

  it('counts open mutual clients of earlier nights against capacity, and keeps their worker', () => {
    const rows = byId(
      plan({
        clients: [client('OLD1'), client('OLD2'), client('NEW')],
        roster: [worker('W1', 'OAKLAND', ['ENGLISH'], 2), worker('W2', 'OAKLAND', ['ENGLISH'], 5)],
        previous: new Map([
          ['OLD1', prior('OLD1', 'W1')],
          ['OLD2', prior('OLD2', 'W1')],
          // a mutual client of last night who is not mutual tonight frees its place: not in `clients`
          ['GONE', prior('GONE', 'W2')],
        ]),
      }),
    );
    expect(rows.get('OLD1')).toMatchObject({ how: 'KEPT', workerId: 'W1', assignedOn: '2026-01-05' });
    expect(rows.get('NEW')).toMatchObject({ how: 'MATCHED', workerId: 'W2' });
    expect(rows.get('NEW')!.reason).toContain('load 1 of 5');
  });

  it('a worker who speaks the family language wins over one of the same office; office when the language is spoken in both', () => {
    const roster = [
      worker('W1', 'OAKLAND', ['ENGLISH'], 5),
      worker('W2', 'SOUTH', ['SPANISH', 'ENGLISH'], 5),
      worker('W3', 'OAKLAND', ['SPANISH', 'ENGLISH'], 1),
    ];
    const rows = byId(plan({ clients: [client('A', { language: 'SPANISH' }), client('B', { language: 'SPANISH' }), client('C')], roster }));
    expect(rows.get('A')!.workerId).toBe('W3'); // Spanish and same office
    expect(rows.get('B')!.workerId).toBe('W2'); // W3 full: Spanish in another office beats English in the same office
    expect(rows.get('B')!.reason).toMatch(/^speaks SPANISH, other office \(SOUTH\): nobody with room in OAKLAND speaks SPANISH/);
    expect(rows.get('C')!.workerId).toBe('W1'); // English: same office
    // Office first when the county says so.
    const officeFirst = byId(plan({ clients: [client('A', { language: 'SPANISH' })], roster: roster.slice(0, 2), languageBeforeOffice: false }));
    expect(officeFirst.get('A')!.workerId).toBe('W1');
  });

  it('nobody with room speaks the language: the best other worker, saying so', () => {
    const rows = byId(plan({ clients: [client('A', { language: 'AMHARIC' })], roster: [worker('W1', 'OAKLAND', ['ENGLISH'], 3)] }));
    expect(rows.get('A')).toMatchObject({ workerId: 'W1' });
    expect(rows.get('A')!.reason).toMatch(/^no worker with room speaks AMHARIC, same office \(OAKLAND\)/);
  });

  it('ties go to the lowest load, then the lowest worker_id (deterministic)', () => {
    const roster = [worker('W2', 'OAKLAND', ['ENGLISH'], 9), worker('W1', 'OAKLAND', ['ENGLISH'], 9)];
    const rows = plan({ clients: ['A', 'B', 'C'].map((id) => client(id, { caseNumbers: [id] })), roster });
    expect(rows.map((r) => r.workerId)).toEqual(['W1', 'W2', 'W1']);
    expect(plan({ clients: ['A', 'B', 'C'].map((id) => client(id, { caseNumbers: [id] })), roster: [...roster].reverse() })).toEqual(rows);
  });

  it('takes Family Reunification first, then WTW SANCTIONED, NONCOMPLIANCE, others', () => {
    const rows = plan({
      clients: [client('A', { priorityGroup: 4 }), client('B', { priorityGroup: 3 }), client('C', { priorityGroup: 2 }), client('D', { priorityGroup: 1 })],
      roster: [worker('W1', 'OAKLAND', ['ENGLISH'], 2)],
    });
    const r = byId(rows);
    expect([...'DCBA'].map((id) => r.get(id)!.order)).toEqual([1, 2, 3, 4]);
    expect(r.get('D')!.status).toBe('ASSIGNED');
    expect(r.get('C')!.status).toBe('ASSIGNED');
    expect(r.get('B')!.status).toBe('UNASSIGNED');
    expect(r.get('A')!.status).toBe('UNASSIGNED');
  });

  it('a mutual client waiting since an earlier night goes before a new one of the same priority', () => {
    const rows = byId(
      plan({
        clients: [client('A'), client('Z')],
        roster: [worker('W1', 'OAKLAND', ['ENGLISH'], 1)],
        previous: new Map([['Z', prior('Z', null, { waitingSince: '2026-01-02' })]]),
      }),
    );
    expect(rows.get('Z')).toMatchObject({ status: 'ASSIGNED', workerId: 'W1' });
    expect(rows.get('A')).toMatchObject({ status: 'UNASSIGNED', waitingSince: '2026-01-06' });
  });

  it('a successor of a merge or split keeps the worker of the id it continues (registry lineage)', () => {
    const rows = byId(
      plan({
        clients: [client('NEWID', { previousIds: ['OLDID'], language: 'SPANISH' })],
        roster: [worker('W1', 'OAKLAND', ['SPANISH'], 5), worker('W9', 'SOUTH', ['ENGLISH'], 5)],
        previous: new Map([['OLDID', prior('OLDID', 'W9')]]),
      }),
    );
    expect(rows.get('NEWID')).toMatchObject({ how: 'INHERITED', workerId: 'W9' });
    expect(rows.get('NEWID')!.reason).toMatch(/^continues OLDID/);
  });

  it('keeps a family together: the other parent of the same case goes to the same worker', () => {
    const rows = byId(
      plan({
        clients: [client('MOM', { caseNumbers: ['CASE1'] }), client('DAD', { caseNumbers: ['CASE1'], language: 'SPANISH' })],
        roster: [worker('W1', 'OAKLAND', ['ENGLISH'], 5), worker('W2', 'OAKLAND', ['SPANISH'], 5)],
        previous: new Map([['MOM', prior('MOM', 'W1')]]),
      }),
    );
    expect(rows.get('DAD')).toMatchObject({ how: 'FAMILY', workerId: 'W1' });
    expect(rows.get('DAD')!.reason).toMatch(/^same family as MOM \(case CASE1\)/);
  });

  it('a worker who left the roster: the mutual client is placed again, saying why', () => {
    const rows = byId(
      plan({
        clients: [client('A')],
        roster: [worker('W2', 'OAKLAND', ['ENGLISH'], 5)],
        previous: new Map([['A', prior('A', 'W1')]]),
      }),
    );
    expect(rows.get('A')).toMatchObject({ workerId: 'W2', how: 'MATCHED' });
    expect(rows.get('A')!.reason).toMatch(/^previous worker W1 is no longer on the roster; /);
  });

  it('without a --workers roster, existing assignments stay and new mutual clients wait with the reason', () => {
    const rows = byId(plan({ clients: [client('A'), client('B')], roster: null, previous: new Map([['A', prior('A', 'W1')]]) }));
    expect(rows.get('A')).toMatchObject({ how: 'KEPT', workerId: 'W1' });
    expect(rows.get('B')).toMatchObject({ status: 'UNASSIGNED', reason: 'no Linkages workers roster (--workers) was given' });
  });
});
