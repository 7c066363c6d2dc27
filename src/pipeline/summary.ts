/** The shape of run_summary.json (docs/interface.md section 4). Stages fill their own sections. */
import type { CapRecord } from './caps.js';

export interface InputSummary {
  file: string;
  format: 'csv' | 'parquet' | 'arrow';
  sha256: string;
  read: number;
  loaded: number;
  quarantined: number;
  /** Optional values present but unreadable, made unknown, per column. */
  unknown_values: Record<string, number>;
  /** Person extracts: loaded rows whose extract_date is not the night's (a typo, a sentinel). */
  other_extract_dates?: number;
  /** Person extracts: ids whose rows disagree on a name, DOB or SSN (the latest row's value is used). */
  conflicting_ids?: number;
}

export interface StageTiming {
  stage: string;
  status: 'ok' | 'not built';
  seconds: number;
  /** Seconds of the stage's own steps, when it reports them (normalize, match). */
  steps?: Record<string, number>;
}

export interface RunSummary {
  run_date: string;
  previous_run_date: string | null;
  baseline: boolean;
  inputs: Partial<Record<'calworks' | 'cws' | 'workers' | 'contacts', InputSummary>>;
  /** Stage sections: match, tiers, notifications... keyed by what they describe. */
  [section: string]: unknown;
  /** Seconds per stage and peak memory: the parts of the summary that differ between re-runs of a night. */
  stages: StageTiming[];
  peak_rss_mb?: number;
  /** What the night capped rather than materialized (src/pipeline/caps.ts); absent when nothing was. */
  caps?: CapRecord[];
}

export function emptySummary(): RunSummary {
  return { run_date: '', previous_run_date: null, baseline: true, inputs: {}, stages: [] };
}
