/**
 * Progress for long stages. On a terminal: a bar (or a counter when the total
 * is unknown) with rows per second, redrawn at most ten times a second. In a
 * scheduled run (stderr not a TTY) nothing is drawn; the pipeline runner logs
 * one line per stage instead.
 */
export interface Progress {
  /** `n` more done; `note` (a step's name) shown after the bar until the next tick. */
  tick(n: number, note?: string): void;
  done(): void;
}

export interface ProgressFactory {
  /** unit `rows` (default): rows per second; `steps`: the step under way and the seconds elapsed, redrawn each second. */
  start(label: string, total?: number, unit?: 'rows' | 'steps'): Progress;
}

/**
 * A stage's named steps as a progress bar: `step(name)` when a step starts,
 * the bar advancing by one as each ends.
 */
export function stepProgress(factory: ProgressFactory, label: string, steps: number): { step(name: string): void; done(): void } {
  const bar = factory.start(label, steps, 'steps');
  let started = false;
  return {
    step(name) {
      bar.tick(started ? 1 : 0, name);
      started = true;
    },
    done() {
      if (started) bar.tick(1, '');
      bar.done();
    },
  };
}

const silent: Progress = { tick() {}, done() {} };

export const noProgress: ProgressFactory = { start: () => silent };

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ProgressFactory {
  if (!stream.isTTY) return noProgress;
  return {
    start(label: string, total?: number, unit: 'rows' | 'steps' = 'rows'): Progress {
      const started = Date.now();
      let rows = 0;
      let lastDraw = 0;
      let note = '';
      const draw = (final: boolean, force = final) => {
        const now = Date.now();
        if (!force && now - lastDraw < 100) return;
        lastDraw = now;
        const secs = Math.max((now - started) / 1000, 0.001);
        const rate = unit === 'steps' ? `${secs.toFixed(0)}s${note ? ` ${note}` : ''}` : `${formatCount(rows / secs)} rows/s`;
        let line: string;
        if (total && total > 0) {
          const width = 24;
          const frac = Math.min(rows / total, 1);
          const filled = Math.round(frac * width);
          const done = unit === 'steps' ? `${rows}/${total} steps` : formatCount(rows);
          line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0)}% ${done} ${rate}`;
        } else {
          line = `${label} ${formatCount(rows)} ${unit} ${rate}`;
        }
        stream.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
      };
      // a step may run for a minute: the seconds keep moving meanwhile
      const timer = unit === 'steps' ? setInterval(() => draw(false), 1000) : undefined;
      timer?.unref();
      return {
        tick(n: number, stepNote?: string) {
          rows += n;
          if (stepNote !== undefined) note = stepNote;
          draw(false, stepNote !== undefined);
        },
        done() {
          if (timer) clearInterval(timer);
          draw(true);
        },
      };
    },
  };
}
