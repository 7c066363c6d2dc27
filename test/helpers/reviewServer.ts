/** Start `linkages review serve` as a user would (the built CLI), and stop it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { openDatabase } from '../../src/db/database.js';
import { CLI } from './cli.js';

export interface Served {
  url: string;
  origin: string;
  child: ChildProcess;
  stderr: () => string;
  stop(): Promise<void>;
}

export async function serve(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'review', 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += String(d)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`review serve printed no URL in 60 s\n${err}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`review serve exited with ${code}\n${err}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    child,
    stderr: () => err,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Opens `db` read-only, waiting out (up to 5 s) the server closing it after the request just answered. */
async function openWhenFree(db: string) {
  for (let waited = 0; ; waited += 100) {
    try {
      return await openDatabase(db, { threads: 1, memoryLimit: '512MB', readOnly: true });
    } catch (err) {
      if (waited >= 5000 || !/holds the database/.test(String(err))) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The review_decisions rows of a database, oldest first (opened read-only, closed at once). */
export async function storedDecisions(db: string) {
  const conn = await openWhenFree(db);
  try {
    return await conn.all<{ l: string; r: string; decision: string; reviewer: string; source_file: string }>(
      `SELECT calworks_person_id AS l, cws_client_id AS r, decision, reviewer, source_file FROM review_decisions ORDER BY decision_id`,
    );
  } finally {
    conn.close();
  }
}
