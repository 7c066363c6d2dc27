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

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type LogMeta = Record<string, LogValue>;

export interface Logger {
  error(message: string, meta?: LogMeta): void;
  warn(message: string, meta?: LogMeta): void;
  info(message: string, meta?: LogMeta): void;
  debug(message: string, meta?: LogMeta): void;
  /** Add a file transport (JSON lines) once the output folder is known. */
  addFile(path: string): void;
  /** Flush the file transports; await before the process ends. */
  close(): Promise<void>;
}

/**
 * Strip quoted fragments and long digit runs from free text, such as an error
 * message, which may quote a value from an extract.
 */
export function redact(text: string): string {
  return text
    .replace(/'[^']*'/g, "'…'")
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\d{3}-?\d{2}-?\d{4}/g, '…')
    .replace(/\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\/\d{1,2}\/\d{4}\b/g, '…');
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

export function createLogger(opts: { level?: LogLevel; console?: boolean } = {}): Logger {
  const level = opts.level ?? 'info';
  const transports: winston.transport[] = [];
  if (opts.console !== false) {
    transports.push(
      new winston.transports.Console({
        stderrLevels: [...LOG_LEVELS],
        format: consoleFormat,
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
  addFile() {},
  async close() {},
};
