/** What a CLI verb is. Each verb lives in src/commands/<verb>.ts; its one-line summary is in src/cli/app.ts. */
import type { OptionSpec, Parsed } from './args.js';

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
