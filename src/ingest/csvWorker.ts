/**
 * Worker-thread entry: parses one CSV extract into the intermediate files, so
 * the CalWORKs and child-welfare files parse at the same time on two cores.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readCsvToRaw, type CsvReadOptions } from './csvReader.js';

export type WorkerMessage =
  | { type: 'progress'; records: number; bytes: number }
  | { type: 'done'; result: Awaited<ReturnType<typeof readCsvToRaw>> }
  | { type: 'error'; message: string };

const opts = workerData as Omit<CsvReadOptions, 'onProgress'>;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

readCsvToRaw({ ...opts, onProgress: (records, bytes) => post({ type: 'progress', records, bytes }) }).then(
  (result) => post({ type: 'done', result }),
  (err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
);
