/**
 * Scoring a night's outputs against a synthetic county's truth
 * (`linkages synth --nights`, src/synth/oracle.ts): tier accuracy over the
 * union of open cases, and per event type precision, recall and F1 of the
 * events (event_type, case_number, subject_key) in notifications.csv. Used by
 * the e2e tests and `node dist/src/notify/evaluate.js` (see src/notify/README.md).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase, type Db } from '../db/database.js';
import { lit } from '../db/sql.js';
import { EVENT_TYPES } from './rules.js';

export interface TypeScore {
  truth: number;
  emitted: number;
  tp: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface NightScore {
  cases: number;
  tierAccuracy: number;
  tierConfusion: Record<string, number>;
  events: Record<string, TypeScore>;
  eventIds: string[];
  falsePositives: { event_type: string; case_number: string; subject: string }[];
  falseNegatives: { event_type: string; case_number: string; subject: string }[];
}

const csv = (path: string) => `read_csv(${lit(path)}, header = true, all_varchar = true, auto_detect = true)`;

export async function scoreNight(db: Db, outDir: string, truthDir: string): Promise<NightScore> {
  const tiers = await db.one<{ n: number; ok: number }>(`
    SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE t.tier IS NOT DISTINCT FROM p.tier)::INTEGER AS ok
    FROM ${csv(join(truthDir, 'truth_tiers.csv'))} t FULL JOIN ${csv(join(outDir, 'tiers.csv'))} p USING (case_number)`);
  const confusion = await db.all<{ k: string; n: number }>(`
    SELECT coalesce(t.tier, '-') || '>' || coalesce(p.tier, '-') AS k, count(*)::INTEGER AS n
    FROM ${csv(join(truthDir, 'truth_tiers.csv'))} t FULL JOIN ${csv(join(outDir, 'tiers.csv'))} p USING (case_number)
    WHERE t.tier IS DISTINCT FROM p.tier GROUP BY 1 ORDER BY 1`);
  await db.exec(`
    CREATE OR REPLACE TEMP TABLE ev_truth AS SELECT DISTINCT event_type, case_number, subject FROM ${csv(join(truthDir, 'truth_events.csv'))};
    -- subject_key is the subject as the truth keys it ('' on a row that withholds it from its recipient)
    CREATE OR REPLACE TEMP TABLE ev_out AS SELECT DISTINCT event_id, event_type, case_number, subject_key AS subject
      FROM ${csv(join(outDir, 'notifications.csv'))} WHERE subject_key <> '';`);
  const events: Record<string, TypeScore> = {};
  for (const type of EVENT_TYPES) {
    const r = await db.one<{ truth: number; emitted: number; tp: number }>(`
      SELECT (SELECT count(*) FROM ev_truth WHERE event_type = ${lit(type)})::INTEGER AS truth,
             (SELECT count(*) FROM (SELECT DISTINCT event_type, case_number, subject FROM ev_out) WHERE event_type = ${lit(type)})::INTEGER AS emitted,
             (SELECT count(*) FROM ev_truth t JOIN (SELECT DISTINCT event_type, case_number, subject FROM ev_out) o USING (event_type, case_number, subject)
              WHERE t.event_type = ${lit(type)})::INTEGER AS tp`);
    const { truth, emitted, tp } = r!;
    const precision = emitted ? tp / emitted : truth ? 0 : 1;
    const recall = truth ? tp / truth : emitted ? 0 : 1;
    events[type] = { truth, emitted, tp, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
  }
  const fp = await db.all<{ event_type: string; case_number: string; subject: string }>(`
    SELECT event_type, case_number, subject FROM (SELECT DISTINCT event_type, case_number, subject FROM ev_out) EXCEPT SELECT * FROM ev_truth ORDER BY ALL`);
  const fn = await db.all<{ event_type: string; case_number: string; subject: string }>(`
    SELECT * FROM ev_truth EXCEPT SELECT event_type, case_number, subject FROM ev_out ORDER BY ALL`);
  const ids = (await db.all<{ event_id: string }>(`SELECT DISTINCT event_id FROM ev_out ORDER BY 1`)).map((r) => r.event_id);
  await db.exec(`DROP TABLE ev_truth; DROP TABLE ev_out`);
  return {
    cases: tiers!.n,
    tierAccuracy: tiers!.n ? tiers!.ok / tiers!.n : 1,
    tierConfusion: Object.fromEntries(confusion.map((c) => [c.k, c.n])),
    events,
    eventIds: ids,
    falsePositives: fp,
    falseNegatives: fn,
  };
}

export function formatScore(label: string, s: NightScore): string {
  const lines = [
    `${label}: tier accuracy ${s.tierAccuracy.toFixed(4)} over ${s.cases} cases${
      Object.keys(s.tierConfusion).length
        ? ` (wrong: ${Object.entries(s.tierConfusion)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')})`
        : ''
    }`,
  ];
  for (const [type, e] of Object.entries(s.events)) {
    if (!e.truth && !e.emitted) continue;
    lines.push(
      `  ${type.padEnd(22)} truth ${String(e.truth).padStart(5)}  emitted ${String(e.emitted).padStart(5)}  precision ${e.precision.toFixed(3)}  recall ${e.recall.toFixed(3)}  F1 ${e.f1.toFixed(3)}`,
    );
  }
  return lines.join('\n');
}

/** `node dist/src/notify/evaluate.js OUT_NIGHT_DIR TRUTH_NIGHT_DIR [...more pairs]` */
async function main(args: string[]): Promise<void> {
  const db = await openDatabase(':memory:', { threads: 2, memoryLimit: '2GB' });
  try {
    const seen = new Set<string>();
    for (let k = 0; k + 1 < args.length; k += 2) {
      const s = await scoreNight(db, args[k]!, args[k + 1]!);
      process.stdout.write(`${formatScore(args[k]!, s)}\n`);
      const repeated = s.eventIds.filter((id) => seen.has(id)).length;
      process.stdout.write(`  event_ids: ${s.eventIds.length}, of an earlier night: ${repeated}\n`);
      for (const id of s.eventIds) seen.add(id);
      if (process.env.SHOW_ERRORS) {
        for (const e of s.falsePositives) process.stdout.write(`  FP ${e.event_type} ${e.case_number} ${e.subject}\n`);
        for (const e of s.falseNegatives) process.stdout.write(`  FN ${e.event_type} ${e.case_number} ${e.subject}\n`);
      }
    }
  } finally {
    db.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
