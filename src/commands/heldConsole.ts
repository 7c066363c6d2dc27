/**
 * `linkages run` refuses some nights only once it has read the inputs (a run
 * date earlier than the latest night, no run date to take, an Arrow stream
 * cut short). Such a refusal is exit 2 with ONE line on stderr, so the
 * console lines of the night are held until the night is settled (ingest
 * done, run date accepted) and then printed; a refusal drops them. The log
 * file gets every line as it happens.
 */
import type { Logger, LogMeta } from '../runtime/logger.js';

type Level = 'error' | 'warn' | 'info' | 'debug';

export interface HeldConsoleLogger extends Logger {
  /** Print what was held and pass every later line straight through. */
  release(): void;
  /** Forget what was held (the run is refused with one line). */
  drop(): void;
}

export function holdConsole(file: Logger, console: Logger): HeldConsoleLogger {
  let held: [Level, string, LogMeta | undefined][] | null = [];
  const at = (level: Level) => (message: string, meta?: LogMeta) => {
    file[level](message, meta);
    if (held) held.push([level, message, meta]);
    else console[level](message, meta);
  };
  return {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    context(meta) {
      file.context(meta);
      console.context(meta);
    },
    addFile: (path) => file.addFile(path),
    release() {
      const lines = held ?? [];
      held = null;
      for (const [level, message, meta] of lines) console[level](message, meta);
    },
    drop() {
      held = null;
    },
    async close() {
      await Promise.all([file.close(), console.close()]);
    },
  };
}
