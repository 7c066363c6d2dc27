/** Shared helpers for the synth tests: generate into a temp folder, read CSVs back. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { buildCounty } from '../../src/synth/county.js';
import { buildFamily } from '../../src/synth/family.js';
import type { Family } from '../../src/synth/model.js';

export function readCsv(dir: string, name: string): { header: string[]; rows: Record<string, string>[] } {
  const text = readFileSync(join(dir, name), 'utf8');
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  if (parsed.errors.length) throw new Error(`${name}: ${parsed.errors[0]!.message} at row ${parsed.errors[0]!.row}`);
  return { header: parsed.meta.fields ?? [], rows: parsed.data };
}

/** The model of a small county, built in memory (no files). */
export function families(n: number, seed: number, extractDate = '2026-11-20'): Family[] {
  const county = buildCounty({ seed, families: n, extractDate });
  return Array.from({ length: n }, (_, i) => buildFamily(county, i));
}
