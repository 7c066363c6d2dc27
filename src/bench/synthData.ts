/**
 * Bench data: `linkages synth` output cached under .bench/ by size and seed,
 * generated once (a marker file says the folder is complete).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunInputs } from '../pipeline/stage.js';
import { makeDegenerate, type DegenerateKind } from './degenerate.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

export interface BenchData {
  label: string;
  families: number;
  seed: number;
  inputs: RunInputs;
  /** Bytes of the two extracts. */
  bytes: number;
}

/** `lookalikes` > 1: K times the look-alike families, most at one address (LINKAGES_SYNTH_LOOKALIKES). */
export function synthData(families: number, seed: number, root = '.bench', lookalikes = 1): BenchData {
  const dir = resolve(root, `synth-${families}-${seed}${lookalikes > 1 ? `-lookalikes${lookalikes}` : ''}`);
  const done = join(dir, '.complete');
  if (!existsSync(done)) {
    rmSync(dir, { recursive: true, force: true });
    process.stderr.write(`bench: generating ${families.toLocaleString('en-US')} families (seed ${seed}) into ${dir} ...\n`);
    const r = spawnSync(process.execPath, [CLI, 'synth', '--families', String(families), '--seed', String(seed), '--out', dir], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, LINKAGES_SYNTH_LOOKALIKES: String(lookalikes) },
    });
    if (r.status !== 0) throw new Error(`linkages synth failed (exit ${r.status})`);
    writeFileSync(done, `${new Date().toISOString()}\n`);
  }
  const inputs: RunInputs = {
    calworks: join(dir, 'calworks.csv'),
    cws: join(dir, 'cws.csv'),
    workers: join(dir, 'workers.csv'),
    contacts: join(dir, 'contacts.csv'),
  };
  const bytes = statSync(inputs.calworks).size + statSync(inputs.cws).size;
  const label = `${families.toLocaleString('en-US')} families${lookalikes > 1 ? `, ${lookalikes}x look-alikes` : ''}`;
  return { label, families, seed, inputs, bytes };
}

/**
 * A degenerate county (degenerate.ts) for the bench: `linkages synth` output
 * of `families` rewritten, cached under .bench/ like synthData.
 */
export function degenerateData(kind: DegenerateKind, families: number, seed: number, size = 2000, root = '.bench'): BenchData {
  const base = synthData(families, seed, root);
  const dir = resolve(root, `degenerate-${kind}-${families}-${seed}${kind === 'big_referral' ? `-${size}` : ''}`);
  const done = join(dir, '.complete');
  if (!existsSync(done)) {
    rmSync(dir, { recursive: true, force: true });
    cpSync(dirname(base.inputs.calworks), dir, { recursive: true });
    rmSync(join(dir, '.complete'), { force: true });
    makeDegenerate(dir, kind, size);
    writeFileSync(done, `${new Date().toISOString()}\n`);
  }
  const inputs: RunInputs = {
    calworks: join(dir, 'calworks.csv'),
    cws: join(dir, 'cws.csv'),
    workers: join(dir, 'workers.csv'),
    contacts: join(dir, 'contacts.csv'),
  };
  const bytes = statSync(inputs.calworks).size + statSync(inputs.cws).size;
  return { label: `${kind} ${families.toLocaleString('en-US')} families`, families, seed, inputs, bytes };
}
