/**
 * Judging the rows of a decisions file, one by one, before anything is
 * written. Pure: the rows, which ids exist, and the decisions already in force
 * go in; the decisions to record, the per-row problems and the counts come
 * out. A bad row never stops the good ones.
 *
 * Outcomes of a row:
 *   applied     MATCH or NO_MATCH on a known pair, different from the decision in force
 *   unchanged   the same decision is already in force (re-importing a file records nothing twice)
 *   skipped     blank decision (not reviewed yet), or AUTO / CONFIRMED (a links.csv row left as it was)
 *   duplicate   the same pair and decision again later in the file (the first one counts)
 *   rejected    unknown decision, missing or unknown id, or a pair given both MATCH and NO_MATCH in the file
 */
import type { DecisionRow } from './decisionsFile.js';

export type Decision = 'MATCH' | 'NO_MATCH';

export interface KnownIds {
  calworks: ReadonlySet<string>;
  cws: ReadonlySet<string>;
}

export interface AcceptedDecision {
  line: number;
  calworksPersonId: string;
  cwsClientId: string;
  decision: Decision;
}

export interface Problem {
  line: number;
  kind: 'unknown_decision' | 'missing_id' | 'unknown_id' | 'duplicate' | 'conflict';
  message: string;
}

export interface ImportCounts {
  rows: number;
  applied: number;
  match: number;
  no_match: number;
  unchanged: number;
  skipped_blank: number;
  skipped_link_rows: number;
  duplicates: number;
  rejected: number;
}

export interface Validation {
  accepted: AcceptedDecision[];
  problems: Problem[];
  counts: ImportCounts;
}

/** Spellings a person may type for the two decisions; anything else is reported. */
export function canonicalDecision(raw: string): Decision | 'BLANK' | 'LINK' | null {
  const v = raw
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  if (v === '') return 'BLANK';
  if (v === 'MATCH') return 'MATCH';
  if (v === 'NO_MATCH' || v === 'NOMATCH') return 'NO_MATCH';
  // links.csv rows a coordinator did not change
  if (v === 'AUTO' || v === 'CONFIRMED') return 'LINK';
  return null;
}

export const pairKey = (calworks: string, cws: string) => `${calworks}\u001f${cws}`;

/** A hint when an id looks mangled by a spreadsheet (leading zeros dropped, scientific notation). */
function spreadsheetHint(id: string): string {
  if (/^\d+(\.\d+)?E\+\d+$/i.test(id)) return ' (a spreadsheet turned it into a number: format the column as Text)';
  if (/^\d+$/.test(id)) return ' (if it lost leading zeros in a spreadsheet, format the column as Text)';
  return '';
}

function unknownIdMessage(column: string, id: string, otherSystemKnows: boolean, otherSystem: string): string {
  const swapped = otherSystemKnows ? ` (it is a ${otherSystem} id: are the two id columns swapped?)` : spreadsheetHint(id);
  return `unknown ${column} "${id}"${swapped}`;
}

/** Quotes an id for a message; ids are not personal data, but a stray cell could be anything, so it is cut short. */
const shown = (value: string) => (value.length > 40 ? `${value.slice(0, 40)}…` : value);

export function validateDecisions(rows: readonly DecisionRow[], known: KnownIds, inForce: ReadonlyMap<string, Decision>): Validation {
  const problems: Problem[] = [];
  const counts: ImportCounts = {
    rows: rows.length,
    applied: 0,
    match: 0,
    no_match: 0,
    unchanged: 0,
    skipped_blank: 0,
    skipped_link_rows: 0,
    duplicates: 0,
    rejected: 0,
  };
  // First pass: each row on its own.
  const candidates: AcceptedDecision[] = [];
  for (const row of rows) {
    const decision = canonicalDecision(row.decision);
    if (decision === 'BLANK') {
      counts.skipped_blank += 1;
      continue;
    }
    if (decision === 'LINK') {
      counts.skipped_link_rows += 1;
      continue;
    }
    const reject = (kind: Problem['kind'], message: string) => {
      problems.push({ line: row.line, kind, message });
      counts.rejected += 1;
    };
    if (decision === null) {
      reject('unknown_decision', `decision "${shown(row.decision)}" is not MATCH or NO_MATCH`);
      continue;
    }
    const { calworksPersonId: l, cwsClientId: r } = row;
    if (!l || !r) {
      reject('missing_id', `${!l ? 'calworks_person_id' : 'cws_client_id'} is empty`);
      continue;
    }
    if (!known.calworks.has(l)) {
      reject('unknown_id', unknownIdMessage('calworks_person_id', shown(l), known.cws.has(l), 'child-welfare client'));
      continue;
    }
    if (!known.cws.has(r)) {
      reject('unknown_id', unknownIdMessage('cws_client_id', shown(r), known.calworks.has(r), 'CalWORKs person'));
      continue;
    }
    candidates.push({ line: row.line, calworksPersonId: l, cwsClientId: r, decision });
  }

  // Second pass: rows about the same pair. Opposite decisions in one file cancel each other.
  const byPair = new Map<string, AcceptedDecision[]>();
  for (const c of candidates) {
    const k = pairKey(c.calworksPersonId, c.cwsClientId);
    const list = byPair.get(k);
    if (list) list.push(c);
    else byPair.set(k, [c]);
  }
  const accepted: AcceptedDecision[] = [];
  for (const [k, list] of byPair) {
    const first = list[0]!;
    const conflicting = list.some((c) => c.decision !== first.decision);
    if (conflicting) {
      const lines = list.map((c) => c.line);
      for (const c of list) {
        const others = lines.filter((n) => n !== c.line).join(', ');
        problems.push({
          line: c.line,
          kind: 'conflict',
          message: `pair ${shown(c.calworksPersonId)} / ${shown(c.cwsClientId)} is ${c.decision} here but ${c.decision === 'MATCH' ? 'NO_MATCH' : 'MATCH'} on line ${others}; neither applied`,
        });
        counts.rejected += 1;
      }
      continue;
    }
    for (const dup of list.slice(1)) {
      problems.push({ line: dup.line, kind: 'duplicate', message: `duplicate of line ${first.line} (same pair, same decision); counted once` });
      counts.duplicates += 1;
    }
    if (inForce.get(k) === first.decision) {
      counts.unchanged += 1;
      continue;
    }
    accepted.push(first);
    counts.applied += 1;
    if (first.decision === 'MATCH') counts.match += 1;
    else counts.no_match += 1;
  }
  accepted.sort((a, b) => a.line - b.line);
  problems.sort((a, b) => a.line - b.line);
  return { accepted, problems, counts };
}
