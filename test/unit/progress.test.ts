/**
 * Progress bars on a terminal: a stage's named steps (match, export) draw a
 * bar with the step under way; off a terminal nothing is written.
 */
import { describe, expect, it } from 'vitest';
import { stepProgress, terminalProgress } from '../../src/runtime/progress.js';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const s = {
    isTTY,
    text: '',
    write(chunk: string) {
      s.text += chunk;
      return true;
    },
  };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('step progress', () => {
  it('names the step under way and ends at 100% on one line', () => {
    const tty = fakeStream(true);
    const bar = stepProgress(terminalProgress(tty), 'match', 3);
    bar.step('household');
    bar.step('blocking');
    bar.step('persist');
    bar.done();
    const frames = tty.text.split('\r\x1b[2K').filter(Boolean);
    expect(frames[0]).toMatch(/^match \[\.+\] 0% 0\/3 steps \d+s household$/);
    expect(frames.some((f) => /33% 1\/3 steps \d+s blocking$/.test(f))).toBe(true);
    expect(frames.at(-1)).toMatch(/^match \[#+\] 100% 3\/3 steps \d+s\n$/);
  });

  it('writes nothing when stderr is not a terminal (a scheduled run)', () => {
    const pipe = fakeStream(false);
    const bar = stepProgress(terminalProgress(pipe), 'export', 2);
    bar.step('links.csv');
    bar.done();
    expect(pipe.text).toBe('');
  });
});
