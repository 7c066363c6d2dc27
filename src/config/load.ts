/** Reading and validating `--config FILE`. */
import { readFileSync } from 'node:fs';
import { usageError } from '../runtime/errors.js';
import { configSchema, type Config } from '../../schemas/config.js';
import { checkConfigConsistency } from './validate.js';

export function defaultConfig(): Config {
  return configSchema.parse({});
}

export function parseConfig(value: unknown, source = 'config'): Config {
  const r = configSchema.safeParse(value);
  if (r.success) {
    checkConfigConsistency(r.data, source);
    return r.data;
  }
  const issue = r.error.issues[0]!;
  const where = issue.path.length ? issue.path.join('.') : '(top level)';
  throw usageError(`${source}: ${where}: ${issue.message}`);
}

export function loadConfig(path: string | undefined): Config {
  if (!path) return defaultConfig();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw usageError(`config file not found or unreadable: ${path}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw usageError(`config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return parseConfig(json, `config ${path}`);
}
