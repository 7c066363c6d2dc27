/**
 * Runs the CSV reader in a worker thread when the compiled worker exists (the
 * built CLI), otherwise in this thread (tests running the TypeScript sources).
 * Either way the caller gets the same result and progress callbacks.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { readCsvToRaw, type CsvReadOptions, type CsvReadResult } from './csvReader.js';
import type { WorkerMessage } from './csvWorker.js';

const workerFile = fileURLToPath(new URL('./csvWorker.js', import.meta.url));
const canUseWorker = import.meta.url.endsWith('.js') && existsSync(workerFile);

export function parseCsv(opts: CsvReadOptions): Promise<CsvReadResult> {
  if (!canUseWorker) return readCsvToRaw(opts);
  const { onProgress, ...data } = opts;
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile, { workerData: data });
    let settled = false;
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress?.(m.records, m.bytes);
      else if (m.type === 'done') {
        settled = true;
        resolve(m.result);
      } else {
        settled = true;
        reject(new Error(m.message));
        // A reader that failed may still hold streams open; it must not keep the process alive.
        void worker.terminate();
      }
    });
    worker.on('error', (err) => {
      if (!settled) reject(err);
      settled = true;
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`CSV reader stopped (exit ${code})`));
    });
  });
}
