/**
 * Tiers, mutual clients, screening and events on a small hand-made county
 * (snapshots and clusters written directly), through the stages' SQL.
 */
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/index.js';
import { assign } from '../../src/assign/index.js';
import { notify } from '../../src/notify/index.js';
import { parseConfig } from '../../src/config/load.js';
import type { Db } from '../../src/db/database.js';
import { lit } from '../../src/db/sql.js';
import { silentLogger } from '../../src/runtime/logger.js';
import type { ConfigInput } from '../../schemas/config.js';
import { withConnection } from '../helpers/db.js';

const D1 = '2026-03-02';
const D2 = '2026-03-03';
type Row = Record<string, string | number | boolean | null>;

async function insert(db: Db, table: string, night: string, rows: Row[]): Promise<void> {
  let line = 1;
  for (const r of rows) {
    const cols = ['run_date', 'source_line', 'extract_date', ...Object.keys(r)];
    const vals = [`DATE '${night}'`, String(++line), `DATE '${night}'`, ...Object.values(r).map((v) => lit(v))];
    await db.exec(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${vals.join(', ')})`);
  }
}

const cw = (case_number: string, person_id: string, o: Row = {}): Row => ({
  case_number,
  person_id,
  person_role: 'PARENT',
  case_status: 'ACTIVE',
  office: 'OAKLAND',
  worker_id: 'EW1',
  worker_name: 'Eli Worker',
  worker_email: 'ew1@ssa.gov',
  ...o,
});
const cws = (client_id: string, referral_id: string, referral_date: string, o: Row = {}): Row => ({
  client_id,
  referral_id,
  referral_date,
  client_role: 'PARENT',
  sensitivity: 'NONE',
  worker_id: 'SW1',
  worker_name: 'Sam Social',
  worker_email: 'sw1@cfs.gov',
  office: 'OAKLAND',
  ...o,
});
const openCase = (case_id: string, component: string, o: Row = {}): Row => ({
  case_id,
  service_component: component,
  case_status: 'OPEN',
  case_open_date: '2025-12-01',
  ...o,
});

/** Night 1 of the little county. */
function night1(): { calworks: Row[]; cws: Row[]; links: [string, string, string][] } {
  return {
    calworks: [
      cw('C1', 'P1', { cfs_plan_hours: 10, wtw_plan_hours: 25, wtw_status: 'SANCTIONED', street_address: '12 Main Street', city: 'Oakland', zip: '94601' }),
      cw('C1', 'K1', { person_role: 'CHILD', dob: '2023-05-01' }),
      cw('C2', 'P2'),
      cw('C3', 'P3', { case_status: 'PENDING', homeless: true, worker_id: null, worker_name: null, worker_email: null, office: 'SOUTH' }),
      cw('C4', 'P4'),
      cw('C5', 'P5', { case_status: 'DISCONTINUED', fr_services: true, street_address: '5 Elm Avenue Apt 4', city: 'Hayward', zip: '94541' }),
      cw('C6', 'P6', { case_status: 'DENIED' }),
      cw('C7', 'P7'),
      cw('C8', 'P8'),
    ],
    cws: [
      cws('X1', 'R1', '2025-11-20', openCase('K1', 'FR')),
      cws('XC1', 'R1', '2025-11-20', { ...openCase('K1', 'FR'), client_role: 'CHILD' }),
      cws('X2', 'R2', '2025-08-14', { referral_disposition: 'INCONCLUSIVE', dr_path: '2', service_component: 'ER' }),
      cws('X2', 'R2OLD', '2024-12-01', { referral_disposition: 'UNFOUNDED' }),
      cws('X5', 'R5', '2024-01-10', { referral_disposition: 'SUBSTANTIATED' }),
      cws('X7', 'R7', '2026-02-01', { ...openCase('K7', 'FM'), sensitivity: 'SENSITIVE' }),
      cws('X8', 'R8', '2025-10-01', openCase('K8', 'PP')),
      cws('X9', 'R9', '2026-01-15', { sensitivity: 'SEALED' }),
      cws('X10', 'R10', '2026-02-20', { first_name: 'ANA', last_name: 'LOPEZ', phone: '5105550101' }),
      cws('X11', 'R11', '2026-02-21', { first_name: 'BO', last_name: 'CHEN', sensitivity: 'SENSITIVE' }),
    ],
    links: [
      ['MC1', 'P1', 'X1'],
      ['MC2', 'P2', 'X2'],
      ['MC5', 'P5', 'X5'],
      ['MC7', 'P7', 'X7'],
      ['MC8', 'P8', 'X8'],
    ],
  };
}

async function loadNight(db: Db, night: string, n: ReturnType<typeof night1>): Promise<void> {
  await insert(db, 'snap_calworks', night, n.calworks);
  await insert(db, 'snap_cws', night, n.cws);
  for (const [mc, p, x] of n.links) {
    await db.exec(`INSERT INTO clusters VALUES (DATE '${night}', '${mc}', 'CALWORKS', '${p}'), (DATE '${night}', '${mc}', 'CWS', '${x}')`);
  }
  await db.exec(`CREATE OR REPLACE VIEW stg_workers AS SELECT * FROM snap_workers WHERE run_date = DATE '${night}'`);
}

async function runNight(db: Db, night: string, previous: string | null, cfg: ConfigInput = {}) {
  const config = parseConfig(cfg);
  const c = await classify(db, night, previous, config);
  await assign(db, { runDate: night, previousRunDate: previous, rosterGiven: true, languageBeforeOffice: true, keepFamilyTogether: true });
  const n = await notify(db, night, previous, config, silentLogger);
  return { c, n };
}

const tiersOf = async (db: Db, night: string) =>
  Object.fromEntries(
    (
      await db.all<{ case_number: string; tier: string; reasons: string }>(
        `SELECT case_number, tier, reasons FROM tiers WHERE run_date = DATE '${night}' ORDER BY 1`,
      )
    ).map((r) => [r.case_number, `${r.tier}: ${r.reasons}`]),
  );

describe('tiers', () => {
  it('follow the default rules, first that holds, each with its reasons', async () => {
    await withConnection(async (db) => {
      await loadNight(db, D1, night1());
      await runNight(db, D1, null);
      expect(await tiersOf(db, D1)).toEqual({
        C1: 'MUTUAL: parent P1 = CWS client X1: open FR case K1',
        C2: 'EARLY_INTERVENTION: parent P2 = CWS client X2: referral R2 of 2025-08-14 (INCONCLUSIVE, DR path 2)',
        C3: 'EARLY_INTERVENTION: parent P3: homeless = Y',
        C4: 'PREVENTION: open CalWORKs case; no linked child-welfare involvement and no risk flag',
        C5: 'MUTUAL: parent P5 = CWS client X5: CalWORKs FR services',
        C7: 'MUTUAL: parent P7: child-welfare involvement (sensitive: contact the Linkages coordinator)',
        C8: 'PREVENTION: open CalWORKs case; no linked child-welfare involvement and no risk flag',
      });
    });
  });

  it('a SENSITIVE parent with two open cases has its masked reason once', async () => {
    await withConnection(async (db) => {
      const n = night1();
      n.cws.push(cws('X7', 'R7B', '2026-02-10', { ...openCase('K7B', 'FR'), sensitivity: 'SENSITIVE' }));
      await loadNight(db, D1, n);
      await runNight(db, D1, null);
      expect((await tiersOf(db, D1)).C7).toBe('MUTUAL: parent P7: child-welfare involvement (sensitive: contact the Linkages coordinator)');
    });
  });

  it('rules come from the config: components, look-back window, risk flags', async () => {
    await withConnection(async (db) => {
      await loadNight(db, D1, night1());
      await runNight(db, D1, null, {
        tiers: { lookback_days: 30, mutual: { service_components: ['FM', 'FR', 'PP'] }, early_intervention: { risk_flags: ['domestic_abuse'] } },
      });
      const t = await tiersOf(db, D1);
      expect(t.C8).toBe('MUTUAL: parent P8 = CWS client X8: open PP case K8');
      expect(t.C2).toMatch(/^PREVENTION/); // R2 is older than 30 days
      expect(t.C3).toMatch(/^PREVENTION/); // homeless no longer counts
    });
  });

  it('mutual clients, hours, the screening list; SEALED clients nowhere, SENSITIVE ones without details', async () => {
    await withConnection(async (db) => {
      await loadNight(db, D1, night1());
      const { c } = await runNight(db, D1, null);
      expect(c.classify).toMatchObject({ mutual_clients: 3, new_mutual_clients: 3, over_scheduled: 1, sealed_cws_clients: 1, screening: 2 });
      const mcs = await db.all<Row>(
        `SELECT mutual_client_id, case_number, calworks_person_id, required_hours, over_scheduled, priority_group, sensitive FROM mutual_clients ORDER BY 1`,
      );
      expect(mcs).toEqual([
        { mutual_client_id: 'MC1', case_number: 'C1', calworks_person_id: 'P1', required_hours: 20, over_scheduled: true, priority_group: 1, sensitive: false },
        {
          mutual_client_id: 'MC5',
          case_number: 'C5',
          calworks_person_id: 'P5',
          required_hours: 30,
          over_scheduled: false,
          priority_group: 1,
          sensitive: false,
        },
        { mutual_client_id: 'MC7', case_number: 'C7', calworks_person_id: 'P7', required_hours: 30, over_scheduled: false, priority_group: 4, sensitive: true },
      ]);
      const screening = await db.all<Row>(`SELECT referral_id, client_id, last_name, sensitive FROM calworks_screening ORDER BY 1`);
      expect(screening).toEqual([
        { referral_id: 'R10', client_id: 'X10', last_name: 'LOPEZ', sensitive: false },
        { referral_id: 'R11', client_id: 'X11', last_name: null, sensitive: true },
      ]);
    });
  });
});

describe('events', () => {
  it('baseline: NEW_MUTUAL_CLIENT and OVER_SCHEDULED only; the next night: exactly the changes, compared as parsed values', async () => {
    await withConnection(async (db) => {
      const n1 = night1();
      await loadNight(db, D1, n1);
      const first = await runNight(db, D1, null);
      expect(first.n.summary.baseline).toBe(true);
      const baseline = await db.all<Row>(`SELECT event_type, case_number, subject FROM event_ledger ORDER BY ALL`);
      expect(baseline).toEqual([
        { event_type: 'NEW_MUTUAL_CLIENT', case_number: 'C1', subject: 'P1' },
        { event_type: 'NEW_MUTUAL_CLIENT', case_number: 'C5', subject: 'P5' },
        { event_type: 'NEW_MUTUAL_CLIENT', case_number: 'C7', subject: 'P7' },
        { event_type: 'OVER_SCHEDULED', case_number: 'C1', subject: 'P1' },
      ]);
      // The CalWORKs worker of a SENSITIVE client is told only to contact the coordinator;
      // C3 has no CalWORKs worker and SOUTH no regional contact: the coordinator.
      const c7 = await db.all<{ recipient_role: string; details: string }>(
        `SELECT recipient_role, details FROM notifications WHERE case_number = 'C7' ORDER BY recipient_role`,
      );
      // No coordinator configured: the role alone, not "(Linkages coordinator)" after it.
      expect(c7.find((r) => r.recipient_role === 'CALWORKS_WORKER')!.details).toBe('Sensitive child-welfare record: contact the Linkages coordinator.');
      expect(c7.find((r) => r.recipient_role === 'CWS_WORKER')!.details).toContain('X7');

      // Night 2: a removal, a new referral, a case closed, a move; the same address written
      // differently, dates and statuses unchanged elsewhere.
      const n2 = night1();
      n2.cws = n2.cws.map((r) => (r.client_id === 'XC1' ? { ...r, removal_date: '2026-03-03' } : r));
      n2.cws.push(cws('X2', 'R2NEW', '2026-03-03', { referral_disposition: 'PENDING' }));
      n2.cws = n2.cws.map((r) => (r.case_id === 'K7' ? { ...r, case_status: 'CLOSED', case_close_date: '2026-03-03' } : r));
      n2.calworks = n2.calworks.map((r) =>
        r.person_id === 'P1'
          ? { ...r, street_address: '400 Oak St', zip: '94602' }
          : r.person_id === 'P5'
            ? { ...r, street_address: '5 ELM AVE., #4', city: 'HAYWARD' }
            : r.person_id === 'P4'
              ? { ...r, case_status: 'DISCONTINUED' } // unlinked: no event
              : r,
      );
      await loadNight(db, D2, n2);
      const second = await runNight(db, D2, D1);
      const events = await db.all<Row>(`SELECT event_type, case_number, subject FROM event_ledger WHERE run_date = DATE '${D2}' ORDER BY ALL`);
      expect(events).toEqual([
        { event_type: 'CHILD_REMOVED', case_number: 'C1', subject: 'XC1' },
        { event_type: 'CWS_CASE_CLOSED', case_number: 'C7', subject: 'K7' },
        { event_type: 'NEW_REFERRAL', case_number: 'C2', subject: 'R2NEW' },
        { event_type: 'SIGNIFICANT_CHANGE', case_number: 'C1', subject: 'ADDRESS' },
        { event_type: 'TIER_CHANGED', case_number: 'C7', subject: 'MUTUAL>EARLY_INTERVENTION' },
      ]);
      expect(second.n.summary.baseline).toBe(false);
      // SENSITIVE: a child-welfare fact about C7 does not go to CalWORKs staff at all.
      const roles = await db.all<{ r: string }>(
        `SELECT recipient_role AS r FROM notifications WHERE run_date = DATE '${D2}' AND event_type = 'CWS_CASE_CLOSED' ORDER BY 1`,
      );
      expect(roles.map((x) => x.r)).toEqual(['CWS_WORKER', 'LINKAGES_COORDINATOR']);
      // Rows a worker can act on: the person by name and case number, a readable subject; the tier
      // pair of a SENSITIVE client (it tells an open child-welfare case) withheld from CalWORKs staff.
      const rows = await db.all<Row>(
        `SELECT event_type, recipient_role, person_label, subject_label, subject_key FROM notifications
         WHERE run_date = DATE '${D2}' AND recipient_role IN ('CALWORKS_WORKER', 'CWS_WORKER') ORDER BY ALL`,
      );
      expect(rows).toContainEqual({
        event_type: 'NEW_REFERRAL',
        recipient_role: 'CWS_WORKER',
        person_label: 'CalWORKs case C2',
        subject_label: 'referral R2NEW',
        subject_key: 'R2NEW',
      });
      expect(rows).toContainEqual({
        event_type: 'CHILD_REMOVED',
        recipient_role: 'CALWORKS_WORKER',
        person_label: 'CalWORKs case C1',
        subject_label: 'child XC1',
        subject_key: 'XC1',
      });
      expect(rows).toContainEqual({
        event_type: 'TIER_CHANGED',
        recipient_role: 'CALWORKS_WORKER',
        person_label: 'CalWORKs case C7',
        subject_label: 'Linkages tier',
        subject_key: '',
      });
      expect(rows).toContainEqual({
        event_type: 'TIER_CHANGED',
        recipient_role: 'CWS_WORKER',
        person_label: 'CalWORKs case C7',
        subject_label: 'Linkages tier MUTUAL to EARLY_INTERVENTION',
        subject_key: 'MUTUAL>EARLY_INTERVENTION',
      });

      // Re-running night 2 gives the same ids; night 1's ids never come back.
      const ids = async () =>
        (await db.all<{ id: string }>(`SELECT event_id AS id FROM event_ledger WHERE run_date = DATE '${D2}' ORDER BY 1`)).map((r) => r.id);
      const before = await ids();
      await runNight(db, D2, D1);
      expect(await ids()).toEqual(before);
      const overlap = await db.count(
        `SELECT count(*) FROM event_ledger a JOIN event_ledger b USING (event_id) WHERE a.run_date = DATE '${D1}' AND b.run_date = DATE '${D2}'`,
      );
      expect(overlap).toBe(0);
    });
  });
});
