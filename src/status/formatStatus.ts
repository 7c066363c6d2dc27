/** `linkages status` as text: one block per night, newest first. */
import { formatCount } from '../runtime/progress.js';
import type { NightStatus, StatusReport } from './readStatus.js';

const n = (v: number | null) => (v === null ? '-' : formatCount(v));

function block(night: NightStatus): string[] {
  const lines = [
    `${night.run_date ?? '(no run date)'}  ${night.status.toUpperCase()}  run ${night.run_id}  started ${night.started_at.replace('T', ' ')} UTC${night.seconds === null ? '' : `, ${night.seconds}s`}  (linkages ${night.software_version ?? '0.1.0 or earlier'}, schema ${night.schema_version ?? '1'})`,
  ];
  for (const [name, i] of Object.entries(night.inputs)) {
    lines.push(`  ${name.padEnd(9)} ${n(i.rows).padStart(9)} rows  sha256 ${i.sha256 ? i.sha256.slice(0, 16) : '-'}  ${i.file ?? ''}`);
  }
  if (night.links !== null || night.notifications !== null) {
    lines.push(
      `  links ${n(night.links)}, review queue ${n(night.review_queue)}, mutual clients ${n(night.mutual_clients)}, notifications ${n(night.notifications)}`,
    );
  }
  if (night.outbox) {
    const o = night.outbox;
    lines.push(`  e-mail: ${n(o.sent)} sent, ${n(o.pending)} pending, ${n(o.failed)} failed${o.no_address ? `, ${n(o.no_address)} without an address` : ''}`);
  }
  if (night.error) lines.push(`  why: ${night.error}`);
  if (night.status === 'held') {
    for (const r of night.reasons) lines.push(`  held: ${r}`);
    lines.push('  (look at the extracts; if they are right, run the night again with --accept-anomalies)');
  } else if (night.accepted_anomalies) {
    for (const r of night.reasons) lines.push(`  accepted: ${r}`);
  }
  return lines;
}

export function formatStatus(report: StatusReport): string {
  const upgrade =
    report.schema_version < report.software_schema_version ? ` (this linkages writes ${report.software_schema_version}; the next run migrates it)` : '';
  const lines = [
    `Database ${report.database}: schema version ${report.schema_version}${upgrade}; linkages ${report.software_version}`,
    `Latest published night: ${report.latest_published ?? 'none yet'}`,
  ];
  if (!report.nights.length) lines.push('No runs yet.');
  for (const night of report.nights) lines.push('', ...block(night));
  return `${lines.join('\n')}\n`;
}
