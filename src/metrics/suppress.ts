/**
 * Small-cell suppression for every count that leaves the database (the
 * metrics files and report.html), after California's de-identification
 * guidelines for social-services data: a count from 1 to threshold-1 is
 * withheld (shown "<11" by default), and so is any other cell that, with a
 * published total, would let a reader work a withheld one out again
 * (complementary suppression). Zero is shown: it names no one.
 *
 * Pure: figures and the sums that tie them together in, marks out. The
 * figures live in a registry: one Cell per key, shared by the files and the
 * page, so a count shown twice is withheld twice.
 */

/** Why a figure is withheld: a small count, or a cell withheld so that a total cannot reveal one. */
export type Mark = 'small' | 'complementary';

export interface Cell {
  key: string;
  /** The true count (or rate, median): null after suppression when withheld. */
  n: number | null;
  mark: Mark | null;
}

/** total = sum(parts), all in the registry. A part that is not published (an interval count, say) still takes part. */
export interface Group {
  total: string;
  parts: string[];
}

export const DEFAULT_THRESHOLD = 11;

/** "<11" for a small count, "withheld" for a complementary one. */
export const markLabel = (mark: Mark, threshold: number) => (mark === 'small' ? `<${threshold}` : 'withheld');

export class Figures {
  private cells = new Map<string, Cell>();
  /** Counts: subject to the threshold. Other figures (rates, medians) only follow the counts they rest on. */
  private counts = new Set<string>();
  private unpublished = new Set<string>();
  readonly groups: Group[] = [];
  /** A rate or median withheld when any of the cells it is computed from is. */
  private derived: { key: string; from: string[] }[] = [];
  /** A median or rate over fewer than `threshold` families is withheld (as small). */
  private over: { key: string; base: string }[] = [];

  count(key: string, n: number): Cell {
    this.counts.add(key);
    return this.put(key, n);
  }

  /** A count that is never published (an interval, a complement) but must not be recoverable when small. */
  hidden(key: string, n: number): Cell {
    this.unpublished.add(key);
    return this.count(key, n);
  }

  /** A figure computed from counts (a rate): withheld with any of them. */
  derive(key: string, n: number | null, from: string[], base?: string): Cell {
    this.derived.push({ key, from });
    if (base) this.over.push({ key, base });
    return this.put(key, n);
  }

  /** Declares total = sum(parts). */
  sum(total: string, parts: string[]): void {
    for (const k of [total, ...parts]) if (!this.cells.has(k)) throw new Error(`suppression group names an unknown figure ${k}`);
    this.groups.push({ total, parts });
  }

  has(key: string): boolean {
    return this.cells.has(key);
  }

  get(key: string): Cell {
    const c = this.cells.get(key);
    if (!c) throw new Error(`unknown figure ${key}`);
    return c;
  }

  all(): Cell[] {
    return [...this.cells.values()];
  }

  private put(key: string, n: number | null): Cell {
    const had = this.cells.get(key);
    if (had) {
      if (had.n !== n) throw new Error(`figure ${key} registered twice with different values (${had.n}, ${n})`);
      return had;
    }
    const c: Cell = { key, n, mark: null };
    this.cells.set(key, c);
    return c;
  }

  /** Marks every withheld figure and blanks its value. Returns how many were withheld, by reason. */
  suppress(threshold: number): Record<Mark, number> {
    const marks = suppressionMarks(new Map([...this.counts].map((k) => [k, this.get(k).n ?? 0])), this.groups, threshold, this.unpublished);
    for (const { key, base } of this.over) {
      const b = this.get(base).n ?? 0;
      if (b < threshold && !marks.has(key) && this.get(key).n !== null) marks.set(key, 'complementary');
    }
    // A rate or median is not itself a small count: withheld ("withheld", not "<11") with what it rests on.
    for (const { key, from } of this.derived) {
      if (from.some((f) => marks.has(f)) && !marks.has(key) && this.get(key).n !== null) marks.set(key, 'complementary');
    }
    const tally: Record<Mark, number> = { small: 0, complementary: 0 };
    for (const [key, mark] of marks) {
      if (this.unpublished.has(key)) continue;
      const c = this.get(key);
      c.mark = mark;
      c.n = null;
      tally[mark] += 1;
    }
    return tally;
  }
}

/**
 * Primary suppression of counts from 1 to threshold-1, then, until nothing
 * changes: a sum whose only unknown member is withheld would give it away,
 * so the smallest non-zero visible part (else the total) is withheld too.
 * Unpublished cells are unknown to a reader from the start; they are
 * protected only when small.
 */
export function suppressionMarks(
  values: Map<string, number>,
  groups: Group[],
  threshold: number,
  unpublished: ReadonlySet<string> = new Set(),
): Map<string, Mark> {
  const marks = new Map<string, Mark>();
  for (const [k, v] of values) if (v >= 1 && v < threshold) marks.set(k, 'small');
  const v = (k: string) => values.get(k) ?? 0;
  const unknown = (k: string) => marks.has(k) || unpublished.has(k);
  for (let changed = true; changed;) {
    changed = false;
    for (const g of groups) {
      const members = [g.total, ...g.parts];
      const hidden = members.filter(unknown);
      if (hidden.length !== 1 || !marks.has(hidden[0]!)) continue;
      const candidates = g.parts.filter((k) => !unknown(k) && v(k) > 0).sort((a, b) => v(a) - v(b) || (a < b ? -1 : a > b ? 1 : 0));
      const pick = candidates[0] ?? (!unknown(g.total) && v(g.total) > 0 ? g.total : undefined);
      if (pick) {
        marks.set(pick, 'complementary');
        changed = true;
      }
    }
  }
  return marks;
}
