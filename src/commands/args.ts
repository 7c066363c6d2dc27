/** Flag parsing for the verbs, on node:util parseArgs, with usage errors as one line. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from '../runtime/errors.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parseFlags(argv: string[], options: OptionSpec, verb: string): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as Parsed['values'], positionals };
  } catch (err) {
    const message = (err as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '');
    throw usageError(`${verb}: ${message} (see linkages ${verb} --help)`);
  }
}

export function str(values: Parsed['values'], key: string): string | undefined {
  const v = values[key];
  return typeof v === 'string' ? v : undefined;
}

export function requireStr(values: Parsed['values'], key: string, verb: string): string {
  const v = str(values, key);
  if (!v) throw usageError(`${verb}: --${key} is required (see linkages ${verb} --help)`);
  return v;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A `YYYY-MM-DD` flag that must be a real calendar date. */
export function dateFlag(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const m = ISO.exec(value);
  const ok =
    m !== null &&
    (() => {
      const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
      return d.toISOString().slice(0, 10) === value;
    })();
  if (!ok) throw usageError(`--${flag} must be a date as YYYY-MM-DD, got "${value}"`);
  return value;
}

export function intFlag(value: string | undefined, flag: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) throw usageError(`--${flag} must be a whole number >= ${min}, got "${value}"`);
  return Number(value);
}
