/** Running one bench task in a child process and reading its figures. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RunInputs } from '../pipeline/stage.js';
import type { ChildResult } from './child.js';

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

export function measure(task: string, inputs: RunInputs): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, task, JSON.stringify(inputs)], { stdio: ['ignore', 'pipe', 'inherit'] });
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
