/**
 * Due dates in business days: Saturdays, Sundays and the configured holidays
 * are skipped. `n` business days after `from`: the n-th business day after it;
 * 0 means `from` itself when it is a business day, else the next one.
 */
const DAY = 86_400_000;

const toTime = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
const toIso = (t: number) => new Date(t).toISOString().slice(0, 10);

export function isBusinessDay(iso: string, holidays: ReadonlySet<string>): boolean {
  const dow = new Date(toTime(iso)).getUTCDay();
  return dow !== 0 && dow !== 6 && !holidays.has(iso);
}

export function addBusinessDays(from: string, n: number, holidays: Iterable<string> = []): string {
  const off = new Set(holidays);
  let t = toTime(from);
  if (n === 0) {
    while (!isBusinessDay(toIso(t), off)) t += DAY;
    return toIso(t);
  }
  let left = n;
  while (left > 0) {
    t += DAY;
    if (isBusinessDay(toIso(t), off)) left--;
  }
  return toIso(t);
}
