/**
 * Splitting CSV text into records, physical line by physical line, so that one
 * damaged line can never take other lines with it.
 *
 * - Any line ending counts: CRLF, LF or a lone CR, mixed in one file (an
 *   extract appended by two programs). Each is one physical line.
 * - A quoted field may span lines (RFC 4180), but only when the record it
 *   makes is well formed and has the header's number of fields. Otherwise
 *   the quote was a stray one: its first line alone becomes a malformed
 *   record (quarantined with the reason) and the lines after it are read
 *   again as records of their own. So an unclosed quote costs one line, not
 *   the rest of the file.
 * - A quote closed and followed by text on the same field (`"JJ" JOHN`) makes
 *   the record malformed. A quote inside an unquoted field (`JOHN "JJ" SMITH`)
 *   is kept as a character: it loses nothing.
 *
 * Line numbers are physical: a record starts on the line after the previous
 * one ended (the header is line 1).
 */

export interface CsvRecord {
  fields: string[];
  /** Physical line the record starts on. */
  line: number;
  /** Why the record cannot be read as fields (then `fields` is the line split on commas). */
  malformed?: string;
  /** The record's text was longer than the limit: fields are empty. */
  tooLong?: boolean;
}

/** A quoted field may span at most this many lines before its opening quote is taken for a stray one. */
const MAX_RECORD_LINES = 1000;

interface Line {
  text: string;
  /** The line ending as written ('' at the end of the file). */
  end: string;
  no: number;
}

/** Parser state of a record being read across lines. */
interface Partial {
  fields: string[];
  field: string;
  inQuotes: boolean;
  /** The current field was quoted and its quote is closed. */
  closed: boolean;
}

type Step = { kind: 'done'; fields: string[] } | { kind: 'open' } | { kind: 'bad'; reason: string };

const fresh = (): Partial => ({ fields: [], field: '', inQuotes: false, closed: false });

/** Feed one physical line (and its ending) to the record parser. */
function parseLine(s: Partial, text: string, end: string): Step {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (s.inQuotes) {
      if (c === 34 /* " */) {
        if (text.charCodeAt(i + 1) === 34) {
          s.field += '"';
          i++;
        } else {
          s.inQuotes = false;
          s.closed = true;
        }
      } else {
        // Copy the run up to the next quote at once.
        const q = text.indexOf('"', i);
        const stop = q < 0 ? n : q;
        s.field += text.slice(i, stop);
        i = stop - 1;
      }
    } else if (c === 44 /* , */) {
      s.fields.push(s.field);
      s.field = '';
      s.closed = false;
    } else if (s.closed) {
      // Blanks after a closing quote are padding; anything else means the quote was not a field's quote.
      if (c !== 32 && c !== 9) return { kind: 'bad', reason: `stray quote in field ${s.fields.length + 1}: text after its closing quote` };
    } else if (c === 34 && s.field === '') {
      s.inQuotes = true;
    } else {
      s.field += text[i];
    }
  }
  if (s.inQuotes) {
    s.field += end;
    return end === '' ? { kind: 'bad', reason: unclosedReason(s.fields.length + 1) } : { kind: 'open' };
  }
  s.fields.push(s.field);
  return { kind: 'done', fields: s.fields };
}

const unclosedReason = (field: number) => `stray quote in field ${field}: a quote opened and not closed on its line`;

/** The fields of a line that cannot be parsed, for the quarantine's masked row. */
const looseFields = (text: string) => text.split(',');

export class CsvRecordSplitter {
  /** The header's number of fields, once known: a record spanning lines must have it. */
  width = 0;
  private buffer = '';
  private lineNo = 1;
  /** Lines of a record whose quoted field is still open, and the field that is open. */
  private pending: Line[] = [];
  private pendingChars = 0;
  private openField = 0;
  private state: Partial = fresh();
  /** A line longer than the limit is being skipped up to its end: the line it started on. */
  private skipping: number | null = null;

  constructor(
    private readonly emit: (r: CsvRecord) => void,
    private readonly maxChars: number,
  ) {}

  push(text: string): void {
    this.buffer = this.buffer.length ? this.buffer + text : text;
    this.drain(false);
  }

  end(): void {
    this.drain(true);
    this.settlePending();
  }

  private drain(atEnd: boolean): void {
    const buf = this.buffer;
    let start = 0;
    // The next CR, searched again only once passed (-1: none left in the buffer).
    let cr = -2;
    for (;;) {
      if (cr !== -1 && cr < start) cr = buf.indexOf('\r', start);
      const lf = buf.indexOf('\n', start);
      let stop: number;
      let endLen: number;
      if (cr >= 0 && (lf < 0 || cr < lf)) {
        // A CR at the very end of the buffer may be the first half of a CRLF.
        if (cr === buf.length - 1 && !atEnd) break;
        stop = cr;
        endLen = buf.charCodeAt(cr + 1) === 10 ? 2 : 1;
      } else if (lf >= 0) {
        stop = lf;
        endLen = 1;
      } else {
        break;
      }
      this.line(buf.slice(start, stop), buf.slice(stop, stop + endLen));
      start = stop + endLen;
    }
    let rest = start ? buf.slice(start) : buf;
    if (atEnd) {
      if (rest.length || this.skipping !== null) this.line(rest, '');
      rest = '';
    } else if (rest.length > this.maxChars) {
      // One line longer than any record may be: drop its text up to its end.
      if (this.skipping === null) this.skipping = this.lineNo;
      rest = '';
    }
    this.buffer = rest;
  }

  private line(text: string, end: string): void {
    const no = this.lineNo++;
    if (this.skipping !== null) {
      this.settlePending();
      this.emit({ fields: [], line: this.skipping, tooLong: true });
      this.skipping = null;
      return;
    }
    this.take({ text, end, no });
  }

  private take(l: Line): void {
    if (this.pending.length === 0) {
      if (l.text.indexOf('"') < 0) {
        this.emit({ fields: l.text.split(','), line: l.no });
        return;
      }
      if (l.text.length > this.maxChars) {
        this.emit({ fields: [], line: l.no, tooLong: true });
        return;
      }
      this.state = fresh();
      const step = parseLine(this.state, l.text, l.end);
      if (step.kind === 'done') this.emit({ fields: step.fields, line: l.no });
      else if (step.kind === 'bad') this.emit({ fields: looseFields(l.text), line: l.no, malformed: step.reason });
      else {
        this.pending = [l];
        this.pendingChars = l.text.length;
        this.openField = this.state.fields.length + 1;
      }
      return;
    }
    this.pending.push(l);
    this.pendingChars += l.text.length;
    const step = parseLine(this.state, l.text, l.end);
    if (step.kind === 'open' && this.pending.length < MAX_RECORD_LINES && this.pendingChars <= this.maxChars) return;
    if (step.kind === 'done' && (this.width === 0 || step.fields.length === this.width)) {
      this.emit({ fields: step.fields, line: this.pending[0]!.no });
      this.pending = [];
      return;
    }
    this.fallBack();
  }

  /** The open quote of the pending record was a stray one: its first line alone is malformed; the rest are read again. */
  private fallBack(): void {
    const [first, ...rest] = this.pending;
    this.pending = [];
    this.emit({ fields: looseFields(first!.text), line: first!.no, malformed: unclosedReason(this.openField) });
    for (const l of rest) this.take(l);
  }

  /** The end of the file (or of a skipped line) while a quoted field is open: nothing is left pending. */
  private settlePending(): void {
    while (this.pending.length) this.fallBack();
  }
}
