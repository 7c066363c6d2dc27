/**
 * Coordinators' decisions override the model forever: NO_MATCH never links
 * again, MATCH stays CONFIRMED, a decided pair never reappears in the review
 * queue, and the latest decision of a pair is the one in force.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { normalize } from '../../src/normalize/index.js';
import { match } from '../../src/match/index.js';
import { defaultConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/runtime/logger.js';
import { cw, cws, stage, type Row } from './match-fixtures.js';

const FIRST = ['ANA', 'BEATRIZ', 'CARMEN', 'DIANA', 'ELENA', 'FATIMA', 'GLORIA', 'HILDA', 'IRMA', 'JULIA', 'KAREN', 'LAURA'];
const LAST = ['ALVAREZ', 'BECKER', 'CHAVEZ', 'DUNCAN', 'ESPARZA', 'FOSTER', 'GUZMAN', 'HOLT', 'IBARRA', 'JENKINS', 'KRAMER', 'LOZANO'];

let db: Db;
let dir: string;

const pair = (l: string, r: string) => `calworks_person_id = '${l}' AND cws_client_id = '${r}'`;
const linkOf = (l: string, r: string, night: string) =>
  db.one<{ decision: string }>(`SELECT decision FROM links WHERE run_date = DATE '${night}' AND ${pair(l, r)}`);
const inQueue = (l: string, r: string, night: string) => db.count(`SELECT count(*) FROM review_queue WHERE run_date = DATE '${night}' AND ${pair(l, r)}`);

async function decide(l: string, r: string, decision: string, at: string): Promise<void> {
  await db.exec(`INSERT INTO review_decisions (calworks_person_id, cws_client_id, decision, reviewer, decided_at, source_file)
                 VALUES ('${l}', '${r}', '${decision}', 'test', TIMESTAMP '${at}', 'test.csv')`);
}

const run = (night: string) => match(db, { runDate: night, config: defaultConfig().match, log: silentLogger });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'linkages-decisions-'));
  db = await openDatabase(':memory:', { threads: 2, memoryLimit: '1GB' });
  await migrate(db);
  const calworks: Row[] = [];
  const cwsRows: Row[] = [];
  // 144 parents per side, 36 of them the same people (exact names, DOB, SSN)
  let n = 0;
  for (const f of FIRST) {
    for (const l of LAST) {
      n++;
      const dob = `19${70 + (n % 25)}-${String((n % 12) + 1).padStart(2, '0')}-${String((n % 27) + 1).padStart(2, '0')}`;
      const ssn = `5${String(10 + (n % 89)).padStart(2, '0')}-${String(10 + (n % 80))}-${String(1000 + n)}`;
      calworks.push(cw(`P${n}`, { first_name: f, last_name: l, dob, ssn, sex: 'F' }));
      if (n % 4 === 0) cwsRows.push(cws(`C${n}`, { first_name: f, last_name: l, dob, ssn, sex: 'F' }));
      else cwsRows.push(cws(`C${n}`, { first_name: f, last_name: `${l}SON`, dob: '1960-06-06', sex: 'F' }));
    }
  }
  await stage(db, dir, calworks, cwsRows);
  await normalize(db);
  await run('2026-01-01');
});

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('coordinator decisions', () => {
  it('the model links the same people on its own', async () => {
    expect((await linkOf('P4', 'C4', '2026-01-01'))?.decision).toBe('AUTO');
    expect((await linkOf('P8', 'C8', '2026-01-01'))?.decision).toBe('AUTO');
    expect(await linkOf('P1', 'C1', '2026-01-01')).toBeUndefined();
  });

  it('NO_MATCH never links again; MATCH is a CONFIRMED link; neither returns to the queue', async () => {
    await decide('P4', 'C4', 'NO_MATCH', '2026-01-01 10:00:00');
    await decide('P1', 'C1', 'MATCH', '2026-01-01 10:05:00');
    for (const night of ['2026-01-01', '2026-01-02']) {
      const s = await run(night);
      expect(await linkOf('P4', 'C4', night)).toBeUndefined();
      expect(await inQueue('P4', 'C4', night)).toBe(0);
      expect((await linkOf('P1', 'C1', night))?.decision).toBe('CONFIRMED');
      expect(await inQueue('P1', 'C1', night)).toBe(0);
      expect((await linkOf('P8', 'C8', night))?.decision).toBe('AUTO');
      expect(s.links_confirmed).toBe(1);
      expect(s.decisions.rejected_by_coordinator).toBe(1);
    }
  });

  it('the latest decision of a pair is in force', async () => {
    await decide('P1', 'C1', 'NO_MATCH', '2026-01-02 09:00:00');
    await decide('P4', 'C4', 'MATCH', '2026-01-02 09:00:00');
    await run('2026-01-03');
    expect(await linkOf('P1', 'C1', '2026-01-03')).toBeUndefined();
    expect((await linkOf('P4', 'C4', '2026-01-03'))?.decision).toBe('CONFIRMED');
  });

  it("explains every link field by field and keeps the night's parameters", async () => {
    const row = await db.one<{ e: string }>(`SELECT explanation::VARCHAR AS e FROM links WHERE run_date = DATE '2026-01-03' AND ${pair('P8', 'C8')}`);
    const e = JSON.parse(row!.e) as { prior_weight: number; fields: Record<string, { label: string; weight: number }> };
    expect(e.fields.ssn?.label).toBe('exact');
    expect(e.fields.dob?.label).toBe('exact');
    expect(e.fields.ssn!.weight).toBeGreaterThan(0);
    const params = await db.count(`SELECT count(DISTINCT comparison) FROM model_params WHERE run_date = DATE '2026-01-03'`);
    expect(params).toBe(8);
  });
});
