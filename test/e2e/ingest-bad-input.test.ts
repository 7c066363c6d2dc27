/**
 * The bad-input corpus (test/fixtures/bad-input/<case>/): each folder holds
 * its input files and an expected.json with the documented outcome. Cases
 * that must be refused go through the built CLI (exit code, one line on
 * stderr); cases that load run the real runner with stages ingest and export
 * (so later stages' own behaviour on tiny files does not blur what ingest did)
 * and are checked on run_summary.json and quarantine.csv.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { openDatabase } from '../../src/db/database.js';
import { exportStage } from '../../src/export/index.js';
import { ingestStage } from '../../src/ingest/index.js';
import { runPipeline } from '../../src/pipeline/runner.js';
import type { RunInputs } from '../../src/pipeline/stage.js';
import { silentLogger } from '../../src/runtime/logger.js';
import { noProgress } from '../../src/runtime/progress.js';
import { runCliAsync } from '../helpers/cli.js';
import { withTempDir } from '../helpers/db.js';

const ROOT = new URL('../fixtures/bad-input/', import.meta.url).pathname;

interface StagedRow {
  input: string;
  line: number;
  extra_columns: Record<string, unknown> | null;
  values: Record<string, unknown>;
}

interface Expected {
  description: string;
  args?: { calworks?: string; cws?: string; config?: string };
  exit: number;
  stderr?: string[];
  inputs?: Record<string, Record<string, unknown>>;
  quarantined?: { input: string; line: number; reason: string }[];
  noFormulaInAnyCsv?: boolean;
  rawRowStartsWith?: { line: number; prefix: string };
  /** The night the run took its date as. */
  runDate?: string;
  /** Exact raw_row cells of quarantine.csv (masked). */
  rawRows?: { input: string; line: number; equals: string }[];
  /** Text that must appear nowhere in quarantine.csv (personal values, SEALED clients' ids). */
  quarantineExcludes?: string[];
  /** One staged row: its typed values and extra columns. */
  staged?: StagedRow | StagedRow[];
}

const cases = readdirSync(ROOT)
  .filter((d) => !d.startsWith('_') && statSync(join(ROOT, d)).isDirectory())
  .sort();

function inputsOf(dir: string, e: Expected): { inputs: RunInputs; config?: string } {
  const pick = (name: 'calworks' | 'cws') => {
    const given = e.args?.[name];
    if (given) return join(dir, given);
    return existsSync(join(dir, `${name}.csv`)) ? join(dir, `${name}.csv`) : join(ROOT, '_shared', `${name}.csv`);
  };
  return { inputs: { calworks: pick('calworks'), cws: pick('cws') }, ...(e.args?.config ? { config: join(dir, e.args.config) } : {}) };
}

function csvFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.csv'))
    .map((f) => join(dir, f));
}

const FORMULA = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?[0-9]+(\.[0-9]+)?$/;

describe('bad-input corpus', () => {
  it('has a README row for every case', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const c of cases) expect(readme, c).toContain(`\`${c}\``);
  });

  it.concurrent.each(cases)('%s', async (name) => {
    const dir = join(ROOT, name);
    const e = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
    const { inputs, config } = inputsOf(dir, e);
    await withTempDir(async (tmp) => {
      if (e.exit !== 0) {
        const args = ['run', '--calworks', inputs.calworks, '--cws', inputs.cws, '--db', join(tmp, 'db.duckdb'), '--out', join(tmp, 'out')];
        if (config) args.push('--config', config);
        const r = await runCliAsync(args);
        expect(r.code).toBe(e.exit);
        const lines = r.stderr.trim().split('\n');
        // The problem is the one line, even for problems found while reading (issue 10, case 13).
        expect(lines, r.stderr).toHaveLength(1);
        const message = lines[0]!;
        expect(message.startsWith('linkages: ')).toBe(true);
        for (const fragment of e.stderr ?? []) expect(message).toContain(fragment);
        expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
        return;
      }

      const db = await openDatabase(join(tmp, 'db.duckdb'), { threads: 1, memoryLimit: '1GB' });
      let outDir: string;
      try {
        const result = await runPipeline({
          db,
          config: loadConfig(config),
          log: silentLogger,
          progress: noProgress,
          inputs,
          outRoot: join(tmp, 'out'),
          stages: [ingestStage, exportStage],
        });
        outDir = result.outDir;
        for (const want of e.staged === undefined ? [] : [e.staged].flat()) {
          const cols = Object.keys(want.values)
            .map((c) => `${c}`)
            .join(', ');
          const row = await db.one<Record<string, unknown>>(
            `SELECT ${cols}, extra_columns::VARCHAR AS extra FROM stg_${want.input} WHERE source_line = ${want.line}`,
          );
          expect(row, `staged row ${want.input}:${want.line}`).toBeDefined();
          const { extra, ...values } = row!;
          expect(values, `${want.input}:${want.line}`).toEqual(want.values);
          expect(extra === null ? null : JSON.parse(String(extra))).toEqual(want.extra_columns);
        }
      } finally {
        db.close();
      }
      const summary = JSON.parse(readFileSync(join(outDir, 'run_summary.json'), 'utf8'));
      for (const [input, want] of Object.entries(e.inputs ?? {})) expect(summary.inputs[input], input).toMatchObject(want);
      if (e.runDate) expect(summary.run_date).toBe(e.runDate);
      for (const s of Object.values(summary.inputs) as { read: number; loaded: number; quarantined: number }[]) {
        expect(s.read).toBe(s.loaded + s.quarantined);
      }

      const rows = Papa.parse<Record<string, string>>(readFileSync(join(outDir, 'quarantine.csv'), 'utf8'), {
        header: true,
        skipEmptyLines: true,
      }).data;
      expect(rows.map((r) => `${r.input}:${r.line}`)).toEqual((e.quarantined ?? []).map((q) => `${q.input}:${q.line}`));
      for (const [i, q] of (e.quarantined ?? []).entries()) {
        expect(rows[i]!.reason).toContain(q.reason);
        expect(rows[i]!.raw_row!.length).toBeGreaterThan(0);
      }
      if (e.rawRowStartsWith) {
        const row = rows.find((r) => Number(r.line) === e.rawRowStartsWith!.line);
        expect(row?.raw_row?.startsWith(e.rawRowStartsWith.prefix)).toBe(true);
      }
      for (const want of e.rawRows ?? []) {
        const row = rows.find((r) => r.input === want.input && Number(r.line) === want.line);
        expect(row?.raw_row, `${want.input}:${want.line}`).toBe(want.equals);
      }
      const quarantineText = readFileSync(join(outDir, 'quarantine.csv'), 'utf8');
      expect((e.quarantineExcludes ?? []).filter((v) => quarantineText.includes(v))).toEqual([]);
      if (e.noFormulaInAnyCsv) {
        for (const file of csvFilesUnder(outDir)) {
          const cells = Papa.parse<string[]>(readFileSync(file, 'utf8'), { skipEmptyLines: true }).data.flat();
          expect(
            cells.filter((c) => FORMULA.test(c) && !NUMBER.test(c)),
            file,
          ).toEqual([]);
        }
      }
    });
  });
});
