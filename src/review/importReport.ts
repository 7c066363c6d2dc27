/** The report `review import` prints: one line per problem row, then the counts. Pure. */
import type { ImportResult } from './importDecisions.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatImportReport(r: ImportResult): string {
  const lines = r.problems.map((p) => `${r.file}:${p.line}: ${p.message}`);
  const c = r.counts;
  const parts = [
    `${c.applied} applied (${c.match} MATCH, ${c.no_match} NO_MATCH)`,
    `${c.unchanged} already in force`,
    `${c.skipped_blank} blank (not reviewed)`,
  ];
  if (c.skipped_link_rows) parts.push(`${c.skipped_link_rows} AUTO/CONFIRMED link rows left as they are`);
  if (c.duplicates) parts.push(plural(c.duplicates, 'duplicate'));
  parts.push(`${c.rejected} rejected`);
  lines.push(`review import: ${plural(c.rows, 'row')}: ${parts.join(', ')}; reviewer ${r.reviewer}`);
  if (c.applied) lines.push('The decisions take effect on the next run (`linkages run`).');
  return `${lines.join('\n')}\n`;
}
