/**
 * Rotation of the run log (OUT/logs/linkages.jsonl), done by `linkages run`
 * before it opens the file: a log last written on an earlier day (UTC), or
 * grown past the size limit, is renamed to `linkages.<day>[.<n>].jsonl`, and
 * rotated files older than the retention are deleted. One process writes the
 * log at a time (the run holds the database), so no lock is needed.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

export interface RotationPolicy {
  /** Rotated files are kept this many days after they were last written. */
  keepNights: number;
  /** A log larger than this is rotated even on the same day. */
  maxBytes: number;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Rotate `path` if due, then prune; returns the files rotated away and deleted, for the log. */
export function rotateLog(path: string, policy: RotationPolicy, now = new Date()): { rotated: string | null; deleted: string[] } {
  const dir = dirname(path);
  const ext = extname(path);
  const stem = basename(path, ext);
  let rotated: string | null = null;
  if (existsSync(path)) {
    const st = statSync(path);
    if (st.size > 0 && (day(st.mtime) < day(now) || st.size >= policy.maxBytes)) {
      const stamp = day(st.mtime);
      let target = join(dir, `${stem}.${stamp}${ext}`);
      for (let n = 1; existsSync(target); n++) target = join(dir, `${stem}.${stamp}.${n}${ext}`);
      renameSync(path, target);
      rotated = target;
    }
  }
  const deleted: string[] = [];
  if (existsSync(dir)) {
    const cutoff = now.getTime() - policy.keepNights * 86_400_000;
    const pattern = new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.\\d{4}-\\d{2}-\\d{2}(\\.\\d+)?${ext.replace('.', '\\.')}$`);
    for (const name of readdirSync(dir).sort()) {
      if (!pattern.test(name)) continue;
      const file = join(dir, name);
      if (statSync(file).mtime.getTime() < cutoff) {
        rmSync(file, { force: true });
        deleted.push(file);
      }
    }
  }
  return { rotated, deleted };
}
