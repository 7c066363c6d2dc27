/**
 * Stage `check`: before anything of the night is published, compare tonight's
 * extracts with the previous published night's (src/checks/compare.ts). A
 * night that looks wrong (a cut or empty extract, yesterday's file again, a
 * column of SSNs gone) is held: the stage throws `NightHeld`, the runner rolls
 * the night back and records it as `held` with its reasons, and the CLI exits
 * 4. `--accept-anomalies` publishes it anyway, the reasons kept in the ledger
 * and in run_summary.json.
 */
import { NightHeld } from '../runtime/errors.js';
import type { Db } from '../db/database.js';
import { dateLit } from '../db/sql.js';
import { ledgerUpdate } from '../pipeline/ledger.js';
import type { RunContext, Stage } from '../pipeline/stage.js';
import { snapshotTable, stagingTable } from '../ingest/inputs.js';
import { compareProfiles, type HoldReason, type Profiles } from './compare.js';
import { CHECKED_INPUTS, profileRows, type InputProfile } from './profile.js';

/** What the ledger keeps of a night's checks (`run_ledger.input_checks`). */
export interface InputChecks {
  profiles: Profiles;
  compared_with: string | null;
  previous: Profiles;
  reasons: HoldReason[];
  /** True when the night had reasons and was published with --accept-anomalies. */
  accepted: boolean;
}

/**
 * The previous night's profiles: those its ledger row recorded, or, for a
 * night run by a release without checks, computed from its snapshot (rows and
 * checksum from its run summary).
 */
export async function previousProfiles(db: Db, night: string): Promise<Profiles> {
  const row = await db.one<{ input_checks: string | null; summary: string | null }>(
    `SELECT input_checks::VARCHAR AS input_checks, summary::VARCHAR AS summary FROM run_ledger
      WHERE run_date = ${dateLit(night)} AND status IN ('published', 'committed') ORDER BY finished_at DESC NULLS LAST LIMIT 1`,
  );
  if (row?.input_checks) return (JSON.parse(row.input_checks) as InputChecks).profiles;
  const summary = row?.summary ? (JSON.parse(row.summary) as { inputs?: Record<string, { read?: number; sha256?: string }> }) : {};
  const out: Profiles = {};
  for (const input of CHECKED_INPUTS) {
    const s = summary.inputs?.[input];
    out[input] = await profileRows(db, input, `(SELECT * FROM ${snapshotTable(input)} WHERE run_date = ${dateLit(night)})`, {
      rows: s?.read ?? null,
      sha256: s?.sha256 ?? null,
    });
  }
  return out;
}

export async function tonightProfiles(ctx: RunContext): Promise<Profiles> {
  const out: Profiles = {};
  for (const input of CHECKED_INPUTS) {
    const s = ctx.summary.inputs[input];
    out[input] = await profileRows(ctx.db, input, stagingTable(input), { rows: s?.read ?? null, sha256: s?.sha256 ?? null });
  }
  return out;
}

async function check(ctx: RunContext): Promise<void> {
  const { db, log } = ctx;
  const profiles = await tonightProfiles(ctx);
  const previousNight = ctx.previousRunDate;
  const previous = previousNight ? await previousProfiles(db, previousNight) : {};
  const reasons = previousNight ? compareProfiles(profiles, previous, previousNight, ctx.config.checks) : [];
  const accept = ctx.acceptAnomalies === true;
  const checks: InputChecks = { profiles, compared_with: previousNight, previous, reasons, accepted: accept && reasons.length > 0 };
  for (const [input, p] of Object.entries(profiles) as [string, InputProfile][]) {
    log.info(`check: ${input}`, {
      run_id: ctx.runId,
      input,
      rows: p.rows,
      persons: p.persons,
      parents: p.parents,
      ssn_share: p.ssn_share,
      dob_share: p.dob_share,
      extract_date: p.extract_date,
      compared_with: previousNight,
    });
  }
  ctx.summary.input_checks = { compared_with: previousNight, reasons: reasons.map((r) => r.message), accepted: checks.accepted };
  if (reasons.length && !accept)
    throw new NightHeld(
      ctx.runDate,
      reasons.map((r) => r.message),
      checks,
    );
  for (const r of reasons) log.warn(`check: accepted with --accept-anomalies: ${r.message}`, { run_id: ctx.runId, input: r.input, check: r.check });
  await ledgerUpdate(db, ctx.runId, { input_checks: checks });
}

export const checkStage: Stage = {
  name: 'check',
  description: "compare tonight's extracts with the previous published night's; hold a night that looks wrong",
  built: true,
  run: check,
};
