/**
 * Search terms: how a typed name becomes terms, and which index words each
 * term stands for (typos, nicknames, joined compound surnames).
 */
import { describe, expect, it } from 'vitest';
import { expandTerms, nearWords, termVariants, wordScore, type Candidates } from '../../src/search/expandTerms.js';
import { queryTerms } from '../../src/search/queryTokens.js';

describe('query terms', () => {
  it('drops particles, suffixes and initials, keeping joined runs of words', () => {
    const q = queryTerms('MARIA DE LA ROSA JR');
    expect(q.terms).toEqual(['MARIA', 'ROSA']);
    expect(q.joined.map((j) => j.token)).toContain('DELAROSA');
    expect(q.joined.find((j) => j.token === 'DELAROSA')!.covers).toEqual([1]);
  });

  it('offers the joined form of a compound surname, standing for both parts', () => {
    const q = queryTerms('ANA RODRIGUEZ-GARCIA');
    expect(q.terms).toEqual(['ANA', 'RODRIGUEZ', 'GARCIA']);
    expect(q.joined.find((j) => j.token === 'RODRIGUEZGARCIA')!.covers).toEqual([1, 2]);
  });

  it('keeps a name made only of a particle-like word searchable', () => {
    expect(queryTerms('DE').terms).toEqual(['DE']);
    expect(queryTerms('LA ROSA').terms).toEqual(['ROSA']);
    expect(queryTerms(null).terms).toEqual([]);
  });
});

describe('expanding terms', () => {
  const dict = ['SMITH', 'SMYTHE', 'SMITHS', 'JOHN', 'JON', 'ROBERT', 'ROBERTA', 'GARCIA', 'DELAROSA', 'ANA', 'ANN'];
  const variants = new Map<string, string[]>();
  for (const w of dict) for (const v of termVariants(w)) variants.set(v, [...(variants.get(v) ?? []), w]);
  const groups: Record<string, string[]> = { BOB: ['BOB', 'ROBERT'], ROBERT: ['ROBERT'], JON: ['JOHN', 'JON'] };
  const c: Candidates = {
    near: (t) => [...new Set(termVariants(t).flatMap((v) => variants.get(v) ?? []))],
    isWord: (t) => dict.includes(t),
    groups: (n) => groups[n] ?? [],
  };

  it('finds a word one typo away (swap, drop, add, change) and scores it below the exact word', () => {
    expect(nearWords('SMTIH', c).map((n) => n.word)).toContain('SMITH');
    expect(nearWords('SMIT', c).map((n) => n.word)).toContain('SMITH');
    expect(nearWords('GARCIAA', c).map((n) => n.word)).toContain('GARCIA');
    expect(nearWords('GARZIA', c).map((n) => n.word)).toContain('GARCIA');
    expect(wordScore('SMITH', 'SMITH')).toBe(1);
    expect(wordScore('SMTIH', 'SMITH')).toBeLessThan(1);
    expect(wordScore('SMTIH', 'SMITH')).toBeGreaterThanOrEqual(0.75);
  });

  it('takes short words only as typed', () => {
    expect(nearWords('ANA', c).map((n) => n.word)).toEqual(['ANA']);
  });

  it('adds the nickname groups of the term, a little weaker than the name itself', () => {
    const hits = expandTerms(queryTerms('BOB SMITH'), c);
    const group = hits.find((h) => h.token === 'G:ROBERT');
    expect(group).toMatchObject({ term: 0 });
    expect(group!.score).toBeLessThan(1);
    expect(hits.find((h) => h.token === 'SMITH')).toMatchObject({ term: 1, score: 1 });
  });

  it('matches a joined surname typed as separate words', () => {
    const hits = expandTerms(queryTerms('MARIA DE LA ROSA'), c);
    expect(hits.find((h) => h.token === 'DELAROSA')).toMatchObject({ term: 1, score: 1 });
  });
});
