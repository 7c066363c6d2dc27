/**
 * The report's charts, drawn by Observable Plot on the server (a linkedom
 * document stands in for the browser's) and written into the page as static
 * SVG: no script, nothing fetched. Each chart carries role="img", an
 * aria-label and a description, and a tooltip (<title>) per mark; its
 * numbers are also in the table beneath it.
 *
 * A withheld value (null) is left out of the chart, never drawn as zero.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

export interface Series {
  name: string;
  color: string;
  values: (number | null)[];
}

export interface ChartSpec {
  /** Accessible name (aria-label). */
  title: string;
  /** Read by screen readers after the title: what the chart shows. */
  description?: string;
  categories: string[];
  series: Series[];
  yLabel: string;
  width?: number;
  height?: number;
  /** Values are shares (0..1): the axis shows percentages. */
  percent?: boolean;
  /** Logarithmic y axis: a handful beside hundreds still shows. */
  log?: boolean;
}

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The few DOM calls made on Plot's output (the project compiles without the DOM library). */
interface El {
  tagName: string;
  outerHTML: string;
  firstChild: unknown;
  classList: { add(c: string): void };
  setAttribute(k: string, v: string): void;
  querySelector(s: string): El | null;
  insertBefore(node: unknown, ref: unknown): void;
}

interface Datum {
  x: string;
  series: string;
  y: number;
}

function long(spec: ChartSpec): Datum[] {
  return spec.series.flatMap((s) =>
    s.values.flatMap((v, i) => (v === null || v === undefined || !Number.isFinite(v) ? [] : [{ x: spec.categories[i]!, series: s.name, y: v }])),
  );
}

/** For lines: withheld values as NaN, so the line breaks there instead of joining across. */
function withGaps(spec: ChartSpec): Datum[] {
  return spec.series.flatMap((s) => s.values.map((v, i) => ({ x: spec.categories[i]!, series: s.name, y: v === null || v === undefined ? Number.NaN : v })));
}

/** As many category labels as fit side by side (about 6.5 px per character at 11 px, plus a gap). */
function tickLabels(categories: string[], width: number): string[] {
  const longest = Math.max(1, ...categories.map((c) => c.length));
  const fit = Math.max(1, Math.floor((width - 80) / (longest * 6.5 + 14)));
  const every = Math.ceil(categories.length / fit);
  return categories.filter((_, i) => i % every === 0);
}

const fmt = (spec: ChartSpec) => (v: number) => (spec.percent ? `${Math.round(v * 100)}%` : v.toLocaleString('en-US'));

function render(spec: ChartSpec, marks: Plot.Markish[], extra: Partial<Plot.PlotOptions> = {}): string {
  const { document } = parseHTML('<!DOCTYPE html><html><body></body></html>');
  const width = spec.width ?? 720;
  // Nothing but zeros (or nothing shown) still gets a readable axis.
  const top = Math.max(spec.log ? 10 : 1, ...spec.series.flatMap((x) => x.values.filter((v): v is number => v !== null)));
  const node = Plot.plot({
    document,
    width,
    height: spec.height ?? 260,
    marginLeft: 56,
    marginBottom: 40,
    style: { fontSize: '11px', background: 'white' },
    ariaLabel: spec.title,
    ...(spec.description ? { ariaDescription: spec.description } : {}),
    y: {
      label: spec.yLabel,
      grid: true,
      ...(spec.log
        ? {
            type: 'log' as const,
            domain: [1, 10 ** Math.ceil(Math.log10(top))],
            ticks: Array.from({ length: Math.ceil(Math.log10(top)) + 1 }, (_, i) => 10 ** i),
          }
        : { domain: [0, top], nice: true, ...(spec.percent ? {} : { tickFormat: (v: number) => (Number.isInteger(v) ? v.toLocaleString('en-US') : '') }) }),
      ...(spec.percent ? { tickFormat: (v: number) => `${Math.round(v * 100)}%`, domain: [0, 1] } : {}),
      ...(spec.log ? { tickFormat: (v: number) => v.toLocaleString('en-US') } : {}),
    },
    color: { legend: spec.series.length > 1, domain: spec.series.map((s) => s.name), range: spec.series.map((s) => s.color) },
    marks,
    ...extra,
    x: { label: null, domain: spec.categories, ticks: tickLabels(spec.categories, width), ...(extra.x ?? {}) },
  }) as unknown as El;
  const svg = node.tagName.toLowerCase() === 'svg' ? node : node.querySelector('svg[aria-label]')!;
  svg.setAttribute('role', 'img');
  svg.classList.add('chart');
  // A <title> as the first child names the chart in every browser and screen reader.
  const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
  title.textContent = spec.title;
  svg.insertBefore(title, svg.firstChild);
  // Nothing to draw (every value withheld or zero): say so on the chart, not just an empty frame.
  const empty = !spec.series.some((x) => x.values.some((v) => v !== null && v > 0));
  const note = empty ? `<p class="chart-empty">Nothing to draw: every value here is zero or withheld (see the table).</p>` : '';
  // linkedom leaves < and > raw inside quoted attribute values (valid, but escape them as the page does).
  return note + node.outerHTML.replace(/="([^"]*)"/g, (_m, v: string) => `="${v.replace(/</g, '&lt;').replace(/>/g, '&gt;')}"`);
}

/** One line per series over the categories (a point per value; gaps where withheld); `steps` for Kaplan-Meier curves. */
export function lineChart(spec: ChartSpec & { steps?: boolean }): string {
  const data = long(spec);
  const f = fmt(spec);
  return render(
    spec,
    [
      Plot.lineY(withGaps(spec), { x: 'x', y: 'y', stroke: 'series', strokeWidth: 2.5, z: 'series', curve: spec.steps ? 'step-after' : 'linear' }),
      Plot.dot(data, { x: 'x', y: 'y', fill: 'series', r: 3, title: (d: Datum) => `${d.x}, ${d.series}: ${f(d.y)}` }),
      ...(spec.log ? [] : [Plot.ruleY([0])]),
    ],
    { x: { type: 'point', label: null } },
  );
}

/** Bars per category: side by side for several series. */
export function barChart(spec: ChartSpec): string {
  const data = long(spec);
  const f = fmt(spec);
  const title = (d: Datum) => `${d.x}, ${d.series}: ${f(d.y)}`;
  const base = spec.log ? 1 : 0;
  if (spec.series.length === 1) {
    return render(spec, [Plot.barY(data, { x: 'x', y1: base, y2: 'y', fill: 'series', title }), Plot.ruleY([base])], {
      x: { type: 'band', label: null, padding: 0.25 },
    });
  }
  // Side by side: one band per category, a sub-band per series.
  const names = spec.series.map((s) => s.name);
  return render(spec, [Plot.barY(data, { fx: 'x', x: 'series', y1: base, y2: 'y', fill: 'series', title }), Plot.ruleY([base])], {
    fx: { domain: spec.categories, label: null, padding: 0.2, ticks: tickLabels(spec.categories, spec.width ?? 720) },
    x: { domain: names, axis: null, ticks: [] },
  });
}
