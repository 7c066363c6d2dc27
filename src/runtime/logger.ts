/**
 * Logging. JSON lines to a file for county IT, readable lines on stderr for
 * whoever watches. Records carry ids and counts only: callers pass a short
 * message and flat metadata, and anything that could carry a value from the
 * data (error messages from DuckDB quote the offending value) goes through
 * `redact` first.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import winston from 'winston';
import { calworksFields } from '../../schemas/calworks.js';
import { cwsFields } from '../../schemas/cws.js';
import { contactsFields, workersFields } from '../../schemas/rosters.js';

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type LogMeta = Record<string, LogValue>;

export interface Logger {
  error(message: string, meta?: LogMeta): void;
  warn(message: string, meta?: LogMeta): void;
  info(message: string, meta?: LogMeta): void;
  debug(message: string, meta?: LogMeta): void;
  /** Fields every later line carries (the run's `run_id`). */
  context(meta: LogMeta): void;
  /** Add a file transport (JSON lines) once the output folder is known. */
  addFile(path: string): void;
  /** Flush the file transports; await before the process ends. */
  close(): Promise<void>;
}

/** Column names of the extracts and rosters: safe to show when an error message quotes one. */
const KNOWN_NAMES = new Set(
  [...calworksFields, ...cwsFields, ...workersFields, ...contactsFields].map((f) => f.name).concat(['source_line', 'extra_columns', 'run_date']),
);

/** A quoted fragment that is a file path, a column name or a run id, not a value from the data. */
function safeQuoted(inner: string): boolean {
  if (/^(\/|\.{1,2}\/|~\/)[^\s]*$/.test(inner) || /^[^\s]*\/[^\s]*\.[A-Za-z0-9]{1,8}$/.test(inner)) return true;
  if (KNOWN_NAMES.has(inner.toLowerCase())) return true;
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(inner);
}

/**
 * Remove personal values from free text such as an error message, which may
 * quote a value from an extract (DuckDB quotes the value it could not read).
 * Quoted fragments go unless they are a path, a column name or a run id;
 * SSN-like digit runs go wherever they are; unquoted dates, counts and ids
 * stay, so the message still says which night, which file and how many.
 */
export function redact(text: string): string {
  return text
    .replace(/'([^']*)'/g, (m, inner: string) => (safeQuoted(inner) ? m : "'…'"))
    .replace(/"([^"]*)"/g, (m, inner: string) => (safeQuoted(inner) ? m : '"…"'))
    .replace(/(?<![\w/.-])\d{3}-?\d{2}-?\d{4}(?![\w-])/g, '…');
}

/**
 * An error as the log, the ledger and stderr show it: its kind (the error
 * class; the DuckDB error type, such as "Conversion Error"; or the system
 * code, such as ENOSPC) and its first line. Our own CliError messages name
 * flags, files and dates and never a value from the data, so they stay whole;
 * every other message is redacted.
 */
export function describeError(err: unknown): { kind: string; message: string } {
  if (!(err instanceof Error)) return { kind: 'Error', message: redact(String(err).split('\n')[0]!.trim()) };
  const first = err.message.split('\n')[0]!.trim();
  if (err.name === 'CliError' || err.name === 'NightHeld') return { kind: err.name, message: first };
  const code = (err as NodeJS.ErrnoException).code;
  const duck = /^([A-Z][A-Za-z]*(?: [A-Z][A-Za-z]*)* Error):/.exec(first)?.[1];
  return { kind: code ?? duck ?? err.name ?? 'Error', message: redact(first) };
}

export function resolveLogLevel(flag: string | undefined): LogLevel | undefined {
  const v = (flag ?? process.env.LINKAGES_LOG_LEVEL ?? '').trim().toLowerCase();
  if (!v) return undefined;
  return (LOG_LEVELS as readonly string[]).includes(v) ? (v as LogLevel) : undefined;
}

const consoleFormat = winston.format.printf((info) => {
  const { level, message, timestamp: _t, ...meta } = info as Record<string, unknown>;
  const extras = Object.entries(meta)
    .filter(([k]) => typeof k === 'string')
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(' ');
  const time = new Date().toISOString().slice(11, 19);
  return `${time} ${String(level).padEnd(5)} ${String(message)}${extras ? `  ${extras}` : ''}`;
});

export function createLogger(opts: { level?: LogLevel; console?: boolean; consoleLevel?: LogLevel } = {}): Logger {
  const level = opts.level ?? 'info';
  const transports: winston.transport[] = [];
  if (opts.console !== false) {
    transports.push(
      new winston.transports.Console({
        stderrLevels: [...LOG_LEVELS],
        format: consoleFormat,
        // --quiet: warnings and errors only on the console; the file keeps the full level.
        ...(opts.consoleLevel ? { level: opts.consoleLevel } : {}),
      }),
    );
  }
  const w = winston.createLogger({
    level,
    levels: { error: 0, warn: 1, info: 2, debug: 3 },
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports,
  });
  const files: winston.transport[] = [];
  const log = (lvl: LogLevel) => (message: string, meta?: LogMeta) => {
    w.log(lvl, message, meta ?? {});
  };
  return {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    context(meta: LogMeta) {
      w.defaultMeta = { ...(w.defaultMeta as LogMeta | undefined), ...meta };
    },
    addFile(path: string) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      const t = new winston.transports.File({ filename: path, options: { mode: 0o600, flags: 'a' } });
      files.push(t);
      w.add(t);
    },
    async close() {
      // winston's own 'finish' fires before file streams flush; wait on each file transport.
      const done = files.map((t) => new Promise<void>((resolve) => t.on('finish', () => resolve())));
      w.end();
      await Promise.race([Promise.all(done), new Promise((r) => setTimeout(r, 2000))]);
    },
  };
}

/** A logger that drops everything, for library use and tests. */
export const silentLogger: Logger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  context() {},
  addFile() {},
  async close() {},
};
