/**
 * Physical line numbers. A CSV record starts on the line after the previous
 * record ended; a record spans one line plus one for every line break inside
 * its quoted fields (CRLF counts once, like a lone LF or CR). The header is
 * line 1. Papaparse gives fields, not offsets, so the count is rebuilt here.
 */

const BREAK = /\r\n|\r|\n/g;

/** Line breaks inside the fields of one record. */
export function lineBreaksIn(fields: readonly string[]): number {
  let n = 0;
  for (const f of fields) {
    if (f.indexOf('\n') < 0 && f.indexOf('\r') < 0) continue;
    const m = f.match(BREAK);
    if (m) n += m.length;
  }
  return n;
}

/** Hands out the starting line of each record in file order. */
export class LineCounter {
  private next = 1;

  /** The line the record starts on; advances past it. */
  take(fields: readonly string[], hasBreaks = true): number {
    const start = this.next;
    this.next += 1 + (hasBreaks ? lineBreaksIn(fields) : 0);
    return start;
  }
}
