/** Worker thread: renders the blocks of families the main thread asks for (see parallel.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { renderBlock } from './block.js';
import { buildCounty, type CountyOptions } from './county.js';

const county = buildCounty(workerData as CountyOptions);
parentPort!.on('message', (m: { from: number; to: number }) => {
  parentPort!.postMessage(renderBlock(county, m.from, m.to));
});
