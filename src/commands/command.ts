/** What a CLI verb is. Each verb lives in src/commands/<verb>.ts; its one-line summary is in src/cli/app.ts. */
import { str, type OptionSpec, type Parsed } from './args.js';

export interface Command {
  verb: string;
  /** Full `--help` text. */
  usage: string;
  options: OptionSpec;
  run(args: Parsed): Promise<void>;
}

/** Flags most verbs share. */
export const commonOptions = {
  db: { type: 'string' },
  config: { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

export const DEFAULT_DB = './data/linkages.duckdb';
export const DEFAULT_OUT = './out';

/**
 * The database, output folder and config of a verb: the flag, else the
 * environment (LINKAGES_DB, LINKAGES_OUT, LINKAGES_CONFIG: set once for the
 * service account and every coordinator on a shared server), else the default.
 */
export function dbFilePath(values: Parsed['values']): string {
  return str(values, 'db') ?? nonEmpty(process.env.LINKAGES_DB) ?? DEFAULT_DB;
}

export function outPath(values: Parsed['values'], fallback = DEFAULT_OUT): string {
  return str(values, 'out') ?? nonEmpty(process.env.LINKAGES_OUT) ?? fallback;
}

/** The output root without a flag (verbs whose --out means something else): LINKAGES_OUT, else the default. */
export function outRoot(): string {
  return nonEmpty(process.env.LINKAGES_OUT) ?? DEFAULT_OUT;
}

export function configPath(values: Parsed['values']): string | undefined {
  return str(values, 'config') ?? nonEmpty(process.env.LINKAGES_CONFIG);
}

const nonEmpty = (v: string | undefined) => (v && v.trim() ? v : undefined);
