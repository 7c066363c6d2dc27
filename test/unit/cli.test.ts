import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('command line', () => {
  it('rejects an unknown verb with exit 2 and one line naming it', () => {
    const r = runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('frobnicate');
  });

  it('prints usage for --help', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('linkages <verb>');
    const run = runCli(['run', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--calworks');
  });

  it('rejects a bad --run-date with exit 2 and one line', () => {
    const r = runCli(['run', '--calworks', 'package.json', '--cws', 'package.json', '--run-date', '2026-02-30']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--run-date');
  });

  it('names a nonexistent input file with exit 2', () => {
    const r = runCli(['run', '--calworks', 'nope/calworks.csv', '--cws', 'package.json']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('nope/calworks.csv');
  });

  it('rejects unknown flags with exit 2', () => {
    const r = runCli(['run', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--bogus');
  });
});
