/**
 * One person id on two rows with different values (MELISSA on one case,
 * MELISA on another, same day): the person is the same whatever the order of
 * the file, and the disagreement is counted in run_summary.json
 * (`conflicting_ids`) (issue 10, case 5).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { openDatabase } from '../../src/db/database.js';
import { ingestStage } from '../../src/ingest/index.js';
import { normalizeStage } from '../../src/normalize/index.js';
import { runPipeline } from '../../src/pipeline/runner.js';
import { silentLogger } from '../../src/runtime/logger.js';
import { noProgress } from '../../src/runtime/progress.js';
import { withTempDir } from '../helpers/db.js';

const HEADER = 'extract_date,case_number,person_id,person_role,first_name,last_name,dob,sex,ssn,case_status';
const ROWS = [
  '2026-03-01,C100,P1001,PARENT,MELISSA,HARTWELL,1981-02-11,F,511-21-3411,ACTIVE',
  '2026-03-01,C200,P1001,PARENT,MELISA,HARTWELL,1981-02-11,F,511-21-3411,ACTIVE',
  '2026-03-01,C100,P1002,CHILD,ANA,HARTWELL,2015-02-11,F,,ACTIVE',
  '2026-03-01,C300,P1003,PARENT,JOSE,LOPEZ,1979-02-11,M,,ACTIVE',
  '2026-03-01,C301,P1003,PARENT,JOSE,LOPEZ,1979-02-11,M,,ACTIVE',
];
const CWS =
  'extract_date,client_id,referral_id,client_role,first_name,last_name,dob,ssn,referral_date\n2026-03-01,K1,R1,PARENT,MELISSA,HARTWELL,1981-02-11,,2026-01-15\n';

async function personOf(tmp: string, rows: string[]) {
  writeFileSync(join(tmp, 'calworks.csv'), [HEADER, ...rows].join('\n') + '\n');
  writeFileSync(join(tmp, 'cws.csv'), CWS);
  const db = await openDatabase(':memory:', { threads: 1, memoryLimit: '1GB' });
  const sql = `SELECT first_name_display AS first FROM int_persons WHERE person_key = 'P1001'`;
  let p: { first: string } | undefined;
  try {
    const result = await runPipeline({
      db,
      config: loadConfig(undefined),
      log: silentLogger,
      progress: noProgress,
      inputs: { calworks: join(tmp, 'calworks.csv'), cws: join(tmp, 'cws.csv') },
      outRoot: join(tmp, 'out'),
      // int_persons is the night's scratch, gone once the night commits: read it from a stage
      stages: [
        ingestStage,
        normalizeStage,
        { name: 'match', description: 'read int_persons', built: true, run: async (ctx) => void (p = await ctx.db.one(sql)) },
      ],
    });
    return { first: p?.first, conflicting: result.summary.inputs.calworks?.conflicting_ids };
  } finally {
    db.close();
  }
}

describe('the order of an extract', () => {
  it('does not change which of two disagreeing rows of one id is used, and counts the id', async () => {
    await withTempDir(async (tmp) => {
      const forward = await personOf(tmp, ROWS);
      const reversed = await personOf(tmp, [...ROWS].reverse());
      expect(forward.first).toBeDefined();
      expect(reversed.first).toBe(forward.first);
      expect(forward.conflicting).toBe(1);
      expect(reversed.conflicting).toBe(1);
    });
  });
});
