/**
 * Stage `assign`: every mutual client of tonight gets a Linkages worker from
 * `--workers` (or is listed unassigned with the reason). The rules are in
 * plan.ts (pure); this module reads the night, runs the plan and stores it.
 *
 * Reads: mutual_clients (tonight), stg_workers, assignments (earlier nights).
 * Writes: assignments (tonight). Output: assignments.csv (outputs.ts).
 * Summary: `assignments`.
 */
import type { Db } from '../db/database.js';
import { dateLit } from '../db/sql.js';
import type { Stage } from '../pipeline/stage.js';
import { planAssignments, type ClientToPlace, type PlannedAssignment, type PriorAssignment, type RosterWorker } from './plan.js';
import { deleteAssignNight, ASSIGN_TABLES } from './tables.js';

export interface AssignSummary {
  mutual_clients: number;
  kept: number;
  newly_assigned: number;
  inherited: number;
  family: number;
  unassigned: number;
  workers: number;
  workers_at_capacity: number;
  roster_duplicates: number;
}

async function readClients(db: Db, runDate: string): Promise<ClientToPlace[]> {
  const rows = await db.all<{
    id: string;
    pg: number;
    office: string | null;
    language: string | null;
    cases: string[];
    prev: string[];
  }>(`
    SELECT mutual_client_id AS id, min(priority_group)::INTEGER AS pg, min(office) AS office, min(primary_language) AS language,
           list(DISTINCT case_number ORDER BY case_number) AS cases,
           list_sort(list_distinct(flatten(list(previous_ids)))) AS prev
    FROM mutual_clients WHERE run_date = ${dateLit(runDate)}
    GROUP BY mutual_client_id ORDER BY mutual_client_id`);
  return rows.map((r) => ({
    mutualClientId: r.id,
    priorityGroup: r.pg,
    office: r.office,
    language: r.language,
    caseNumbers: r.cases,
    previousIds: r.prev,
  }));
}

/** Tonight's roster: first row per worker_id (duplicates counted), languages split on `;` or `,`. */
async function readRoster(db: Db): Promise<{ roster: RosterWorker[]; duplicates: number }> {
  const rows = await db.all<{ id: string; name: string; email: string | null; office: string | null; languages: string | null; capacity: number; k: number }>(`
    SELECT worker_id AS id, worker_name AS name, worker_email AS email, upper(trim(office)) AS office, languages,
           greatest(capacity, 0)::INTEGER AS capacity,
           row_number() OVER (PARTITION BY worker_id ORDER BY source_line)::INTEGER AS k
    FROM stg_workers ORDER BY worker_id, k`);
  const roster = rows
    .filter((r) => r.k === 1)
    .map((r) => ({
      id: r.id,
      name: r.name,
      email: r.email,
      office: r.office,
      languages: (r.languages ?? '')
        .split(/[;,]/)
        .map((l) => l.trim().toUpperCase())
        .filter(Boolean),
      capacity: r.capacity,
    }));
  return { roster, duplicates: rows.length - roster.length };
}

async function readPrior(db: Db, where: string): Promise<Map<string, PriorAssignment>> {
  const rows = await db.all<{
    id: string;
    status: 'ASSIGNED' | 'UNASSIGNED';
    worker_id: string | null;
    worker_name: string | null;
    worker_email: string | null;
    worker_office: string | null;
    assigned_on: string | null;
    waiting_since: string | null;
  }>(`
    SELECT mutual_client_id AS id, status, worker_id, worker_name, worker_email, worker_office,
           strftime(assigned_on, '%Y-%m-%d') AS assigned_on, strftime(waiting_since, '%Y-%m-%d') AS waiting_since
    FROM assignments a SEMI JOIN tmp_assign_ids t ON t.id = a.mutual_client_id WHERE ${where}`);
  return new Map(
    rows.map((r) => [
      r.id,
      {
        mutualClientId: r.id,
        status: r.status,
        workerId: r.worker_id,
        workerName: r.worker_name,
        workerEmail: r.worker_email,
        workerOffice: r.worker_office,
        assignedOn: r.assigned_on,
        waitingSince: r.waiting_since,
      },
    ]),
  );
}

async function persist(db: Db, runDate: string, plan: PlannedAssignment[]): Promise<void> {
  await db.exec(`CREATE OR REPLACE TEMP TABLE tmp_assign_rows (
    mutual_client_id VARCHAR, status VARCHAR, how VARCHAR, worker_id VARCHAR, worker_name VARCHAR, worker_email VARCHAR,
    worker_office VARCHAR, assigned_on VARCHAR, waiting_since VARCHAR, reason VARCHAR, priority_group INTEGER, assign_order INTEGER)`);
  const appender = await db.connection.createAppender('tmp_assign_rows');
  try {
    const text = (v: string | null) => (v === null ? appender.appendNull() : appender.appendVarchar(v));
    for (const p of plan) {
      text(p.mutualClientId);
      text(p.status);
      text(p.how);
      text(p.workerId);
      text(p.workerName);
      text(p.workerEmail);
      text(p.workerOffice);
      text(p.assignedOn);
      text(p.waitingSince);
      text(p.reason);
      appender.appendInteger(p.priorityGroup);
      appender.appendInteger(p.order);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  await db.exec(`
    INSERT INTO assignments BY NAME
    SELECT ${dateLit(runDate)} AS run_date, mutual_client_id, status, how, worker_id, worker_name, worker_email, worker_office,
           CAST(assigned_on AS DATE) AS assigned_on, CAST(waiting_since AS DATE) AS waiting_since, reason, priority_group, assign_order
    FROM tmp_assign_rows ORDER BY mutual_client_id;
    DROP TABLE tmp_assign_rows;`);
}

export interface AssignOptions {
  runDate: string;
  previousRunDate: string | null;
  rosterGiven: boolean;
  languageBeforeOffice: boolean;
  keepFamilyTogether: boolean;
}

export async function assign(db: Db, o: AssignOptions): Promise<AssignSummary> {
  const d = dateLit(o.runDate);
  await deleteAssignNight(db, o.runDate);
  const clients = await readClients(db, o.runDate);
  // Prior assignments are read for tonight's mutual clients and the ids they continue only, not
  // every mutual client ever assigned (which grows with every night kept).
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_assign_ids AS
    SELECT mutual_client_id AS id FROM mutual_clients WHERE run_date = ${d}
    UNION SELECT unnest(previous_ids) FROM mutual_clients WHERE run_date = ${d}`);
  const { roster, duplicates } = await readRoster(db);
  const previous = o.previousRunDate ? await readPrior(db, `run_date = ${dateLit(o.previousRunDate)}`) : new Map();
  const lastKnown = await readPrior(
    db,
    `run_date < ${d} AND status = 'ASSIGNED' QUALIFY row_number() OVER (PARTITION BY mutual_client_id ORDER BY run_date DESC) = 1`,
  );
  await db.exec(`DROP TABLE tmp_assign_ids`);
  const plan = planAssignments({
    runDate: o.runDate,
    clients,
    roster: o.rosterGiven ? roster : null,
    previous,
    lastKnown,
    languageBeforeOffice: o.languageBeforeOffice,
    keepFamilyTogether: o.keepFamilyTogether,
  });
  await persist(db, o.runDate, plan);

  const load = new Map<string, number>();
  for (const p of plan) if (p.workerId) load.set(p.workerId, (load.get(p.workerId) ?? 0) + 1);
  const count = (how: string) => plan.filter((p) => p.how === how).length;
  return {
    mutual_clients: plan.length,
    kept: count('KEPT'),
    newly_assigned: plan.filter((p) => p.status === 'ASSIGNED' && p.how !== 'KEPT').length,
    inherited: count('INHERITED'),
    family: count('FAMILY'),
    unassigned: count('UNASSIGNED'),
    workers: roster.length,
    workers_at_capacity: roster.filter((w) => (load.get(w.id) ?? 0) >= w.capacity).length,
    roster_duplicates: duplicates,
  };
}

export const assignStage: Stage = {
  name: 'assign',
  description: 'each new mutual client to a Linkages worker with room (office, language, load), or listed unassigned with the reason',
  built: true,
  writes: ASSIGN_TABLES,
  async run(ctx) {
    const s = await assign(ctx.db, {
      runDate: ctx.runDate,
      previousRunDate: ctx.previousRunDate,
      rosterGiven: ctx.inputs.workers !== undefined,
      languageBeforeOffice: ctx.config.assign.language_before_office,
      keepFamilyTogether: ctx.config.assign.keep_family_together,
    });
    ctx.summary.assignments = s;
    if (s.roster_duplicates) ctx.log.warn('assign: workers listed twice in --workers; the first row of each is used', { rows: s.roster_duplicates });
    if (s.unassigned) ctx.log.warn('assign: mutual clients without a Linkages worker (the coordinator is notified)', { unassigned: s.unassigned });
    ctx.log.info('assign: done', { kept: s.kept, newly_assigned: s.newly_assigned, unassigned: s.unassigned });
  },
};
