/** Running one bench task in a child process and reading its figures. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RunInputs } from '../pipeline/stage.js';
import type { ChildResult } from './child.js';

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

/** `threads`: the DuckDB threads (and ingest's parsers) of the task; the default config's when absent. */
export function measure(task: string, inputs: RunInputs, opts: { threads?: number; rerun?: boolean } = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    if (opts.threads !== undefined) env.BENCH_THREADS = String(opts.threads);
    if (opts.rerun) env.BENCH_RERUN = '1';
    const child = spawn(process.execPath, [CHILD, task, JSON.stringify(inputs)], { stdio: ['ignore', 'pipe', 'inherit'], env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) return reject(new Error(`bench task ${task} failed (exit ${code})`));
      resolve(JSON.parse(line) as ChildResult);
    });
  });
}
