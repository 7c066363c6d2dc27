/**
 * Name and place pools, loaded once from src/synth/data/ (plain data files, so
 * they can be read and extended without touching code).
 *
 * Surnames: the 2010 Census head (the 246 most frequent, each split across
 * communities by the Census race shares), curated Hispanic, Vietnamese,
 * Chinese and Filipino lists, and a long tail of 1990 Census surnames with
 * Zipf weights, so GARCIA, NGUYEN and SMITH are common and most names rare.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Community, Sex } from './model.js';
import { weightTable, type WeightTable } from './random.js';

/** Data files live in src/synth/data; the built code in dist/src/synth finds them there too. */
export function dataPath(name: string): string {
  const beside = fileURLToPath(new URL(`./data/${name}`, import.meta.url));
  if (existsSync(beside)) return beside;
  const fromDist = fileURLToPath(new URL(`../../../src/synth/data/${name}`, import.meta.url));
  if (existsSync(fromDist)) return fromDist;
  throw new Error(`synth data file not found: ${name}`);
}

function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(dataPath(name), 'utf8')) as T;
}

export const COMMUNITIES: Community[] = ['hispanic', 'anglo', 'black', 'vietnamese', 'chinese', 'filipino'];

interface GivenPool {
  adult_f: string[];
  adult_m: string[];
  child_f: string[];
  child_m: string[];
  compound_f?: [string, string][];
  compound_m?: [string, string][];
}

interface PlacesFile {
  offices: { code: string; share: number; cities: [string, string[]][] }[];
  area_codes: string[];
  street_names: string[];
  street_types: [string, string, number][];
  directions: [string, string][];
}

export interface Pools {
  surnames: Record<Community, WeightTable<string>>;
  given: Record<Community, Record<'adult_f' | 'adult_m' | 'child_f' | 'child_m', WeightTable<string>>>;
  compoundGiven: Record<Sex, WeightTable<[string, string]>>;
  /** Canonical given name -> nicknames; -> spelling variants. */
  nicknames: Map<string, string[]>;
  spellings: Map<string, string[]>;
  accents: Map<string, string>;
  places: PlacesFile;
  officeTable: WeightTable<string>;
  streetTypes: WeightTable<number>;
}

/** Weight falling off with rank: the head of a list is much more common than its end. */
function rankWeights<T>(items: readonly T[], exponent = 0.9): [T, number][] {
  return items.map((n, i) => [n, 1 / (i + 1) ** exponent]);
}

function mix<T>(parts: { table: [T, number][]; share: number }[]): WeightTable<T> {
  const out: [T, number][] = [];
  for (const { table, share } of parts) {
    const total = table.reduce((s, [, w]) => s + w, 0);
    for (const [v, w] of table) out.push([v, (w / total) * share]);
  }
  return weightTable(out);
}

function loadSurnames(): Record<Community, WeightTable<string>> {
  const lines = readFileSync(dataPath('surnames_census2010_top.csv'), 'utf8').trim().split('\n').slice(1);
  const white: [string, number][] = [];
  const black: [string, number][] = [];
  const hisp: [string, number][] = [];
  for (const line of lines) {
    const [name, count, pw, pb, , ph] = line.split(',');
    const c = Number(count);
    white.push([name!, (c * Number(pw)) / 100]);
    black.push([name!, (c * Number(pb)) / 100]);
    if (Number(ph) > 50) hisp.push([name!, (c * Number(ph)) / 100]);
  }
  const curated = readJson<Record<string, [string, number][]>>('surnames_curated.json');
  const tail = readFileSync(dataPath('surnames_tail_1990.txt'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
  // Zipf tail: ranks continue after the head (about 200 names).
  const tailTable: [string, number][] = tail.map((n, i) => [n, 1 / (i + 200)]);
  const hispCurated = (curated.hispanic ?? []).map(([n, w]) => [n, w * 1000] as [string, number]);
  return {
    // Shares: how much of each community's people carry a head name versus the long tail.
    anglo: mix([
      { table: white, share: 0.42 },
      { table: tailTable, share: 0.58 },
    ]),
    black: mix([
      { table: black, share: 0.55 },
      { table: tailTable, share: 0.45 },
    ]),
    hispanic: mix([
      { table: hisp, share: 0.72 },
      { table: hispCurated, share: 0.28 },
    ]),
    vietnamese: weightTable(curated.vietnamese!),
    chinese: weightTable(curated.chinese!),
    filipino: weightTable(curated.filipino!),
  };
}

function loadGiven(): { given: Pools['given']; compound: Pools['compoundGiven'] } {
  const file = readJson<Record<string, GivenPool>>('given_names.json');
  const given = {} as Pools['given'];
  for (const c of COMMUNITIES) {
    const g = file[c]!;
    given[c] = {
      adult_f: weightTable(rankWeights(g.adult_f, 0.75)),
      adult_m: weightTable(rankWeights(g.adult_m, 0.75)),
      child_f: weightTable(rankWeights(g.child_f, 0.75)),
      child_m: weightTable(rankWeights(g.child_m, 0.75)),
    };
  }
  const h = file.hispanic!;
  return {
    given,
    compound: {
      F: weightTable(rankWeights(h.compound_f ?? [], 0.7)),
      M: weightTable(rankWeights(h.compound_m ?? [], 0.7)),
    },
  };
}

function toMap(o: Record<string, string[]>): Map<string, string[]> {
  return new Map(Object.entries(o).filter(([, v]) => v.length > 0));
}

let cached: Pools | undefined;

export function pools(): Pools {
  if (cached) return cached;
  const nick = readJson<{ nicknames: Record<string, string[]>; spellings: Record<string, string[]> }>('nicknames.json');
  const accents = readJson<{ words: Record<string, string> }>('accents.json');
  const places = readJson<PlacesFile>('places.json');
  const { given, compound } = loadGiven();
  cached = {
    surnames: loadSurnames(),
    given,
    compoundGiven: compound,
    nicknames: toMap(nick.nicknames),
    spellings: toMap(nick.spellings),
    accents: new Map(Object.entries(accents.words)),
    places,
    officeTable: weightTable(places.offices.map((o) => [o.code, o.share] as [string, number])),
    streetTypes: weightTable(places.street_types.map((t, i) => [i, t[2]] as [number, number])),
  };
  return cached;
}
