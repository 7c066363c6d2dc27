/**
 * The precision of the automatic links, estimated from the audited sample of
 * each night: the share of audited AUTO links a coordinator confirmed, with a
 * 95% Wilson score interval (sound for small samples and for shares near 1,
 * where the textbook interval runs past 100%). Pure.
 */

export interface Estimate {
  audited: number;
  confirmed: number;
  precision: number | null;
  low: number | null;
  high: number | null;
}

/** 95% two-sided normal quantile. */
export const Z95 = 1.959963984540054;

export function wilsonInterval(confirmed: number, audited: number, z = Z95): { low: number; high: number } | null {
  if (audited <= 0) return null;
  const p = confirmed / audited;
  const z2 = z * z;
  const denom = 1 + z2 / audited;
  const centre = (p + z2 / (2 * audited)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / audited + z2 / (4 * audited * audited));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export function estimatePrecision(confirmed: number, audited: number): Estimate {
  const ci = wilsonInterval(confirmed, audited);
  return { audited, confirmed, precision: audited ? confirmed / audited : null, low: ci?.low ?? null, high: ci?.high ?? null };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** "29 of 30 checked links were right: about 96.7% (95% interval 83.3% to 99.4%)". */
export function precisionWords(e: Estimate): string {
  if (!e.audited || e.precision === null) return 'no link checked yet';
  return `${e.confirmed} of ${e.audited} checked links were right: about ${pct(e.precision)} (95% interval ${pct(e.low!)} to ${pct(e.high!)})`;
}
