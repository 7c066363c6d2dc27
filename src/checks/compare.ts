/**
 * The input checks themselves (docs/interface.md section 2.5), a pure function of
 * tonight's profiles, the previous published night's, and the thresholds:
 * each reason to hold the night, as one line a person can act on.
 */
import type { Config } from '../../schemas/config.js';
import { formatCount } from '../runtime/progress.js';
import { CHECKED_INPUTS, type CheckedInput, type InputProfile } from './profile.js';

export type Thresholds = Config['checks'];

export type CheckName = 'rows' | 'persons' | 'parents' | 'ssn_share' | 'dob_share' | 'extract_date' | 'identical_file';

export interface HoldReason {
  input: CheckedInput;
  check: CheckName;
  message: string;
}

export type Profiles = Partial<Record<CheckedInput, InputProfile>>;

const pct = (x: number) => `${(Math.round(x * 1000) / 10).toString()}%`;

function countReasons(
  input: CheckedInput,
  name: 'rows' | 'persons' | 'parents',
  now: number,
  before: number,
  previousNight: string,
  t: Thresholds,
): HoldReason[] {
  if (before <= 0) return [];
  const change = (now - before) / before;
  const what = `${formatCount(now)} ${name} tonight, ${formatCount(before)} on ${previousNight}`;
  if (-change > t.max_fall) {
    return [{ input, check: name, message: `${input}: ${what}: a fall of ${pct(-change)} (more than ${pct(t.max_fall)} is held)` }];
  }
  if (change > t.max_rise) {
    return [{ input, check: name, message: `${input}: ${what}: a rise of ${pct(change)} (more than ${pct(t.max_rise)} is held)` }];
  }
  return [];
}

function shareReason(
  input: CheckedInput,
  check: 'ssn_share' | 'dob_share',
  tonight: InputProfile,
  previous: InputProfile,
  previousNight: string,
  t: Thresholds,
): HoldReason[] {
  const now = tonight[check];
  const before = previous[check];
  if (now === null || before === null) return [];
  if (Math.min(tonight.parent_rows, previous.parent_rows) < t.share_min_parent_rows) return [];
  const fall = before - now;
  if (fall <= t.max_share_fall + 1e-9) return [];
  const what = check === 'ssn_share' ? 'a usable SSN' : 'a usable date of birth';
  return [
    {
      input,
      check,
      message: `${input}: ${pct(now)} of parent rows have ${what} tonight, ${pct(before)} on ${previousNight}: down ${(Math.round(fall * 1000) / 10).toString()} points (more than ${(t.max_share_fall * 100).toString()} is held)`,
    },
  ];
}

/** Every reason to hold tonight; empty when the night may be published. */
export function compareProfiles(tonight: Profiles, previous: Profiles, previousNight: string, t: Thresholds): HoldReason[] {
  const reasons: HoldReason[] = [];
  for (const input of CHECKED_INPUTS) {
    const now = tonight[input];
    const before = previous[input];
    if (!now || !before) continue;
    if (t.hold_identical_file && now.sha256 && now.sha256 === before.sha256) {
      // The same bytes again: every other measure is equal too, so this one line says it all.
      reasons.push({
        input,
        check: 'identical_file',
        message: `${input}: the file is byte-identical to the one of ${previousNight} (the same extract delivered again?)`,
      });
      continue;
    }
    const rowReasons = countReasons(input, 'rows', now.rows, before.rows, previousNight, t);
    reasons.push(...rowReasons);
    // An empty file says it in one line; persons and parents add nothing to it.
    if (now.rows > 0) {
      reasons.push(...countReasons(input, 'persons', now.persons, before.persons, previousNight, t));
      reasons.push(...countReasons(input, 'parents', now.parents, before.parents, previousNight, t));
      reasons.push(...shareReason(input, 'ssn_share', now, before, previousNight, t));
      reasons.push(...shareReason(input, 'dob_share', now, before, previousNight, t));
    }
    if (t.extract_date_must_advance && now.extract_date && before.extract_date && now.extract_date <= before.extract_date) {
      reasons.push({
        input,
        check: 'extract_date',
        message: `${input}: extract_date ${now.extract_date} is not later than ${before.extract_date}, the extract of ${previousNight}`,
      });
    }
  }
  return reasons;
}
