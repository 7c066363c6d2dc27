/**
 * Which index tokens each search term may stand for, and how well:
 *   - name words within one typo of the term (candidates from search_variants),
 *     scored by fast-fuzzy over whole words (Damerau-Levenshtein: SMTIH ->
 *     SMITH 0.8, RODRIGEZ -> RODRIGUEZ 0.89); words of three letters or fewer
 *     only as typed (one letter off in ANA is another name);
 *   - the nickname groups of the term and of its near spellings (normalize's
 *     nickname table: BOB, BOBBY and ROBERT all belong to ROBERT), worth a
 *     little less than the name itself;
 *   - joined runs of words (DELAROSA) only as typed.
 * Pure: the candidate words and the nickname groups are given.
 */
import { fuzzy } from 'fast-fuzzy';
import { GROUP_PREFIX, MIN_FUZZY_LENGTH } from './buildIndex.js';
import type { QueryTerms } from './queryTokens.js';

export interface TokenHit {
  token: string;
  /** Index of the term the token stands for. */
  term: number;
  score: number;
}

/** Scores below this are not the same word. */
export const FUZZY_THRESHOLD = 0.75;
/** A nickname is good evidence, but a little weaker than the name as written. */
export const NICKNAME_FACTOR = 0.9;
/** Only close spellings pass their nickname groups on. */
const GROUP_FROM_FUZZY_MIN = 0.85;

const FUZZY_OPTIONS = { useSellers: false, ignoreSymbols: false, normalizeWhitespace: false, useDamerau: true } as const;

/** Whole-word similarity (fast-fuzzy, 0..1). */
export const wordScore = (term: string, word: string) => (term === word ? 1 : fuzzy(term, word, FUZZY_OPTIONS));

/** The variants to look up for a term: itself, and its one-letter deletions when it is long enough to misspell. */
export function termVariants(term: string): string[] {
  if (term.length < MIN_FUZZY_LENGTH) return [term];
  const out = new Set([term]);
  for (let i = 0; i < term.length; i++) out.add(term.slice(0, i) + term.slice(i + 1));
  return [...out];
}

export interface Candidates {
  /** Name words sharing a variant with the term (the term itself included when it is a word). */
  near: (term: string) => readonly string[];
  /** Whether a joined run is a name word as typed. */
  isWord: (token: string) => boolean;
  /** Nickname groups of a cleaned given name (empty when it has none). */
  groups: (name: string) => readonly string[];
}

/** The near words of a term with their scores, the term itself first. */
export function nearWords(term: string, c: Candidates): { word: string; score: number }[] {
  const scored = c
    .near(term)
    .map((word) => ({ word, score: wordScore(term, word) }))
    .filter((w) => w.score >= FUZZY_THRESHOLD && (term.length >= MIN_FUZZY_LENGTH || w.word === term));
  if (!scored.some((w) => w.word === term)) scored.push({ word: term, score: 1 });
  return scored.sort((a, b) => b.score - a.score || a.word.localeCompare(b.word));
}

export function expandTerms(q: QueryTerms, c: Candidates): TokenHit[] {
  const best = new Map<string, TokenHit>();
  const add = (token: string, term: number, score: number) => {
    const k = `${term}\u001f${token}`;
    const prev = best.get(k);
    if (!prev || prev.score < score) best.set(k, { token, term, score });
  };
  q.terms.forEach((term, i) => {
    for (const n of nearWords(term, c)) {
      add(n.word, i, n.score);
      if (n.score < GROUP_FROM_FUZZY_MIN) continue;
      for (const g of c.groups(n.word)) add(`${GROUP_PREFIX}${g}`, i, n.score * NICKNAME_FACTOR);
    }
  });
  for (const j of q.joined) {
    if (!c.isWord(j.token)) continue;
    for (const term of j.covers) add(j.token, term, 1);
  }
  return [...best.values()].sort((a, b) => a.term - b.term || b.score - a.score || a.token.localeCompare(b.token));
}
