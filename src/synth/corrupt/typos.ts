/**
 * Keyboard typos as clerks make them: a neighbouring key, a dropped letter,
 * two letters swapped, a letter doubled. Rarely on the first letter, which
 * people check.
 */
import type { Rng } from '../random.js';

const ROWS = ['QWERTYUIOP', 'ASDFGHJKL', 'ZXCVBNM'];

/** Keys next to each letter on a QWERTY keyboard (same row and the rows above and below). */
const NEIGHBOURS: Record<string, string> = (() => {
  const pos = new Map<string, [number, number]>();
  ROWS.forEach((row, r) => [...row].forEach((ch, c) => pos.set(ch, [r, c + r * 0.5])));
  const out: Record<string, string> = {};
  for (const [ch, [r, c]] of pos) {
    let n = '';
    for (const [other, [r2, c2]] of pos) {
      if (other !== ch && Math.abs(r - r2) <= 1 && Math.abs(c - c2) <= 1) n += other;
    }
    out[ch] = n;
  }
  return out;
})();

export type TypoKind = 'SUBSTITUTION' | 'DELETION' | 'TRANSPOSITION' | 'DOUBLING';

const KINDS: Record<TypoKind, number> = { SUBSTITUTION: 0.35, DELETION: 0.25, TRANSPOSITION: 0.25, DOUBLING: 0.15 };

function letterPositions(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) if (s[i]! >= 'A' && s[i]! <= 'Z') out.push(i);
  return out;
}

/** One typo in `s` (upper-case letters only are touched); `s` unchanged when too short. */
export function typo(s: string, rng: Rng): string {
  const letters = letterPositions(s);
  if (letters.length < 3) return s;
  // Skip the first letter 85% of the time.
  const candidates = rng.chance(0.85) ? letters.slice(1) : letters;
  const i = rng.pick(candidates);
  const kind = rng.choose(KINDS);
  const ch = s[i]!;
  switch (kind) {
    case 'SUBSTITUTION': {
      const n = NEIGHBOURS[ch] ?? '';
      return n ? s.slice(0, i) + rng.pick([...n]) + s.slice(i + 1) : s.slice(0, i) + s.slice(i + 1);
    }
    case 'DELETION':
      return s.slice(0, i) + s.slice(i + 1);
    case 'TRANSPOSITION': {
      const j = i + 1 < s.length && /[A-Z]/.test(s[i + 1]!) ? i + 1 : i - 1;
      if (j < 0 || !/[A-Z]/.test(s[j]!) || s[j] === ch) return s.slice(0, i) + ch + ch + s.slice(i + 1);
      const [a, b] = j > i ? [i, j] : [j, i];
      return s.slice(0, a) + s[b] + s[a] + s.slice(b + 1);
    }
    case 'DOUBLING':
      return s.slice(0, i) + ch + ch + s.slice(i + 1);
  }
}
