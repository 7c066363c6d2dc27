/**
 * What a failure's message keeps and loses on its way to the log, stderr and
 * the ledger (redact, describeError), and log rotation with retention.
 */
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/runtime/errors.js';
import { describeError, redact } from '../../src/runtime/logger.js';
import { rotateLog } from '../../src/runtime/logRotation.js';
import { withTempDir } from '../helpers/db.js';

describe('redact', () => {
  it('removes quoted values and SSNs, keeps paths, column names, dates, ids and counts', () => {
    const text = `Conversion Error: Could not convert string 'ROSA MARTINEZ' to DATE in column "dob" of '/srv/in/cws.csv' on 2026-11-21: 1,234 rows, SSN 123-45-6789, run 5d1c2f0e-8d1b-4a51-9a43-2f0d8d1c0b11`;
    expect(redact(text)).toBe(
      `Conversion Error: Could not convert string '…' to DATE in column "dob" of '/srv/in/cws.csv' on 2026-11-21: 1,234 rows, SSN …, run 5d1c2f0e-8d1b-4a51-9a43-2f0d8d1c0b11`,
    );
    expect(redact(`value "04/07/1984" is not a date`)).toBe(`value "…" is not a date`);
  });

  it('names the kind of a failure: DuckDB error type, system code, or our class', () => {
    expect(describeError(new Error("Conversion Error: Could not convert string 'X' to INT32\nLINE 1: ...")).kind).toBe('Conversion Error');
    const enospc = Object.assign(new Error("ENOSPC: no space left on device, write '/srv/out/x.csv'"), { code: 'ENOSPC' });
    expect(describeError(enospc)).toEqual({ kind: 'ENOSPC', message: "ENOSPC: no space left on device, write '/srv/out/x.csv'" });
    // Our own messages carry no data values; they stay whole, dates and quotes included.
    const own = new CliError('run date 2026-11-19 is earlier than the latest night in the database (2026-11-20); use --force');
    expect(describeError(own)).toEqual({ kind: 'CliError', message: own.message });
  });
});

describe('log rotation', () => {
  const policy = { keepNights: 3, maxBytes: 1000 };
  const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

  it('rotates a log of an earlier day, and a same-day log past the size limit, and deletes old ones', async () => {
    await withTempDir(async (dir) => {
      const logs = join(dir, 'logs');
      mkdirSync(logs);
      const log = join(logs, 'linkages.jsonl');
      writeFileSync(log, '{"a":1}\n');
      utimesSync(log, day('2026-11-20'), day('2026-11-20'));
      // A rotated file older than the retention.
      const old = join(logs, 'linkages.2026-11-10.jsonl');
      writeFileSync(old, 'x\n');
      utimesSync(old, day('2026-11-10'), day('2026-11-10'));

      const r = rotateLog(log, policy, day('2026-11-21'));
      expect(r.rotated).toBe(join(logs, 'linkages.2026-11-20.jsonl'));
      expect(r.deleted).toEqual([old]);
      expect(existsSync(log)).toBe(false);

      // Same day, small: stays. Same day, too large: rotated with a counter.
      writeFileSync(log, 'small\n');
      const small = rotateLog(log, policy, new Date());
      expect(small.rotated).toBeNull();
      // Today is more than 3 nights after 2026-11-20: that rotated file goes.
      expect(small.deleted).toEqual([join(logs, 'linkages.2026-11-20.jsonl')]);
      writeFileSync(log, 'x'.repeat(2000));
      const today = new Date().toISOString().slice(0, 10);
      writeFileSync(join(logs, `linkages.${today}.jsonl`), 'earlier today\n');
      const later = rotateLog(log, policy, new Date());
      expect(later.rotated).toBe(join(logs, `linkages.${today}.1.jsonl`));
      expect(readdirSync(logs).sort()).toEqual([`linkages.${today}.1.jsonl`, `linkages.${today}.jsonl`]);
    });
  });
});
