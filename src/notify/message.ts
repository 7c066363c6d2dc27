/**
 * One recipient's e-mail of the night, from their notification rows (pure):
 * a subject with the county's prefix, the count and the earliest due date,
 * and the same list as plain text and HTML, most urgent first, each item
 * with the person (name and case number), what happened, what to do and by
 * when. Rows withheld from CalWORKs staff for a SENSITIVE client say only
 * whom to contact; nothing here adds a detail the row does not carry.
 */
import type { EventType } from './rules.js';

export interface MailRow {
  event_id: string;
  event_type: string;
  priority: number;
  due_date: string;
  case_number: string;
  person_label: string | null;
  subject: string;
  details: string;
  recipient_role: string;
}

export interface MailRecipient {
  key: string;
  file: string;
  name: string | null;
  email: string | null;
}

export interface ComposedMessage {
  subject: string;
  text: string;
  html: string;
}

export const SENSITIVE_PREFIX = 'Sensitive child-welfare record:';

const EVENT_LABEL: Record<EventType, string> = {
  CHILD_REMOVED: 'Child removed',
  NEW_REFERRAL: 'New child-welfare referral',
  NEW_MUTUAL_CLIENT: 'New mutual client',
  CWS_CASE_OPENED: 'Child-welfare case opened',
  CALWORKS_DISCONTINUED: 'CalWORKs case discontinued',
  OVER_SCHEDULED: 'Over-scheduled',
  CWS_CASE_CLOSED: 'Child-welfare case closed',
  SIGNIFICANT_CHANGE: 'Significant change',
  TIER_CHANGED: 'Linkages tier changed',
};

/** What the recipient is asked to do, per event type. */
export const EVENT_ACTION: Record<EventType, string> = {
  CHILD_REMOVED: "Review the family's CalWORKs eligibility and Family Reunification services with the other workers.",
  NEW_REFERRAL: 'Talk with the child-welfare worker about the family and its CalWORKs case plan.',
  NEW_MUTUAL_CLIENT: "Contact the other agency's worker and agree on one coordinated case plan.",
  CWS_CASE_OPENED: 'Coordinate the CalWORKs and child-welfare case plans with the other workers.',
  CALWORKS_DISCONTINUED: 'Tell the child-welfare worker and check whether the family can keep aid (e.g. FR services).',
  OVER_SCHEDULED: 'Count the child-welfare case-plan hours toward WTW and adjust the WTW plan.',
  CWS_CASE_CLOSED: "Review the family's CalWORKs case plan now that the child-welfare case is closed.",
  SIGNIFICANT_CHANGE: "Confirm the change with the family and the other agency's worker.",
  TIER_CHANGED: "Review the family's Linkages services for its new tier.",
};

const ROLE_LABEL: Record<string, string> = {
  CALWORKS_WORKER: 'CalWORKs worker',
  REGIONAL_CONTACT: 'regional contact',
  CWS_WORKER: 'child-welfare worker',
  LINKAGES_WORKER: 'Linkages worker',
  LINKAGES_COORDINATOR: 'Linkages coordinator',
};

const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
export function withWeekday(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? isoDate : `${WEEKDAY[d.getUTCDay()]} ${isoDate}`;
}

export const isWithheld = (row: MailRow) => row.details.startsWith(SENSITIVE_PREFIX);

function labelOf(type: string): string {
  return EVENT_LABEL[type as EventType] ?? type;
}

function actionOf(row: MailRow): string {
  if (isWithheld(row)) return 'Contact the Linkages coordinator before acting on this case.';
  return EVENT_ACTION[row.event_type as EventType] ?? 'See the details.';
}

function rolesOf(rows: MailRow[]): string {
  const roles = [...new Set(rows.flatMap((r) => r.recipient_role.split(';')))].sort();
  const labels = roles.map((r) => ROLE_LABEL[r] ?? r);
  return labels.length > 1 ? `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}` : (labels[0] ?? 'recipient');
}

/** Most urgent first: priority, due date, event id (the order of the notification files). */
export function sortRows(rows: MailRow[]): MailRow[] {
  return [...rows].sort((a, b) => a.priority - b.priority || a.due_date.localeCompare(b.due_date) || a.event_id.localeCompare(b.event_id));
}

export function subjectLine(prefix: string, rows: MailRow[]): string {
  const n = rows.length;
  const earliest = rows.reduce((m, r) => (r.due_date < m ? r.due_date : m), rows[0]?.due_date ?? '');
  const lead = prefix.trim() ? `${prefix.trim()} ` : '';
  return `${lead}${n} notification${n === 1 ? '' : 's'}, first due ${withWeekday(earliest)}`;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

export function composeMessage(
  runDate: string,
  recipient: MailRecipient,
  unsorted: MailRow[],
  opts: { subjectPrefix: string; coordinator?: string },
): ComposedMessage {
  const rows = sortRows(unsorted);
  const n = rows.length;
  const greeting = recipient.name?.trim() ? `Hello ${recipient.name.trim()},` : 'Hello,';
  const intro = `The Linkages nightly run of ${runDate} has ${n} notification${n === 1 ? '' : 's'} for you as ${rolesOf(rows)}, ` + 'most urgent first.';
  const footer = [
    'Confidential: shared between CalWORKs and child welfare under WIC 10850 and 18961.5, for the case work',
    'named here only. Do not forward. This message is sent once per night; each notification appears in one night only.',
    opts.coordinator ? `Questions: the Linkages coordinator, ${opts.coordinator}.` : 'Questions: the Linkages coordinator.',
  ];

  const text: string[] = [greeting, '', intro, ''];
  rows.forEach((r, i) => {
    text.push(`${i + 1}. ${labelOf(r.event_type)}, due ${withWeekday(r.due_date)}`);
    text.push(`   Person:    ${r.person_label ?? `CalWORKs case ${r.case_number}`}`);
    text.push(`   About:     ${r.subject}`);
    text.push(`   Details:   ${r.details}`);
    text.push(`   To do:     ${actionOf(r)}`);
    text.push(`   Reference: ${r.event_id}`);
    text.push('');
  });
  text.push('-- ', ...footer, '');

  const item = (r: MailRow) => `
<tr>
  <td style="vertical-align:top;padding:6px 10px;white-space:nowrap"><strong>${escapeHtml(withWeekday(r.due_date))}</strong></td>
  <td style="vertical-align:top;padding:6px 10px">
    <strong>${escapeHtml(labelOf(r.event_type))}</strong>: ${escapeHtml(r.person_label ?? `CalWORKs case ${r.case_number}`)}<br>
    <span style="color:#555">About: ${escapeHtml(r.subject)}</span><br>
    ${escapeHtml(r.details)}<br>
    <em>To do:</em> ${escapeHtml(actionOf(r))}<br>
    <span style="color:#777;font-size:90%">Reference ${escapeHtml(r.event_id)}</span>
  </td>
</tr>`;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subjectLine(opts.subjectPrefix, rows))}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222">
<p>${escapeHtml(greeting)}</p>
<p>${escapeHtml(intro)}</p>
<table style="border-collapse:collapse" border="1" cellspacing="0">
<thead><tr><th style="padding:6px 10px;text-align:left">Due</th><th style="padding:6px 10px;text-align:left">Notification</th></tr></thead>
<tbody>${rows.map(item).join('')}
</tbody></table>
<p style="color:#777;font-size:90%">${footer.map(escapeHtml).join('<br>')}</p>
</body></html>
`;
  return { subject: subjectLine(opts.subjectPrefix, rows), text: text.join('\n'), html };
}
