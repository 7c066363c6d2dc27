/** Date arithmetic on ISO strings, and the ways a recorded date of birth goes wrong. */
import type { Rng } from '../random.js';
import type { RecordRates } from '../rates.js';

const DAY = 86_400_000;

export function toDays(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Days since 1970-01-01 to ISO date (civil-from-days arithmetic; no Date objects in the hot loop). */
export function fromDays(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

export function addDays(iso: string, n: number): string {
  return fromDays(toDays(iso) + n);
}

export function addYears(iso: string, n: number): string {
  const y = Number(iso.slice(0, 4)) + n;
  const md = iso.slice(5);
  // 29 February in a year without one becomes 28 February.
  if (md === '02-29' && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return `${y}-02-28`;
  return `${String(y).padStart(4, '0')}-${md}`;
}

/** Whole years from `dob` to `on`. */
export function ageOn(dob: string, on: string): number {
  let age = Number(on.slice(0, 4)) - Number(dob.slice(0, 4));
  if (on.slice(5) < dob.slice(5)) age -= 1;
  return age;
}

export function daysBetween(a: string, b: string): number {
  return toDays(b) - toDays(a);
}

/** `YYYY-MM-DD` to `MM/DD/YYYY`. */
export function usDate(iso: string): string {
  return `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;
}

/** The recorded date of birth and the corruption applied (if any). */
export function corruptDob(dob: string, rates: RecordRates, rng: Rng): { dob: string; kind: string | null } {
  const x = rng.next();
  let t = rates.dobMissing;
  if (x < t) return { dob: '', kind: 'dob_missing' };
  t += rates.dobEstimated;
  if (x < t) {
    const est = rng.chance(0.6) ? `${dob.slice(0, 4)}-01-01` : `${dob.slice(0, 7)}-15`;
    return est === dob ? { dob, kind: null } : { dob: est, kind: 'dob_estimated' };
  }
  t += rates.dobDayMonthSwap;
  if (x < t) {
    const m = dob.slice(5, 7);
    const d = dob.slice(8, 10);
    if (Number(d) <= 12 && d !== m) return { dob: `${dob.slice(0, 4)}-${d}-${m}`, kind: 'dob_day_month_swap' };
    return { dob, kind: null };
  }
  t += rates.dobOffByDay;
  if (x < t) return { dob: addDays(dob, rng.chance(0.5) ? 1 : -1), kind: 'dob_off_by_day' };
  t += rates.dobOffByYear;
  if (x < t) return { dob: addYears(dob, rng.chance(0.5) ? 1 : -1), kind: 'dob_off_by_year' };
  return { dob, kind: null };
}
