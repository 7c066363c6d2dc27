/**
 * Turning what a coordinator typed into search terms. Pure.
 *
 * The name is cleaned the way normalize cleans names (name_clean, done in SQL
 * by the caller), then split into words. Particles (DE, LA, VAN...) and
 * generational suffixes (JR, III) are not terms of their own, but a run of
 * adjacent words also gives its joined form, so "De La Rosa" finds DELAROSA
 * and "Rodriguez Garcia" finds RODRIGUEZGARCIA.
 */
import { NAME_SUFFIXES, SURNAME_PARTICLES } from '../normalize/macros.js';

export interface QueryTerms {
  /** The words that count: each must be found for a full score. */
  terms: string[];
  /** Joined runs of adjacent words, and which terms each one stands for. */
  joined: { token: string; covers: number[] }[];
}

const PARTICLES = new Set(SURNAME_PARTICLES);

export function queryTerms(cleaned: string | null): QueryTerms {
  const words = (cleaned ?? '').split(/[\s-]+/).filter((w) => /^[A-Z]+$/.test(w));
  const terms: string[] = [];
  // For each word: the index of the term it is (or -1 for a particle, suffix or initial).
  const termOf: number[] = [];
  for (const w of words) {
    const isTerm = w.length > 1 && !PARTICLES.has(w) && NAME_SUFFIXES[w] === undefined;
    if (isTerm && !terms.includes(w)) terms.push(w);
    termOf.push(isTerm ? terms.indexOf(w) : -1);
  }
  const joined: QueryTerms['joined'] = [];
  const seen = new Set(terms);
  for (let i = 0; i < words.length; i++) {
    for (let j = i + 2; j <= Math.min(words.length, i + 4); j++) {
      const covers = [...new Set(termOf.slice(i, j).filter((t) => t >= 0))];
      const token = words.slice(i, j).join('');
      if (!covers.length || seen.has(token)) continue;
      seen.add(token);
      joined.push({ token, covers });
    }
  }
  // A single word with no term (only an initial or a particle) still searches for itself.
  if (!terms.length && words.length) terms.push(...words.filter((w) => w.length > 1));
  return { terms, joined };
}
