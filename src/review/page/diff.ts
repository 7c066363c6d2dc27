/**
 * What differs between two recorded values, character by character: the
 * longest common subsequence is "same", the rest is marked on each side
 * ("MARIA" / "MAIRA": the swapped letters light up). Pure; values are short
 * (names, dates, addresses), so the quadratic table is fine.
 */

export interface Segment {
  text: string;
  same: boolean;
}

/** Longest values compared letter by letter; longer ones are compared whole (no table of a megabyte). */
const MAX_LEN = 200;

function merge(chars: { ch: string; same: boolean }[]): Segment[] {
  const out: Segment[] = [];
  for (const c of chars) {
    const last = out[out.length - 1];
    if (last && last.same === c.same) last.text += c.ch;
    else out.push({ text: c.ch, same: c.same });
  }
  return out;
}

/** Segments of `a` and of `b`: the characters both share in order are `same`. */
export function charDiff(a: string, b: string): { a: Segment[]; b: Segment[] } {
  if (a === b) return { a: a ? [{ text: a, same: true }] : [], b: b ? [{ text: b, same: true }] : [] };
  const x = [...a];
  const y = [...b];
  if (x.length > MAX_LEN || y.length > MAX_LEN || !x.length || !y.length) {
    return { a: a ? [{ text: a, same: false }] : [], b: b ? [{ text: b, same: false }] : [] };
  }
  // lcs[i][j] = LCS length of x[i:] and y[j:] (case-insensitive: "Maria" and "MARIA" are the same name)
  const eq = (i: number, j: number) => x[i]!.toLowerCase() === y[j]!.toLowerCase();
  const w = y.length + 1;
  const lcs = new Uint16Array((x.length + 1) * w);
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lcs[i * w + j] = eq(i, j) ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  // Two unrelated values (another street) share a few letters by chance: marking those would mislead.
  if (lcs[0]! * 2 < Math.max(x.length, y.length)) return { a: [{ text: a, same: false }], b: [{ text: b, same: false }] };
  const sa: { ch: string; same: boolean }[] = [];
  const sb: { ch: string; same: boolean }[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (eq(i, j)) {
      sa.push({ ch: x[i++]!, same: true });
      sb.push({ ch: y[j++]!, same: true });
    } else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) sa.push({ ch: x[i++]!, same: false });
    else sb.push({ ch: y[j++]!, same: false });
  }
  while (i < x.length) sa.push({ ch: x[i++]!, same: false });
  while (j < y.length) sb.push({ ch: y[j++]!, same: false });
  return { a: merge(sa), b: merge(sb) };
}

/** same | differs | one missing | both missing, for the words next to a field (not colour alone). */
export function compareWord(a: string | null | undefined, b: string | null | undefined): string {
  const A = (a ?? '').trim();
  const B = (b ?? '').trim();
  if (!A && !B) return 'both missing';
  if (!A || !B) return 'one side missing';
  return A.toLowerCase() === B.toLowerCase() ? 'same' : 'differs';
}
