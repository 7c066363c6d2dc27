/**
 * A block of consecutive families rendered to CSV text, one string per
 * output file. Blocks are independent (family i is a pure function of the
 * county and i), so they can be rendered in worker threads and written in
 * order, giving the same bytes whatever the number of threads.
 */
import { csvLine } from './csvSink.js';
import { buildFamily } from './family.js';
import type { County, Family } from './model.js';
import { calworksRows, cwsRows, truthPersonRows, truthRows } from './render.js';

export const BLOCK_FAMILIES = 2000;

export interface RenderedBlock {
  from: number;
  calworks: string;
  cws: string;
  truth: string;
  truthPersons: string;
  rows: { calworks: number; cws: number; truth: number; truthPersons: number };
  kinds: Record<string, number>;
  truthParentPairs: number;
}

function lines(rows: string[][]): string {
  let s = '';
  for (const r of rows) s += csvLine(r);
  return s;
}

/** Rendered text of the given families (in order); `from` labels the block. */
export function renderFamilies(county: County, families: Iterable<Family>, from = 0): RenderedBlock {
  const parts = { calworks: [] as string[], cws: [] as string[], truth: [] as string[], truthPersons: [] as string[] };
  const rows = { calworks: 0, cws: 0, truth: 0, truthPersons: 0 };
  const kinds: Record<string, number> = { CALWORKS_ONLY: 0, CWS_ONLY: 0, MUTUAL: 0 };
  let truthParentPairs = 0;
  for (const f of families) {
    kinds[f.kind]!++;
    const cw = calworksRows(county, f);
    const cws = cwsRows(county, f);
    const truth = truthRows(f);
    const persons = truthPersonRows(f);
    parts.calworks.push(lines(cw));
    parts.cws.push(lines(cws));
    parts.truth.push(lines(truth));
    parts.truthPersons.push(lines(persons));
    rows.calworks += cw.length;
    rows.cws += cws.length;
    rows.truth += truth.length;
    rows.truthPersons += persons.length;
    for (const t of truth) if (t[2] === 'PARENT') truthParentPairs++;
  }
  return {
    from,
    calworks: parts.calworks.join(''),
    cws: parts.cws.join(''),
    truth: parts.truth.join(''),
    truthPersons: parts.truthPersons.join(''),
    rows,
    kinds,
    truthParentPairs,
  };
}

/** Families [from, to) of the county, built and rendered. */
export function renderBlock(county: County, from: number, to: number): RenderedBlock {
  function* build(): Generator<Family> {
    for (let i = from; i < to; i++) yield buildFamily(county, i);
  }
  return renderFamilies(county, build(), from);
}
