/** Printing search hits: an aligned table for a person at a terminal, or JSON lines for a script. Pure. */
import type { SearchHit } from './hit.js';
import type { SearchResult } from './searchPeople.js';

const COLUMNS: { head: string; value: (h: SearchHit) => string }[] = [
  { head: 'score', value: (h) => h.score.toFixed(2) },
  { head: 'system', value: (h) => h.system },
  { head: 'id', value: (h) => h.person_id },
  { head: 'role', value: (h) => h.role },
  { head: 'name', value: (h) => h.name + (h.sensitive ? ' (sensitive)' : '') },
  { head: 'dob', value: (h) => h.dob ?? '' },
  { head: 'cases', value: (h) => h.cases.join(' ') },
  { head: 'tier', value: (h) => h.tier ?? '' },
  { head: 'mutual_client_id', value: (h) => h.mutual_client_id ?? '' },
  { head: 'linked_ids', value: (h) => h.linked_ids.join(' ') },
];

/** Control characters from the data never reach the terminal as such. */
const printable = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, ' ');

export function formatTable(r: SearchResult): string {
  const lines: string[] = [];
  if (!r.hits.length) {
    lines.push(r.terms.length ? `no one found for ${r.terms.join(' ')}${r.night ? ` (night ${r.night})` : ''}` : 'nothing to search for: give a name');
    return `${lines.join('\n')}\n`;
  }
  const cells = r.hits.map((h) => COLUMNS.map((c) => printable(c.value(h))));
  const widths = COLUMNS.map((c, i) => Math.max(c.head.length, ...cells.map((row) => row[i]!.length)));
  const fmt = (row: string[]) =>
    row
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  lines.push(fmt(COLUMNS.map((c) => c.head)));
  for (const row of cells) lines.push(fmt(row));
  const tail = [`${r.hits.length} shown`];
  if (r.more) tail.push(`${r.more} more with a lower score (--limit)`);
  if (r.night) tail.push(`night ${r.night}`);
  lines.push(tail.join(', '));
  return `${lines.join('\n')}\n`;
}

export function formatJson(r: SearchResult): string {
  return r.hits.map((h) => JSON.stringify(h)).join('\n') + (r.hits.length ? '\n' : '');
}
