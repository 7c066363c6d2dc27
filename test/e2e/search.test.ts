/**
 * `linkages search` over a generated county: a coordinator finds a parent
 * from a misspelled name, a nickname, first and last name swapped, or one part
 * of a compound surname, sees both systems' records of a linked person with
 * the mutual_client_id and tier, and nothing of the search is logged.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import type { SearchHit } from '../../src/search/hit.js';

type Row = Record<string, string>;
const readCsv = (path: string): Row[] => Papa.parse<Row>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;

const ROOT = new URL('../../', import.meta.url).pathname;

describe('person search', () => {
  let tmp: string;
  let db: string;
  let parents: Row[];
  let night: string;

  const search = (name: string, ...extra: string[]) => {
    const r = runCli(['search', name, '--db', db, '--json', '--limit', '50', ...extra], { cwd: tmp });
    if (r.code !== 0) throw new Error(`search ${name}: ${r.stderr}`);
    return r.stdout.trim()
      ? r.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as SearchHit)
      : [];
  };
  const ids = (hits: SearchHit[]) => hits.map((h) => h.person_id);
  /** The score of the person in the hits: every term must have counted, not just the surname. */
  const scoreOf = (hits: SearchHit[], id: string) => hits.find((h) => h.person_id === id)?.score ?? 0;

  /** A CalWORKs parent as recorded, with a usable name and DOB. */
  const pick = (pred: (p: Row) => boolean) => {
    const p = parents.find(pred);
    if (!p) throw new Error('no such parent in the generated county');
    return p;
  };
  const plain = (s: string) => /^[A-Z]+$/.test(s);

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'linkages-search-'));
    db = join(tmp, 'linkages.duckdb');
    const synth = join(tmp, 'in');
    const out = join(tmp, 'out');
    for (const args of [
      ['synth', '--families', '1200', '--seed', '5', '--out', synth],
      ['run', '--calworks', join(synth, 'calworks.csv'), '--cws', join(synth, 'cws.csv'), '--db', db, '--out', out, '--quiet', '--log-level', 'warn'],
    ]) {
      const r = runCli(args);
      if (r.code !== 0) throw new Error(r.stderr);
    }
    night = readdirSync(out).find((n) => /^\d{4}-/.test(n))!;
    parents = readCsv(join(synth, 'calworks.csv')).filter((r) => r.person_role === 'PARENT' && r.dob && r.first_name && r.last_name);
  }, 180_000);

  afterAll(() => {
    if (process.env.KEEP_TMP !== '1') rmSync(tmp, { recursive: true, force: true });
  });

  it('finds a parent from a misspelled surname (two letters swapped)', () => {
    const p = pick((r) => plain(r.first_name!) && plain(r.last_name!) && r.last_name!.length >= 6);
    const last = p.last_name!;
    const typo = last.slice(0, 2) + last[3] + last[2] + last.slice(4);
    const hits = search(`${p.first_name} ${typo}`, '--dob', p.dob!);
    expect(ids(hits)).toContain(p.person_id);
    expect(scoreOf(hits, p.person_id!)).toBeGreaterThan(0.85);
    expect(ids(search(`${p.first_name!.toLowerCase()} ${typo.toLowerCase()}`)).length).toBeGreaterThan(0);
  });

  it('finds a parent from a nickname of the first name', () => {
    const nick = new Map<string, string>();
    for (const r of readCsv(join(ROOT, 'src/normalize/data/nicknames.csv'))) if (r.name !== r.formal) nick.set(r.formal!, r.name!);
    const p = pick((r) => nick.has(r.first_name!) && plain(r.last_name!));
    const hits = search(`${nick.get(p.first_name!)} ${p.last_name}`, '--dob', p.dob!);
    expect(ids(hits)).toContain(p.person_id);
    expect(scoreOf(hits, p.person_id!)).toBeGreaterThan(0.85);
    expect(scoreOf(search(`${nick.get(p.first_name!)} ${p.last_name}`), p.person_id!)).toBeGreaterThan(0.85);
  });

  it('finds a parent with first and last name swapped, and by date of birth written MM/DD/YYYY', () => {
    const p = pick((r) => plain(r.first_name!) && plain(r.last_name!) && r.first_name !== r.last_name);
    const [y, m, d] = p.dob!.split('-');
    const hits = search(`${p.last_name}, ${p.first_name}`, '--dob', `${m}/${d}/${y}`);
    expect(ids(hits)).toContain(p.person_id);
    expect(scoreOf(hits, p.person_id!)).toBeGreaterThanOrEqual(0.9);
  });

  it('finds a parent by one part of a compound surname, or by its parts joined', () => {
    const p = pick((r) => /^[A-Z]+[ -][A-Z]+$/.test(r.last_name!) && plain(r.first_name!));
    const [a, b] = p.last_name!.split(/[ -]/);
    const part = search(`${p.first_name} ${b}`, '--dob', p.dob!);
    expect(ids(part)).toContain(p.person_id);
    expect(scoreOf(part, p.person_id!)).toBeGreaterThan(0.85);
    const joined = search(`${p.first_name} ${a}${b}`, '--dob', p.dob!);
    expect(ids(joined)).toContain(p.person_id);
    expect(scoreOf(joined, p.person_id!)).toBeGreaterThan(0.85);
  });

  it('shows both systems of a linked parent, with the mutual-client id, linked ids and tier', () => {
    const out = join(tmp, 'out', night);
    const links = readCsv(join(out, 'links.csv'));
    const tiers = new Map(readCsv(join(out, 'tiers.csv')).map((t) => [t.case_number!, t.tier!]));
    const mutual = parents.find((p) => tiers.get(p.case_number!) === 'MUTUAL' && links.some((l) => l.calworks_person_id === p.person_id))!;
    expect(mutual).toBeDefined();
    const link = links.find((l) => l.calworks_person_id === mutual.person_id)!;
    const hits = search(`${mutual.first_name} ${mutual.last_name}`, '--dob', mutual.dob!);
    const cw = hits.find((h) => h.person_id === mutual.person_id)!;
    expect(cw).toMatchObject({ system: 'CALWORKS', mutual_client_id: link.mutual_client_id, tier: 'MUTUAL' });
    expect(cw.linked_ids).toContain(link.cws_client_id);
    expect(cw.cases).toContain(mutual.case_number);
  });

  it('prints a readable table, and logs nothing of what was searched', () => {
    const p = parents[0]!;
    const files = () =>
      readdirSync(tmp, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && !e.name.startsWith('linkages.duckdb'))
        .map((e) => `${join(e.parentPath, e.name)}:${readFileSync(join(e.parentPath, e.name)).length}`)
        .sort();
    const before = files();
    const r = runCli(['search', `${p.first_name} ${p.last_name}`, '--db', db], { cwd: tmp, env: { LINKAGES_LOG_LEVEL: 'debug' } });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^score\s+system\s+id\s+role\s+name\s+dob\s+cases\s+tier\s+mutual_client_id/);
    expect(r.stdout).toContain(p.person_id);
    expect(r.stderr).toBe('');
    expect(files()).toEqual(before);
  });

  it('answers a name nobody has, and refuses a bad DOB or a missing name with exit 2', () => {
    expect(search('Zzyzx Qwertyuiop')).toEqual([]);
    const none = runCli(['search', 'Zzyzx Qwertyuiop', '--db', db]);
    expect(none.stdout).toMatch(/no one found/);
    const bad = runCli(['search', 'Ana', '--dob', '1990-02-30', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(runCli(['search', '--db', db]).code).toBe(2);
    expect(runCli(['search', 'Ana', '--db', join(tmp, 'nope.duckdb')]).code).toBe(2);
  });
});
