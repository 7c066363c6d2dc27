/** The software version, from package.json (one definition), for `--version`, the ledger and the database. */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  // src/runtime/ under vitest, dist/src/runtime/ when built: package.json is two or three folders up.
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'linkages' && pkg.version) return pkg.version;
    } catch {
      // not at this level
    }
  }
  return 'unknown';
}

export const SOFTWARE_VERSION = readVersion();
