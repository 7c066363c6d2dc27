/**
 * Seeded randomness for the generator. Never Math.random, never the clock:
 * every draw comes from a stream keyed by (seed, what it is for), so a family,
 * a record or a worker gets the same values whatever else was generated, and a
 * later "second night" can re-derive any of them.
 *
 * PRNG: sfc32 (small, fast, passes PractRand), seeded through cyrb128.
 */

/** 128-bit string hash (cyrb128) as four 32-bit words. */
function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** A cumulative-weight table for `Rng.weighted`. */
export interface WeightTable<T> {
  items: readonly T[];
  /** Running totals, last = total weight. */
  cumulative: Float64Array;
}

export function weightTable<T>(entries: readonly (readonly [T, number])[]): WeightTable<T> {
  const cumulative = new Float64Array(entries.length);
  let total = 0;
  entries.forEach(([, w], i) => {
    total += Math.max(0, w);
    cumulative[i] = total;
  });
  if (total <= 0) throw new Error('weightTable: no positive weight');
  return { items: entries.map(([v]) => v), cumulative };
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(key: string) {
    [this.a, this.b, this.c, this.d] = cyrb128(key);
    // cyrb128 already mixes the key well; a few rounds decorrelate the first outputs.
    for (let i = 0; i < 4; i++) this.nextU32();
  }

  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [lo, hi] inclusive. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** One of `table.items`, with probability proportional to its weight. */
  weighted<T>(table: WeightTable<T>): T {
    const cum = table.cumulative;
    const x = this.next() * cum[cum.length - 1]!;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return table.items[lo]!;
  }

  /** Pick a key of a `{key: probability}` map (probabilities need not sum to 1). */
  choose<K extends string>(probs: Readonly<Record<K, number>>): K {
    const t = chooserOf(probs);
    const x = this.next() * t.total;
    for (let i = 0; i < t.keys.length; i++) if (x < t.cumulative[i]!) return t.keys[i] as K;
    return t.keys[t.keys.length - 1] as K;
  }
}

/** Keys and running totals of a probability map, computed once per map object. */
const choosers = new WeakMap<object, { keys: string[]; cumulative: number[]; total: number }>();

function chooserOf(probs: Readonly<Record<string, number>>): { keys: string[]; cumulative: number[]; total: number } {
  let t = choosers.get(probs);
  if (!t) {
    const keys = Object.keys(probs);
    let total = 0;
    const cumulative = keys.map((k) => (total += probs[k]!));
    t = { keys, cumulative, total };
    choosers.set(probs, t);
  }
  return t;
}

/** The random stream for one purpose: `rngFor(seed, 'family', 42)`. */
export function rngFor(seed: number, ...keys: (string | number)[]): Rng {
  let key = String(seed);
  for (let i = 0; i < keys.length; i++) key += `|${keys[i]}`;
  return new Rng(key);
}
