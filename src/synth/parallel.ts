/**
 * Rendering blocks of families on worker threads (one per core, two at most
 * by default) and handing them back in family order, with a bounded number
 * of blocks in flight so memory stays flat. Falls back to the calling thread
 * when the compiled worker is not there (tests run the TypeScript sources).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BLOCK_FAMILIES, renderBlock, type RenderedBlock } from './block.js';
import { buildCounty, type CountyOptions } from './county.js';

const WORKER_URL = new URL('./blockWorker.js', import.meta.url);

/** Threads to use: LINKAGES_SYNTH_THREADS when set, else up to 2 for large counties. */
export function synthThreads(families: number): number {
  const env = Number(process.env.LINKAGES_SYNTH_THREADS);
  const wanted = Number.isInteger(env) && env >= 1 ? env : families >= 20_000 ? Math.min(2, availableParallelism()) : 1;
  return wanted > 1 && existsSync(fileURLToPath(WORKER_URL)) ? wanted : 1;
}

/** Calls `write` with every block, in order. */
export async function renderAllBlocks(o: CountyOptions, threads: number, write: (b: RenderedBlock) => void): Promise<void> {
  const blocks: [number, number][] = [];
  for (let from = 0; from < o.families; from += BLOCK_FAMILIES) blocks.push([from, Math.min(o.families, from + BLOCK_FAMILIES)]);
  if (threads <= 1) {
    const county = buildCounty(o);
    for (const [from, to] of blocks) write(renderBlock(county, from, to));
    return;
  }
  const workers = Array.from({ length: threads }, () => new Worker(WORKER_URL, { workerData: o }));
  const done = new Map<number, RenderedBlock>();
  let next = 0; // next block to hand out
  let written = 0; // next block to write
  try {
    await new Promise<void>((resolve, reject) => {
      const maxAhead = threads * 3;
      const idle: Worker[] = [];
      const dispatch = () => {
        while (idle.length && next < blocks.length && next - written < maxAhead) {
          const [from, to] = blocks[next++]!;
          idle.pop()!.postMessage({ from, to });
        }
      };
      const flush = () => {
        for (let b = done.get(blocks[written]?.[0] ?? -1); b; b = done.get(blocks[written]?.[0] ?? -1)) {
          done.delete(b.from);
          write(b);
          written++;
        }
        if (written === blocks.length) resolve();
      };
      for (const w of workers) {
        w.on('message', (b: RenderedBlock) => {
          done.set(b.from, b);
          try {
            flush();
          } catch (err) {
            reject(err);
            return;
          }
          idle.push(w);
          dispatch();
        });
        w.on('error', reject);
        w.on('exit', (code) => {
          if (code !== 0 && written < blocks.length) reject(new Error(`synth worker stopped with code ${code}`));
        });
        idle.push(w);
      }
      if (!blocks.length) resolve();
      dispatch();
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
