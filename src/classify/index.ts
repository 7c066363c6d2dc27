/**
 * Stage `classify`: tonight's Linkages tier of every open CalWORKs case, the
 * mutual clients, and the CalWORKs screening list.
 *
 *   ../facts/nightFacts.ts  the night's extracts at the grain the rules need (parsed values; SEALED left out)
 *   tiers.ts          the tier rules (config `tiers`) and their reasons
 *   mutualClients.ts  mutual clients, hours, assignment priority, new or continuing (registry lineage)
 *   screening.ts      child-welfare families to screen for CalWORKs
 *   outputs.ts        tiers.csv, mutual_clients.csv, calworks_screening.csv
 *
 * Reads: stg_calworks, stg_cws (tonight's rows), clusters, mutual_client_registry,
 * and its own tables of the previous night. Writes: classify_nights, tiers,
 * mutual_clients, calworks_screening (tables.ts). Summary: `tiers` (cases per
 * tier) and `classify`.
 */
import type { Db } from '../db/database.js';
import { dateLit } from '../db/sql.js';
import type { RunContext, Stage } from '../pipeline/stage.js';
import type { Config } from '../../schemas/config.js';
import {
  buildLinkFacts,
  buildRowFacts,
  factContracts,
  fx,
  oversizedClusters,
  snapshotRows,
  TONIGHT_ROWS,
  type FactsOptions,
  type NightRows,
} from '../facts/nightFacts.js';
import type { CapRecord } from '../pipeline/caps.js';
import { recordCaps } from '../pipeline/caps.js';
import { persistMutualClients } from './mutualClients.js';
import { persistScreening } from './screening.js';
import { CLASSIFY_TABLES, classifiedNight, deleteClassifyNight } from './tables.js';
import { buildTierReasons, buildTiers } from './tiers.js';
import { TIERS, type Tier } from './rules.js';

export interface ClassifySummary {
  open_cases: number;
  mutual_clients: number;
  new_mutual_clients: number;
  over_scheduled: number;
  screening: number;
  sealed_cws_clients: number;
  sensitive_mutual_clients: number;
  /** Whether tonight was compared with a previous classified night. */
  compared_with: string | null;
}

export interface ClassifyResult {
  tiers: Record<Tier, number>;
  classify: ClassifySummary;
  caps: CapRecord[];
}

const factsOptions = (config: Config): FactsOptions => ({
  openStatuses: config.tiers.open_calworks_statuses,
  frKeepsOpen: config.tiers.fr_services_keeps_case_open,
  maxClusterRecords: config.match.max_cluster_records,
});

/**
 * `rows`: where tonight's extracts are read (the stage reads stg_<input>; see facts/nightFacts.ts
 * TONIGHT_ROWS). `rowFactsBuilt`: the facts of the rows alone are already built from `rows` (the
 * stage's prepare).
 */
export async function classify(
  db: Db,
  runDate: string,
  previousRunDate: string | null,
  config: Config,
  rows: NightRows = snapshotRows(runDate),
  rowFactsBuilt = false,
): Promise<ClassifyResult> {
  const cfg = config.tiers;
  const d = dateLit(runDate);
  // A previous night only counts when classify ran on it (otherwise there is nothing to continue).
  const previous = (await classifiedNight(db, previousRunDate)) ? previousRunDate : null;
  await deleteClassifyNight(db, runDate);
  if (!rowFactsBuilt) await buildRowFacts(db, runDate, 't', factsOptions(config), rows);
  await buildLinkFacts(db, runDate, 't', factsOptions(config), rows);
  const oversized = await oversizedClusters(db, runDate, config.match.max_cluster_records);
  await buildTierReasons(db, runDate, 't', cfg);
  await buildTiers(db, 't');

  await db.exec(`
    INSERT INTO tiers BY NAME
    SELECT ${d} AS run_date, t.case_number, t.tier, t.reasons, p.tier AS previous_tier, t.office,
           c.worker_id AS calworks_worker_id, c.worker_name AS calworks_worker_name, c.worker_email AS calworks_worker_email
    FROM tmp_tiers_t t
    JOIN ${fx('cw_cases', 't')} c USING (case_number)
    LEFT JOIN tiers p ON p.run_date = ${previous ? dateLit(previous) : 'NULL'} AND p.case_number = t.case_number
    ORDER BY t.case_number`);
  const mutual = await persistMutualClients(db, runDate, previous, cfg.mutual.service_components);
  const screening = await persistScreening(db, runDate, cfg.lookback_days);
  const sealed = await db.count(`SELECT count(*) FROM ${fx('cws_clients', 't')} WHERE sealed`);
  await db.exec(`INSERT INTO classify_nights (run_date, lookback_days, sealed_cws_clients) VALUES (${d}, ${cfg.lookback_days}, ${sealed})`);

  const counts = await db.all<{ tier: Tier; n: number }>(`SELECT tier, count(*)::INTEGER AS n FROM tiers WHERE run_date = ${d} GROUP BY tier`);
  const tiers = Object.fromEntries(TIERS.map((t) => [t, counts.find((c) => c.tier === t)?.n ?? 0])) as Record<Tier, number>;
  const sensitive = await db.count(`SELECT count(DISTINCT mutual_client_id) FROM mutual_clients WHERE run_date = ${d} AND sensitive`);
  await db.exec(`DROP TABLE IF EXISTS tmp_tier_reasons_t; DROP TABLE IF EXISTS tmp_tiers_t`);
  // Tonight's fx_* tables stay for notify (same run, same connection); notify drops them.
  return {
    tiers,
    classify: {
      open_cases: Object.values(tiers).reduce((a, b) => a + b, 0),
      mutual_clients: mutual.mutual_clients,
      new_mutual_clients: mutual.new_mutual_clients,
      over_scheduled: mutual.over_scheduled,
      screening,
      sealed_cws_clients: sealed,
      sensitive_mutual_clients: sensitive,
      compared_with: previous,
    },
    caps: [
      {
        stage: 'classify',
        cap: 'match.max_cluster_records',
        limit: config.match.max_cluster_records,
        count: oversized.clusters,
        what: 'mutual clients of more records than one person has (a chain of links) left out of tiers and mutual clients',
        detail: { records: oversized.records, largest: oversized.largest },
      },
    ],
  };
}

/** The runs whose prepare built tonight's row facts. */
const rowFactsPrepared = new WeakSet<RunContext>();

export const classifyStage: Stage = {
  name: 'classify',
  description: 'Linkages tier of every open CalWORKs case, the mutual clients, and the CalWORKs screening list',
  built: true,
  // tonight's facts too: notify reads them after classify
  writes: [...CLASSIFY_TABLES, ...factContracts('t')],
  // Tonight's facts of the rows alone (the largest: every CalWORKs member) read nothing the night writes.
  async prepare(ctx) {
    await buildRowFacts(ctx.db, ctx.runDate, 't', factsOptions(ctx.config), TONIGHT_ROWS);
    rowFactsPrepared.add(ctx);
  },
  async run(ctx) {
    const prepared = rowFactsPrepared.delete(ctx);
    const r = await classify(ctx.db, ctx.runDate, ctx.previousRunDate, ctx.config, TONIGHT_ROWS, prepared);
    ctx.summary.tiers = r.tiers;
    ctx.summary.classify = r.classify;
    recordCaps(ctx.summary, ctx.log, r.caps);
    ctx.log.info('classify: done', { ...r.tiers, mutual_clients: r.classify.mutual_clients, new_mutual_clients: r.classify.new_mutual_clients });
  },
};
