/** The short human summary `linkages run` prints on stdout. */
import type { RunSummary } from '../pipeline/summary.js';
import { formatCount } from '../runtime/progress.js';

export function formatSummary(summary: RunSummary, outDir: string): string {
  const lines: string[] = [];
  lines.push(`Night ${summary.run_date}${summary.baseline ? ' (baseline: first night in this database)' : ` (previous night ${summary.previous_run_date})`}`);
  for (const [name, s] of Object.entries(summary.inputs)) {
    if (!s) continue;
    lines.push(
      `  ${name.padEnd(9)} read ${formatCount(s.read).padStart(9)}  loaded ${formatCount(s.loaded).padStart(9)}  quarantined ${formatCount(s.quarantined)}`,
    );
  }
  const sections = ['match', 'tiers', 'assignments', 'notifications'] as const;
  for (const key of sections) {
    const section = summary[key];
    if (!section || typeof section !== 'object') continue;
    const flat = Object.entries(section as Record<string, unknown>)
      .filter(([, v]) => typeof v === 'number')
      .map(([k, v]) => `${k} ${formatCount(v as number)}`);
    if (flat.length) lines.push(`  ${key.padEnd(9)} ${flat.join(', ')}`);
  }
  const total = summary.stages.reduce((a, s) => a + s.seconds, 0);
  const notBuilt = summary.stages.filter((s) => s.status === 'not built').map((s) => s.stage);
  lines.push(
    `  stages    ${summary.stages
      .filter((s) => s.status === 'ok')
      .map((s) => `${s.stage} ${s.seconds}s`)
      .join(', ')} (total ${total.toFixed(1)}s)`,
  );
  if (notBuilt.length) lines.push(`  not built yet: ${notBuilt.join(', ')}`);
  lines.push(`  files     ${outDir}`);
  return `${lines.join('\n')}\n`;
}
