/**
 * Progress for long stages. On a terminal: a bar (or a counter when the total
 * is unknown) with rows per second, redrawn at most ten times a second. In a
 * scheduled run (stderr not a TTY) nothing is drawn; the pipeline runner logs
 * one line per stage instead.
 */
export interface Progress {
  tick(rows: number): void;
  done(): void;
}

export interface ProgressFactory {
  start(label: string, total?: number): Progress;
}

const silent: Progress = { tick() {}, done() {} };

export const noProgress: ProgressFactory = { start: () => silent };

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ProgressFactory {
  if (!stream.isTTY) return noProgress;
  return {
    start(label: string, total?: number): Progress {
      const started = Date.now();
      let rows = 0;
      let lastDraw = 0;
      const draw = (final: boolean) => {
        const now = Date.now();
        if (!final && now - lastDraw < 100) return;
        lastDraw = now;
        const secs = Math.max((now - started) / 1000, 0.001);
        const rate = `${formatCount(rows / secs)} rows/s`;
        let line: string;
        if (total && total > 0) {
          const width = 24;
          const frac = Math.min(rows / total, 1);
          const filled = Math.round(frac * width);
          line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0)}% ${formatCount(rows)} ${rate}`;
        } else {
          line = `${label} ${formatCount(rows)} rows ${rate}`;
        }
        stream.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
      };
      return {
        tick(n: number) {
          rows += n;
          draw(false);
        },
        done() {
          draw(true);
        },
      };
    },
  };
}
