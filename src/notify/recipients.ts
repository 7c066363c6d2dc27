/**
 * Who receives each of tonight's events (tmp_ev) -> notifications rows.
 *
 *   CalWORKs side      the case's CalWORKs worker; when unknown, the regional
 *                      contact of the case's office (--contacts); when the
 *                      office has none, the Linkages coordinator
 *   child-welfare side the worker of the referral or case the event is about
 *                      (or of the linked parent's open case, else latest
 *                      referral); when unknown, the coordinator
 *   Linkages side      the Linkages worker of each mutual client of the case
 *                      (tonight's, or last night's for a case that stopped
 *                      being MUTUAL); an unassigned one: the coordinator
 *
 * SENSITIVE child-welfare clients: CalWORKs staff get no child-welfare
 * detail. Events that are child-welfare facts (a referral, a removal, a
 * case opened or closed) do not go to them at all; the others reach them as
 * "contact the Linkages coordinator". One row per event and recipient; a
 * recipient reached in several roles gets one row listing the roles.
 */
import type { Db } from '../db/database.js';
import { dateLit, lit, litList } from '../db/sql.js';
import { fx } from '../facts/nightFacts.js';
import type { Config } from '../../schemas/config.js';
import { CHILD_WELFARE_ORIGIN } from './rules.js';

export const DEFAULT_COORDINATOR_NAME = 'Linkages coordinator';

/** File name of a recipient's list: a role prefix and the recipient's id, never a person's name. */
const SLUG_MACRO = `
CREATE OR REPLACE TEMP MACRO lk_slug(prefix, id) AS
  prefix || '-' || CASE WHEN regexp_full_match(id, '[A-Za-z0-9_-]{1,40}') THEN id
                        ELSE regexp_replace(left(id, 24), '[^A-Za-z0-9_-]', '_', 'g') || '-' || substr(md5(id), 1, 8) END`;

/** The coordinator as configured: name (unless the default), phone, e-mail; '' when none is set. */
export function coordinatorContact(coordinator: Config['notify']['coordinator']): string {
  const name = coordinator.name.trim() === DEFAULT_COORDINATOR_NAME ? '' : coordinator.name;
  return [name, coordinator.phone, coordinator.email]
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .join(', ');
}

/**
 * What CalWORKs staff read instead of a SENSITIVE record's details: the
 * coordinator's name, phone and e-mail as configured (only the ones set; the
 * default name is the role itself, so it is not repeated).
 */
export function sensitiveText(coordinator: Config['notify']['coordinator']): string {
  const contact = coordinatorContact(coordinator);
  return `Sensitive child-welfare record: contact the Linkages coordinator${contact ? `, ${contact}` : ''}.`;
}

/** The readable `subject` of the notification files: what the event is about, named by kind and id. */
const SUBJECT_LABEL_SQL = `CASE e.event_type
    WHEN 'NEW_MUTUAL_CLIENT' THEN 'CalWORKs person ' || e.subject
    WHEN 'OVER_SCHEDULED' THEN 'CalWORKs person ' || e.subject
    WHEN 'NEW_REFERRAL' THEN 'referral ' || e.subject
    WHEN 'CHILD_REMOVED' THEN 'child ' || e.subject
    WHEN 'CWS_CASE_OPENED' THEN 'child-welfare case ' || e.subject
    WHEN 'CWS_CASE_CLOSED' THEN 'child-welfare case ' || e.subject
    WHEN 'CALWORKS_DISCONTINUED' THEN 'CalWORKs case ' || e.subject
    WHEN 'SIGNIFICANT_CHANGE' THEN lower(e.subject)
    WHEN 'TIER_CHANGED' THEN 'Linkages tier ' || replace(e.subject, '>', ' to ')
    ELSE e.subject END`;

/**
 * tmp_ev_person: per event, the person a worker on either side can look up
 * (WIC 18961.5: name and case number): the CalWORKs parent(s) the event is
 * about (the mutual client, else the case's linked parents, else its
 * parents), by the name CalWORKs has for them, and the CalWORKs case.
 */
async function labelPersons(db: Db, d: string, p: string): Promise<void> {
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_ev_person AS
    WITH linked AS (SELECT DISTINCT case_number, person_id FROM ${fx('linked_parents', 't')}),
    parents AS (SELECT DISTINCT case_number, person_id FROM ${fx('cw_members', 't')} WHERE role = 'PARENT'),
    who AS (
      SELECT e.event_id, e.subject AS person_id FROM tmp_ev e WHERE e.event_type IN ('NEW_MUTUAL_CLIENT', 'OVER_SCHEDULED')
      UNION
      SELECT e.event_id, l.person_id FROM tmp_ev e JOIN linked l USING (case_number)
      WHERE e.event_type NOT IN ('NEW_MUTUAL_CLIENT', 'OVER_SCHEDULED')
      UNION
      SELECT e.event_id, pa.person_id FROM tmp_ev e JOIN parents pa USING (case_number)
      WHERE e.event_type NOT IN ('NEW_MUTUAL_CLIENT', 'OVER_SCHEDULED') AND e.case_number NOT IN (SELECT case_number FROM linked)
    ),
    names AS (
      SELECT person_id, arg_max(nullif(trim(concat_ws(' ', trim(first_name), trim(last_name))), ''), run_date) AS name
      FROM snap_calworks WHERE run_date IN (${d}, ${p}) AND person_id IN (SELECT person_id FROM who) GROUP BY person_id
    )
    SELECT e.event_id,
           coalesce(string_agg(DISTINCT n.name, ' and ' ORDER BY n.name) || ', ', '') || 'CalWORKs case ' || e.case_number AS person_label
    FROM tmp_ev e LEFT JOIN who w USING (event_id) LEFT JOIN names n USING (person_id)
    GROUP BY e.event_id, e.case_number`);
}

export async function persistNotifications(
  db: Db,
  runDate: string,
  previousRunDate: string | null,
  coordinator: Config['notify']['coordinator'],
): Promise<void> {
  const d = dateLit(runDate);
  const p = previousRunDate ? dateLit(previousRunDate) : 'NULL';
  await db.exec(SLUG_MACRO);
  const hasLast = previousRunDate !== null && (await db.tableExists(fx('cw_cases', 'l')));
  const cwCases = `(
    SELECT case_number, worker_id, worker_name, worker_email, upper(trim(office)) AS office FROM ${fx('cw_cases', 't')}
    ${
      hasLast
        ? `UNION ALL SELECT case_number, worker_id, worker_name, worker_email, upper(trim(office)) FROM ${fx('cw_cases', 'l')}
                 WHERE case_number NOT IN (SELECT case_number FROM ${fx('cw_cases', 't')})`
        : ''
    })`;
  const contacts = `(
    SELECT upper(trim(office)) AS office, min(struct_pack(name := contact_name, email := contact_email)) AS c
    FROM snap_contacts WHERE run_date = ${d} GROUP BY 1)`;
  const assignmentsOf = `(
    SELECT mutual_client_id, status, worker_id, worker_name, worker_email, reason FROM assignments WHERE run_date = ${d}
    UNION ALL
    SELECT mutual_client_id, status, worker_id, worker_name, worker_email, reason FROM assignments
    WHERE run_date = ${p} AND mutual_client_id NOT IN (SELECT mutual_client_id FROM assignments WHERE run_date = ${d}))`;

  await db.exec(`
    CREATE OR REPLACE TEMP TABLE tmp_recipients AS
    -- CalWORKs side
    SELECT e.event_id,
           CASE WHEN cw.worker_id IS NOT NULL OR cw.worker_email IS NOT NULL THEN 'CALWORKS_WORKER'
                WHEN ct.c IS NOT NULL THEN 'REGIONAL_CONTACT' ELSE 'LINKAGES_COORDINATOR' END AS role,
           CASE WHEN cw.worker_id IS NOT NULL OR cw.worker_email IS NOT NULL THEN 'calworks:' || coalesce(cw.worker_id, 'email:' || lower(cw.worker_email))
                WHEN ct.c IS NOT NULL THEN 'contact:' || cw.office ELSE 'coordinator' END AS key,
           CASE WHEN cw.worker_id IS NOT NULL OR cw.worker_email IS NOT NULL THEN cw.worker_id WHEN ct.c IS NOT NULL THEN cw.office END AS rid,
           CASE WHEN cw.worker_id IS NOT NULL OR cw.worker_email IS NOT NULL THEN cw.worker_name WHEN ct.c IS NOT NULL THEN ct.c.name ELSE ${lit(coordinator.name)} END AS rname,
           CASE WHEN cw.worker_id IS NOT NULL OR cw.worker_email IS NOT NULL THEN cw.worker_email WHEN ct.c IS NOT NULL THEN ct.c.email ELSE ${lit(coordinator.email || null)} END AS remail,
           CASE WHEN cw.worker_id IS NOT NULL THEN lk_slug('calworks', cw.worker_id)
                WHEN cw.worker_email IS NOT NULL THEN 'calworks-' || substr(md5(lower(cw.worker_email)), 1, 12)
                WHEN ct.c IS NOT NULL THEN lk_slug('contact', cw.office) ELSE 'coordinator' END AS rfile,
           CASE WHEN cw.worker_id IS NULL AND cw.worker_email IS NULL AND ct.c IS NULL
                THEN 'No CalWORKs worker on record and no regional contact for office ' || coalesce(cw.office, '(none)') || '. ' ELSE '' END AS note,
           e.sensitive AND (cw.worker_id IS NOT NULL OR cw.worker_email IS NOT NULL OR ct.c IS NOT NULL) AS masked
    FROM tmp_ev e
    LEFT JOIN ${cwCases} cw USING (case_number)
    LEFT JOIN ${contacts} ct ON ct.office = cw.office
    WHERE NOT (e.sensitive AND e.event_type IN (${litList(CHILD_WELFARE_ORIGIN)}))
    UNION ALL
    -- child-welfare side
    SELECT e.event_id,
           CASE WHEN e.cws_worker.id IS NOT NULL OR e.cws_worker.email IS NOT NULL THEN 'CWS_WORKER' ELSE 'LINKAGES_COORDINATOR' END,
           CASE WHEN e.cws_worker.id IS NOT NULL OR e.cws_worker.email IS NOT NULL
                THEN 'cws:' || coalesce(e.cws_worker.id, 'email:' || lower(e.cws_worker.email)) ELSE 'coordinator' END,
           CASE WHEN e.cws_worker.id IS NOT NULL OR e.cws_worker.email IS NOT NULL THEN e.cws_worker.id END,
           CASE WHEN e.cws_worker.id IS NOT NULL OR e.cws_worker.email IS NOT NULL THEN e.cws_worker.name ELSE ${lit(coordinator.name)} END,
           CASE WHEN e.cws_worker.id IS NOT NULL OR e.cws_worker.email IS NOT NULL THEN e.cws_worker.email ELSE ${lit(coordinator.email || null)} END,
           CASE WHEN e.cws_worker.id IS NOT NULL THEN lk_slug('cws', e.cws_worker.id)
                WHEN e.cws_worker.email IS NOT NULL THEN 'cws-' || substr(md5(lower(e.cws_worker.email)), 1, 12) ELSE 'coordinator' END,
           CASE WHEN e.cws_worker.id IS NULL AND e.cws_worker.email IS NULL THEN 'No child-welfare worker on record. ' ELSE '' END,
           FALSE
    FROM tmp_ev e WHERE e.involves_cws
    UNION ALL
    -- Linkages side
    SELECT x.event_id,
           CASE WHEN a.status = 'ASSIGNED' THEN 'LINKAGES_WORKER' ELSE 'LINKAGES_COORDINATOR' END,
           CASE WHEN a.status = 'ASSIGNED' THEN 'linkages:' || a.worker_id ELSE 'coordinator' END,
           CASE WHEN a.status = 'ASSIGNED' THEN a.worker_id END,
           CASE WHEN a.status = 'ASSIGNED' THEN a.worker_name ELSE ${lit(coordinator.name)} END,
           CASE WHEN a.status = 'ASSIGNED' THEN a.worker_email ELSE ${lit(coordinator.email || null)} END,
           CASE WHEN a.status = 'ASSIGNED' THEN lk_slug('linkages', a.worker_id) ELSE 'coordinator' END,
           CASE WHEN a.status = 'ASSIGNED' THEN ''
                ELSE 'Mutual client ' || x.mc || ' has no Linkages worker (' || coalesce(a.reason, 'not assigned') || '). ' END,
           FALSE
    FROM (SELECT event_id, unnest(mc_ids) AS mc FROM tmp_ev) x
    LEFT JOIN ${assignmentsOf} a ON a.mutual_client_id = x.mc;
  `);

  await labelPersons(db, d, p);
  // A recipient reached in several roles gets one row; its notes (why it, not a worker, receives it) are
  // distinct sentences, each once.
  await db.exec(`
    INSERT INTO notifications (run_date, event_id, event_type, priority, due_date, recipient_role, recipient_key, recipient_id,
      recipient_name, recipient_email, recipient_file, mutual_client_id, case_number, subject, details, person_label, subject_label, subject_key)
    SELECT ${d}, e.event_id, e.event_type, e.priority, e.due_date,
           string_agg(DISTINCT r.role, ';' ORDER BY r.role), r.key, min(r.rid), min(r.rname), min(r.remail), min(r.rfile),
           e.mutual_client_id, e.case_number, e.subject,
           coalesce(string_agg(DISTINCT nullif(r.note, ''), '' ORDER BY nullif(r.note, '')), '')
             || CASE WHEN bool_and(r.masked) THEN ${lit(sensitiveText(coordinator))} ELSE e.details END,
           any_value(pl.person_label),
           -- a tier pair tells whether a family has an open child-welfare case: not for CalWORKs staff of a SENSITIVE client
           CASE WHEN bool_and(r.masked) AND e.event_type = 'TIER_CHANGED' THEN 'Linkages tier' ELSE ${SUBJECT_LABEL_SQL} END,
           CASE WHEN bool_and(r.masked) AND e.event_type = 'TIER_CHANGED' THEN '' ELSE e.subject END
    FROM tmp_recipients r JOIN tmp_ev e USING (event_id) LEFT JOIN tmp_ev_person pl USING (event_id)
    GROUP BY e.event_id, e.event_type, e.priority, e.due_date, r.key, e.mutual_client_id, e.case_number, e.subject, e.details
    ORDER BY e.priority, e.due_date, e.event_id, r.key;
    DROP TABLE tmp_recipients; DROP TABLE tmp_ev_person;`);
}
