/**
 * Stable identifiers. Every id is a pure function of (family index, slot), so
 * a second night can add a person, a referral or a case to a family without
 * disturbing any existing id, and ids never collide: each is a bijection of
 * its sequence number onto a fixed-width space (see `mix`), which also keeps
 * them from looking sequential. Sized for up to 2 million families.
 *
 * Slot layout per family (documented so a later generator can extend it):
 *   person slots   0-1 parents, 2-7 children, 8-11 other members, 12-15 free (new babies)
 *   client dup     0 = first CWS client id of a person, 1 = a duplicate client id
 *   referral slots 0-15, CWS case slots 0-7, CalWORKs case slots 0-3
 */

export const PERSON_SLOTS = 16;
export const PARENT_SLOTS = [0, 1] as const;
export const FIRST_CHILD_SLOT = 2;
export const FIRST_OTHER_SLOT = 8;
export const FIRST_FREE_SLOT = 12;
export const REFERRAL_SLOTS = 16;
export const CWS_CASE_SLOTS = 8;
export const CALWORKS_CASE_SLOTS = 4;

/**
 * A bijection of [0, base^width): affine, digit reversal, affine. The
 * reversal breaks the arithmetic progression an affine map alone would give
 * consecutive numbers (so a family's ids do not look sequential).
 */
/** (a * b) mod m without leaving exact double arithmetic (a, b < m < 2^37): b in 13-bit chunks. */
function mulmod(a: number, b: number, m: number): number {
  let r = 0;
  for (let shift = 26; shift >= 0; shift -= 13) {
    const chunk = Math.floor(b / 2 ** shift) % 8192;
    r = (r * 8192 + a * chunk) % m;
  }
  return r;
}

/** Multipliers coprime to every base used here (10 and 36): odd, not divisible by 3 or 5. */
function coprime(a: number): number {
  let x = a % 2 === 0 ? a + 1 : a;
  while (x % 3 === 0 || x % 5 === 0) x += 2;
  return x;
}

interface Space {
  base: number;
  width: number;
  m: number;
  a1: number;
  a2: number;
}

function makeSpace(base: number, width: number): Space {
  const m = base ** width;
  return { base, width, m, a1: coprime(Math.floor(m * 0.6180339887)), a2: coprime(Math.floor(m * 0.7548776662)) };
}

const DEC9 = makeSpace(10, 9);
const DEC8 = makeSpace(10, 8);
const B36_7 = makeSpace(36, 7);

function mix(n: number, sp: Space, key: number): number {
  const { base, width, m, a1, a2 } = sp;
  let x = (mulmod(n % m, a1, m) + key) % m;
  let r = 0;
  for (let i = 0; i < width; i++) {
    r = r * base + (x % base);
    x = Math.floor(x / base);
  }
  return (mulmod(r, a2, m) + key * 7) % m;
}

const BASE36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function base36(n: number, width: number): string {
  let s = '';
  let x = n;
  for (let i = 0; i < width; i++) {
    s = BASE36[x % 36]! + s;
    x = Math.floor(x / 36);
  }
  return s;
}

function decimal(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** CalWORKs person id, e.g. `P483920117`. */
export function personId(family: number, slot: number, dup = 0): string {
  return `P${decimal(mix((family * PERSON_SLOTS + slot) * 2 + dup, DEC9, 13_579_246), 9)}`;
}

/** CalWORKs case number, e.g. `B03918274`. */
export function caseNumber(family: number, slot: number): string {
  return `B${decimal(mix(family * CALWORKS_CASE_SLOTS + slot, DEC8, 2_468_013), 8)}`;
}

/** Client Index Number: 8 digits and a check letter; one per real person. */
export function cin(family: number, slot: number): string {
  const n = mix(family * PERSON_SLOTS + slot, DEC8, 55_555_555);
  return `${decimal(n, 8)}${BASE36[10 + (n % 26)]}`;
}

/** CWS client id, e.g. `CL0K3ZQ9A`. */
export function clientId(family: number, slot: number, dup = 0): string {
  return `CL${base36(mix((family * PERSON_SLOTS + slot) * 2 + dup, B36_7, 987_654_321), 7)}`;
}

/** CWS referral id, e.g. `RF4KD93LQ`. */
export function referralId(family: number, slot: number): string {
  return `RF${base36(mix(family * REFERRAL_SLOTS + slot, B36_7, 123_456_789), 7)}`;
}

/** CWS case id, e.g. `CS0Q8ZK1M`. */
export function cwsCaseId(family: number, slot: number): string {
  return `CS${base36(mix(family * CWS_CASE_SLOTS + slot, B36_7, 246_813_579), 7)}`;
}

/** Ground-truth person id (never in the extracts). */
export function entityId(family: number, slot: number): string {
  return `E${family}-${slot}`;
}

/**
 * A real person's SSN: unique per (family, slot) and always valid (area
 * 001-899 except 666, group 01-99, serial 0001-9999), as 9 digits. A
 * bijection onto that space: mixed as a 9-digit number below 10^9, retried
 * (cycle walking) until it lands in the valid space.
 */
export function trueSsn(family: number, slot: number): string {
  const valid = 898 * 99 * 9999;
  let x = mix(family * PERSON_SLOTS + slot, DEC9, 271_828_182);
  while (x >= valid) x = mix(x, DEC9, 271_828_182);
  const serial = (x % 9999) + 1;
  const group = (Math.floor(x / 9999) % 99) + 1;
  let area = Math.floor(x / (9999 * 99)) + 1;
  if (area >= 666) area += 1;
  return `${decimal(area, 3)}${decimal(group, 2)}${decimal(serial, 4)}`;
}
