import { describe, expect, it } from 'vitest';
import { bufferPoolLimit } from '../../src/db/memoryBudget.js';
import { openDatabase } from '../../src/db/database.js';

describe('database.memory_limit is the budget of the process (src/db/memoryBudget.ts)', () => {
  it("gives DuckDB's buffer pool three quarters of it", () => {
    expect(bufferPoolLimit('2GB')).toBe('1500MB');
    expect(bufferPoolLimit('1.5 GiB')).toBe('1207MB');
    expect(bufferPoolLimit('512MB')).toBe('384MB');
    expect(bufferPoolLimit('lots')).toBe('lots');
  });

  it('opens DuckDB with that pool', async () => {
    const db = await openDatabase(':memory:', { threads: 1, memoryLimit: '2GB' });
    try {
      const row = await db.one<{ v: string }>(`SELECT current_setting('memory_limit') AS v`);
      expect(row?.v).toBe('1.3 GiB'); // 1500 MB
    } finally {
      db.close();
    }
  });
});
