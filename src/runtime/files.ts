/**
 * Writing outputs so a crash never leaves a half-written file visible: write to
 * a temporary name in the same folder, then rename (atomic on one filesystem).
 * Everything we write is private to its owner.
 */
import { createHash } from 'node:crypto';
import { chmodSync, createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import PQueue from 'p-queue';

export function ensurePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  ensurePrivateDir(dirname(path));
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(tmp, data, { mode: 0o600 });
  renameSync(tmp, path);
}

/**
 * The hidden staging folder where a run writes its outputs before publishing
 * them. Named for the process, so a run can tell its own leftovers from the
 * live folder of another run sharing the output folder (another database).
 */
export function stagingDirFor(finalDir: string): string {
  return join(dirname(finalDir), `.${basename(finalDir)}.${process.pid}.partial`);
}

const STAGING = /^\..+?(?:\.(\d+))?\.partial$/;

/** A staging folder left by a process that is gone (or by a version that did not name its process). */
export function abandonedStaging(name: string): boolean {
  const m = STAGING.exec(name);
  if (!m) return false;
  if (!m[1]) return true;
  const pid = Number(m[1]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'EPERM';
  }
}

/** Start a fresh staging folder for `finalDir`, discarding leftovers of a killed run. */
export function startStagingDir(finalDir: string): string {
  const staging = stagingDirFor(finalDir);
  rmSync(staging, { recursive: true, force: true });
  ensurePrivateDir(staging);
  return staging;
}

/**
 * Replace `finalDir` with the staging folder. The old folder is moved aside
 * first and removed after, so at every instant either the old or the new
 * complete folder is visible under the final name (or, for an instant between
 * the two renames, none).
 */
export function publishDir(staging: string, finalDir: string): void {
  const old = join(dirname(finalDir), `.${basename(finalDir)}.old`);
  rmSync(old, { recursive: true, force: true });
  if (existsSync(finalDir)) renameSync(finalDir, old);
  renameSync(staging, finalDir);
  rmSync(old, { recursive: true, force: true });
}

/** Recover after a crash between the two renames of `publishDir`. */
export function recoverPublish(finalDir: string): void {
  const old = join(dirname(finalDir), `.${basename(finalDir)}.old`);
  if (!existsSync(old)) return;
  if (existsSync(finalDir)) rmSync(old, { recursive: true, force: true });
  else renameSync(old, finalDir);
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => h.update(c))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

/**
 * `output.group_readable`: open a published folder (and the folders above it,
 * up to `root`) to the group: folders 0750, files 0640. Everything is written
 * owner-only first (umask 077) and opened only once complete.
 */
export function openToGroup(root: string, path: string): void {
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      chmodSync(p, 0o750);
      for (const name of readdirSync(p)) walk(join(p, name));
    } else {
      chmodSync(p, 0o640);
    }
  };
  if (existsSync(path)) walk(path);
  for (let dir = dirname(path); dir.startsWith(root) && dir.length >= root.length; dir = dirname(dir)) {
    if (existsSync(dir)) chmodSync(dir, 0o750);
    if (dir === root) break;
  }
}

/**
 * File work a writer leaves running on libuv's threads (writing thousands of recipients' lists)
 * while DuckDB goes on with the night; `done()` before the folder is published.
 *
 * DuckDB's client runs each statement as libuv work too, on the same pool (4 threads): thousands of
 * file operations queued at once made the night's next statements wait behind them (a DESCRIBE
 * took 0.45 s). `run` therefore keeps at most BACKGROUND_LANES operations in flight (p-queue).
 */
export const BACKGROUND_LANES = 2;

export class Background {
  private readonly pending: Promise<{ err: unknown } | null>[] = [];
  private readonly queue = new PQueue({ concurrency: BACKGROUND_LANES });

  /**
   * `task` in the background, at most BACKGROUND_LANES at a time (see the class comment). Resolves
   * once the task has started, so a producer that awaits each call holds at most that many items.
   */
  async run(task: () => Promise<void>): Promise<void> {
    // Handled at once, so a failure is reported by done(), never as an unhandled rejection.
    this.pending.push(
      this.queue.add(task).then(
        () => null,
        (err: unknown) => ({ err }),
      ),
    );
    await this.queue.onSizeLessThan(1);
  }

  async done(): Promise<void> {
    const failed = (await Promise.all(this.pending.splice(0))).find((r) => r !== null);
    if (failed) throw failed.err;
  }
}
