/**
 * Small inline-SVG charts for report.html: lines over time and (stacked or
 * grouped) bars. Pure functions from numbers to markup; no script, no
 * external resource, text escaped. Colours come from the page's palette.
 */

export interface Series {
  name: string;
  color: string;
  values: (number | null)[];
}

export interface ChartSpec {
  /** Accessible title (read by screen readers). */
  title: string;
  categories: string[];
  series: Series[];
  yLabel: string;
  width?: number;
  height?: number;
  /** Show every k-th category label (dense time axes). */
  labelEvery?: number;
  /** Values are shares (0..1): the axis shows percentages. */
  percent?: boolean;
  /** Logarithmic y axis (powers of ten from 1): a handful beside hundreds still shows. */
  log?: boolean;
}

export const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(Math.abs(n) < 1 ? 2 : 1));

/** A "nice" axis maximum and tick step for values up to `max`. */
export function niceScale(max: number, ticks = 5): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 0.2 };
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  // Whole-number steps for counts (no 2.5 or 12.5 ticks on a count of families).
  const step = Math.max(max >= 1 ? 1 : 0, [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!);
  return { top: Math.ceil(max / step - 1e-9) * step, step };
}

interface Frame {
  w: number;
  h: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  yTop: number;
  step: number;
  log: boolean;
}

function frame(spec: ChartSpec, max: number): Frame {
  if (spec.log) {
    const top = 10 ** Math.max(1, Math.ceil(Math.log10(Math.max(max, 1)) - 1e-9));
    return { w: spec.width ?? 720, h: spec.height ?? 260, left: 60, right: 28, top: 16, bottom: 58, yTop: top, step: 10, log: true };
  }
  const { top, step } = spec.percent ? { top: Math.min(1, niceScale(max).top), step: Math.min(1, niceScale(max).top) / 5 } : niceScale(max);
  return { w: spec.width ?? 720, h: spec.height ?? 260, left: 60, right: 28, top: 16, bottom: 58, yTop: top, step, log: false };
}

const plotW = (f: Frame) => f.w - f.left - f.right;
const plotH = (f: Frame) => f.h - f.top - f.bottom;
const yOf = (f: Frame, v: number) =>
  f.log ? f.top + plotH(f) * (1 - Math.log10(Math.max(v, 1)) / Math.log10(f.yTop)) : f.top + plotH(f) * (1 - v / f.yTop);

function axes(f: Frame, spec: ChartSpec, xAt: (i: number) => number): string {
  const parts: string[] = [];
  for (let v = f.log ? 1 : 0; v <= f.yTop * (1 + 1e-9); v = f.log ? v * 10 : v + f.step) {
    const y = yOf(f, v).toFixed(1);
    const label = spec.percent ? `${Math.round(v * 100)}%` : fmt(v);
    parts.push(`<line class="grid" x1="${f.left}" x2="${f.w - f.right}" y1="${y}" y2="${y}"/>`);
    parts.push(`<text class="tick" x="${f.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(label)}</text>`);
  }
  // As many labels as fit side by side (about 6.5 px per character at 11 px, plus a gap).
  const longest = Math.max(1, ...spec.categories.map((c) => c.length));
  const fit = Math.max(1, Math.floor(plotW(f) / (longest * 6.5 + 14)));
  const every = Math.max(spec.labelEvery ?? 1, Math.ceil(spec.categories.length / fit));
  spec.categories.forEach((c, i) => {
    if (i % every !== 0) return;
    parts.push(`<text class="tick" x="${xAt(i).toFixed(1)}" y="${f.h - f.bottom + 16}" text-anchor="middle">${esc(c)}</text>`);
  });
  parts.push(`<line class="axis" x1="${f.left}" x2="${f.w - f.right}" y1="${f.h - f.bottom}" y2="${f.h - f.bottom}"/>`);
  parts.push(
    `<text class="ylabel" transform="translate(14 ${(f.top + plotH(f) / 2).toFixed(1)}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`,
  );
  return parts.join('');
}

function legend(f: Frame, series: Series[]): string {
  let x = f.left;
  const y = f.h - 14;
  return series
    .map((s) => {
      const item = `<rect x="${x}" y="${y - 9}" width="12" height="12" rx="2" fill="${s.color}"/><text class="legend" x="${x + 17}" y="${y + 1}">${esc(s.name)}</text>`;
      x += 30 + s.name.length * 7;
      return item;
    })
    .join('');
}

function svgOpen(f: Frame, title: string): string {
  return `<svg viewBox="0 0 ${f.w} ${f.h}" width="${f.w}" height="${f.h}" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>`;
}

const maxOf = (series: Series[]) => Math.max(0, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null)));

/** One line per series over the categories (a point per value; gaps for nulls). */
export function lineChart(spec: ChartSpec): string {
  const f = frame(spec, maxOf(spec.series));
  const n = spec.categories.length;
  const xAt = (i: number) => f.left + (n <= 1 ? plotW(f) / 2 : (plotW(f) * i) / (n - 1));
  const lines = spec.series
    .map((s) => {
      const pts = s.values.map((v, i) => (v === null ? null : `${xAt(i).toFixed(1)},${yOf(f, v).toFixed(1)}`));
      const segments: string[][] = [[]];
      for (const p of pts) {
        if (p === null) segments.push([]);
        else segments.at(-1)!.push(p);
      }
      const paths = segments.filter((seg) => seg.length > 1).map((seg) => `<polyline fill="none" stroke="${s.color}" stroke-width="2.5" points="${seg.join(' ')}"/>`);
      const dots = n <= 40 ? pts.filter((p): p is string => p !== null).map((p) => { const [x, y] = p.split(','); return `<circle cx="${x}" cy="${y}" r="3" fill="${s.color}"/>`; }) : [];
      return paths.join('') + dots.join('');
    })
    .join('');
  return `${svgOpen(f, spec.title)}${axes(f, spec, xAt)}${lines}${legend(f, spec.series)}</svg>`;
}

/** Bars per category: stacked (parts of a whole) or side by side. */
export function barChart(spec: ChartSpec & { stacked?: boolean; showTotals?: boolean }): string {
  const totals = spec.categories.map((_, i) =>
    spec.stacked ? spec.series.reduce((a, s) => a + (s.values[i] ?? 0), 0) : Math.max(0, ...spec.series.map((s) => s.values[i] ?? 0)),
  );
  const f = frame(spec, Math.max(0, ...totals));
  const n = Math.max(1, spec.categories.length);
  const band = plotW(f) / n;
  const xAt = (i: number) => f.left + band * (i + 0.5);
  const bars: string[] = [];
  spec.categories.forEach((c, i) => {
    const inner = band * 0.72;
    let base = 0;
    spec.series.forEach((s, k) => {
      const v = s.values[i];
      if (v === null || v === undefined || v <= 0) return;
      const bw = spec.stacked ? inner : inner / spec.series.length;
      const x = spec.stacked ? xAt(i) - inner / 2 : xAt(i) - inner / 2 + bw * k;
      const y0 = spec.stacked ? base : f.log ? 1 : 0;
      const y1 = y0 + v;
      if (spec.stacked) base = y1;
      const y = yOf(f, y1);
      const h = yOf(f, y0) - y;
      const label = spec.percent ? `${Math.round(v * 100)}%` : fmt(v);
      bars.push(
        `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${Math.max(0.5, h).toFixed(1)}" fill="${s.color}"><title>${esc(`${c}, ${s.name}: ${label}`)}</title></rect>`,
      );
    });
  });
  // Totals above the bars, so a short bar next to a tall one still reads.
  if (spec.showTotals) {
    totals.forEach((t, i) => {
      if (t > 0) bars.push(`<text class="tick" x="${xAt(i).toFixed(1)}" y="${(yOf(f, t) - 4).toFixed(1)}" text-anchor="middle">${esc(fmt(t))}</text>`);
    });
  }
  return `${svgOpen(f, spec.title)}${axes(f, spec, xAt)}${bars.join('')}${legend(f, spec.series)}</svg>`;
}
