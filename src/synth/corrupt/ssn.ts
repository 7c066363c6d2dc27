/** How an SSN is recorded: missing, a placeholder, mistyped, someone else's, with or without dashes. */
import type { Rng } from '../random.js';
import type { RecordRates } from '../rates.js';

/** Placeholders clerks type when the SSN is unknown (all "unknown" by the interface's rules). */
function placeholder(rng: Rng): string {
  const k = rng.choose({ ZEROS: 0.25, NINES: 0.3, SEQ: 0.15, AREA666: 0.1, ITIN: 0.2 });
  switch (k) {
    case 'ZEROS':
      return '000000000';
    case 'NINES':
      return '999999999';
    case 'SEQ':
      return '123456789';
    case 'AREA666':
      return `666${String(rng.range(1, 99)).padStart(2, '0')}${String(rng.range(1, 9999)).padStart(4, '0')}`;
    case 'ITIN':
      return `9${rng.range(0, 9)}${rng.range(0, 9)}${String(rng.range(70, 99))}${String(rng.range(1, 9999)).padStart(4, '0')}`;
  }
}

function transpose(ssn: string, rng: Rng): string {
  const spots: number[] = [];
  for (let i = 0; i < 8; i++) if (ssn[i] !== ssn[i + 1]) spots.push(i);
  if (!spots.length) return ssn;
  const i = rng.pick(spots);
  return ssn.slice(0, i) + ssn[i + 1] + ssn[i] + ssn.slice(i + 2);
}

function oneDigit(ssn: string, rng: Rng): string {
  const i = rng.int(9);
  const d = (Number(ssn[i]) + rng.range(1, 9)) % 10;
  return ssn.slice(0, i) + d + ssn.slice(i + 1);
}

export function formatSsn(digits: string, dashes: boolean): string {
  return dashes ? `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}` : digits;
}

/**
 * The SSN as recorded. `trueSsn` null: the person has none. `otherSsn`: the
 * SSN of someone else in the family (a spouse or child), typed by mistake.
 */
export function corruptSsn(trueSsn: string | null, otherSsn: string | null, rates: RecordRates, rng: Rng): { ssn: string; kinds: string[] } {
  const dashes = !rng.chance(rates.ssnNoDashes);
  if (trueSsn === null || rng.chance(rates.ssnMissing)) {
    if (rng.chance(rates.ssnPlaceholder)) return { ssn: formatSsn(placeholder(rng), dashes), kinds: ['ssn_placeholder'] };
    return { ssn: '', kinds: trueSsn === null ? [] : ['ssn_missing'] };
  }
  let digits = trueSsn;
  const kinds: string[] = [];
  if (otherSsn && rng.chance(rates.ssnOtherPerson)) {
    digits = otherSsn;
    kinds.push('ssn_other_person');
  } else if (rng.chance(rates.ssnTransposed)) {
    digits = transpose(digits, rng);
    kinds.push('ssn_transposed');
  } else if (rng.chance(rates.ssnDigit)) {
    digits = oneDigit(digits, rng);
    kinds.push('ssn_one_digit');
  }
  return { ssn: formatSsn(digits, dashes), kinds };
}
