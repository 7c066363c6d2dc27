/**
 * report.html: one self-contained page for a program manager. Inline CSS and
 * inline SVG only: no script, no font, no image or style fetched from
 * anywhere, so it opens the same from a shared drive, an e-mail attachment
 * or an offline laptop. Each chart has a one-line caption in plain words and
 * its numbers in a table beneath. Pure: data in, text out (the same data
 * writes the same bytes).
 */
import { markLabel, type Cell } from '../suppress.js';
import type { OutcomeMonth, ProbabilityBin, ReportData } from './reportData.js';
import { barChart, esc, lineChart } from './charts.js';

/** Okabe-Ito colours: told apart by colour-blind readers too. */
const C = {
  mutual: '#D55E00',
  early: '#E69F00',
  prevention: '#0072B2',
  green: '#009E73',
  sky: '#56B4E9',
  purple: '#CC79A7',
  grey: '#7f7f7f',
};

const int = (n: number) => n.toLocaleString('en-US');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Chart labels for nights: "Nov 20" (with the year when the nights span more than one). The tables keep full dates. */
export function shortDates(dates: string[]): string[] {
  const years = new Set(dates.map((d) => d.slice(0, 4)));
  return dates.map((d) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
    if (!m) return d;
    const label = `${MONTHS[Number(m[2]) - 1]} ${Number(m[3])}`;
    return years.size > 1 ? `${label} '${m[1]!.slice(2)}` : label;
  });
}
/** How a figure reads: the count, "<11" or "withheld" when suppressed, `empty` when there is none. */
function show(c: Cell, threshold: number | null, f: (n: number) => string = int, empty = '–'): string {
  if (c.mark) return markLabel(c.mark, threshold ?? 11);
  return c.n === null ? empty : f(c.n);
}
const pctOf = (n: number) => `${Math.round(n * 100)}%`;
/** A chart value: null when withheld (no bar, the table says why). */
const val = (c: Cell) => (c.mark ? null : c.n);

function table(head: string[], rows: string[][], caption: string): string {
  const th = head.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`).join('\n');
  return `<table><caption>${esc(caption)}</caption><thead><tr>${th}</tr></thead><tbody>\n${body || `<tr><td colspan="${head.length}">no data yet</td></tr>`}\n</tbody></table>`;
}

function section(id: string, title: string, caption: string, charts: string[], tableHtml: string): string {
  return `<section id="${id}">
<h2>${esc(title)}</h2>
<p class="caption">${esc(caption)}</p>
${charts.map((c) => `<figure>${c}</figure>`).join('\n')}
${tableHtml}
</section>`;
}

function tiersSection(d: ReportData): string {
  const t = d.tiers;
  const th = d.threshold;
  const last = t.at(-1);
  const caption = `How many open CalWORKs cases were in each Linkages tier, night by night${last ? `: ${show(last.MUTUAL, th)} mutual on the last night` : ''}. The mutual tier, far smaller, has its own panel and scale.`;
  const cats = shortDates(t.map((x) => x.night));
  const mutual = lineChart({
    title: 'Open CalWORKs cases in the mutual tier',
    categories: cats,
    yLabel: 'mutual cases',
    series: [{ name: 'Mutual', color: C.mutual, values: t.map((x) => val(x.MUTUAL)) }],
  });
  const others = lineChart({
    title: 'Open CalWORKs cases in the early intervention and prevention tiers',
    categories: cats,
    yLabel: 'open cases',
    series: [
      { name: 'Early intervention', color: C.early, values: t.map((x) => val(x.EARLY_INTERVENTION)) },
      { name: 'Prevention', color: C.prevention, values: t.map((x) => val(x.PREVENTION)) },
    ],
  });
  return section(
    'tiers',
    'Cases by tier over time',
    caption,
    [mutual, others],
    table(
      ['Night', 'Mutual', 'Early intervention', 'Prevention'],
      t.map((x) => [x.night, show(x.MUTUAL, th), show(x.EARLY_INTERVENTION, th), show(x.PREVENTION, th)]),
      'Open CalWORKs cases per tier and night',
    ),
  );
}

function weeksSection(d: ReportData): string {
  const w = d.weeks;
  const th = d.threshold;
  const partial = w.some((x) => x.nights < 7);
  const chart = barChart({
    title: 'New mutual clients per night run, by week',
    categories: shortDates(w.map((x) => x.week)),
    yLabel: 'new mutual clients per night',
    series: [{ name: 'New mutual clients per night run', color: C.mutual, values: w.map((x) => val(x.perNight)) }],
  });
  return section(
    'new-mutual-clients',
    'New mutual clients per week',
    `Families identified for the first time after the first night, by week: ${show(d.identified.new, th)} in all.${partial ? ' Weeks with fewer nights run are drawn per night run, so a two-night week compares with a seven-night one.' : ''}`,
    [chart],
    table(
      ['Week starting', 'New mutual clients', 'Nights run', 'Per night run'],
      w.map((x) => [x.week, show(x.newMutualClients, th), `${x.nights} night${x.nights === 1 ? '' : 's'}`, show(x.perNight, th, (n) => n.toFixed(1))]),
      'New mutual clients per week (weeks start on Monday)',
    ),
  );
}

function caseOpeningSection(d: ReportData): string {
  const c = d.caseOpening;
  const th = d.threshold;
  const m = c.median;
  const median = m.mark
    ? ' The median is withheld (too few families with a known case opening).'
    : m.n === null
      ? ''
      : m.n < 1
        ? ' The median family was identified on the day its case opened.'
        : ` The median family was identified ${int(Math.round(m.n))} day${Math.round(m.n) === 1 ? '' : 's'} after its case opened.`;
  const who =
    c.cohort === 'new'
      ? `the ${show(c.total, th)} families identified after the first night`
      : `the ${show(c.total, th)} families found on the first night (no later identifications yet, so this shows how long cases had been open when the program started)`;
  const chart = barChart({
    title: 'Time from child-welfare case opening to identification',
    categories: c.bins.map((b) => b.label),
    yLabel: 'families',
    series: [{ name: 'Families', color: C.purple, values: c.bins.map((b) => val(b.count)) }],
  });
  return section(
    'time-to-identification',
    'Time from child-welfare case opening to identification',
    `How long after the child-welfare case opened the family was identified as a mutual client, for ${who}.${median}`,
    [chart],
    table(
      ['Time since case opening', 'Families'],
      c.bins.map((b) => [b.label, show(b.count, th)]),
      'Families by time from case opening to identification',
    ),
  );
}

function reviewSection(d: ReportData): string {
  const r = d.review;
  const th = d.threshold;
  const last = r.at(-1);
  const chart = barChart({
    title: 'Review queue and decisions per night',
    categories: shortDates(r.map((x) => x.night)),
    yLabel: 'pairs',
    series: [
      { name: 'Waiting for review', color: C.grey, values: r.map((x) => val(x.queue)) },
      { name: 'Confirmed (match)', color: C.green, values: r.map((x) => val(x.match)) },
      { name: 'Rejected (no match)', color: C.mutual, values: r.map((x) => val(x.noMatch)) },
    ],
  });
  return section(
    'review',
    'Review queue and coordinators’ decisions',
    `Pairs the matching was unsure of and left to a coordinator each night, and the decisions coordinators made${last ? ` (${show(last.queue, th)} waiting on the last night)` : ''}.`,
    [chart],
    table(
      ['Night', 'Waiting for review', 'Confirmed', 'Rejected'],
      r.map((x) => [x.night, show(x.queue, th), show(x.match, th), show(x.noMatch, th)]),
      'Review queue size, and decisions applied by each night’s run',
    ),
  );
}

function probabilitySection(d: ReportData): string {
  const p = d.probabilities;
  const th = d.threshold;
  const any = (b: ProbabilityBin) => [b.auto, b.confirmed, b.review].some((c) => c.mark || (c.n ?? 0) > 0);
  const chart = barChart({
    title: 'Match probability of linked and reviewed pairs (logarithmic scale)',
    categories: p.map((b) => b.label),
    yLabel: 'pairs (log scale)',
    log: true,
    series: [
      { name: 'Linked automatically', color: C.prevention, values: p.map((b) => val(b.auto)) },
      { name: 'Confirmed by a coordinator', color: C.green, values: p.map((b) => val(b.confirmed)) },
      { name: 'Sent to review', color: C.early, values: p.map((b) => val(b.review)) },
    ],
  });
  return section(
    'match-probability',
    'How sure the matching was',
    `How likely the matching judged each pair to be the same person on the last night${d.probabilityNight ? ` (${d.probabilityNight})` : ''}: links sit near 100%, the review queue in the uncertain middle. The scale is logarithmic, so a band of a few pairs still shows beside hundreds.`,
    [chart],
    table(
      ['Match probability', 'Linked automatically', 'Confirmed', 'Sent to review'],
      p.filter(any).map((b) => [b.label, show(b.auto, th), show(b.confirmed, th), show(b.review, th)]),
      'Pairs per match-probability band (empty bands left out)',
    ),
  );
}

function survivalSection(d: ReportData): string {
  const th = d.threshold;
  const charts: string[] = [];
  const rows: string[][] = [];
  for (const outcome of [...new Set(d.survival.map((s) => s.outcome))]) {
    const curves = d.survival.filter((s) => s.outcome === outcome);
    const days = [...new Set(curves.flatMap((c) => c.points.map((p) => p.day)))].sort((a, b) => a - b);
    charts.push(
      lineChart({
        title: `${curves[0]!.label}: share of families by days after identification`,
        categories: days.map((x) => `day ${x}`),
        yLabel: 'share of families',
        percent: true,
        steps: true,
        series: curves.map((c) => ({
          name: c.cohort === 'new' ? 'Identified after the first night' : 'Found on the first night',
          color: c.cohort === 'new' ? C.mutual : C.prevention,
          values: days.map((x) => {
            const p = c.points.find((q) => q.day === x);
            return p ? val(p.incidence) : null;
          }),
        })),
      }),
    );
    for (const c of curves) {
      for (const p of c.points) {
        rows.push([
          `${c.label}, ${c.cohort === 'new' ? 'after the first night' : 'first night'}, day ${p.day}`,
          show(p.incidence, th, pctOf),
          show(p.followed, th),
        ]);
      }
    }
  }
  return section(
    'time-to-event',
    'Case closure and re-referral after identification',
    'The estimated share of families whose child-welfare case closed, and who had a new referral, by each number of days after identification (Kaplan-Meier: a family followed only a short time counts while it is followed, instead of counting as “no outcome”). Each curve ends where the longest follow-up ends.',
    charts,
    table(
      ['Outcome, cohort and day', 'Share with the outcome by then', 'Families followed that long'],
      rows,
      'Kaplan-Meier estimates, and families followed at least that many days',
    ),
  );
}

function outcomesSection(d: ReportData): string {
  const o = d.outcomes;
  const th = d.threshold;
  const label = (m: OutcomeMonth) => `${m.month}${m.cohort === 'baseline' ? ' (first night)' : ''}`;
  const chart = barChart({
    title: 'Outcomes after identification',
    categories: o.map(label),
    yLabel: 'share of families',
    percent: true,
    series: [
      { name: 'Sanction cured within 6 months', color: C.green, values: o.map((m) => val(m.cureRate6m)) },
      { name: 'New referral within 12 months', color: C.mutual, values: o.map((m) => val(m.reReferralRate12m)) },
    ],
  });
  const observable = o.some((m) => m.cureRate6m.n !== null || m.reReferralRate12m.n !== null || m.cureRate6m.mark || m.reReferralRate12m.mark);
  const ofN = (num: Cell, den: Cell, rate?: Cell) =>
    den.n === 0 && !den.mark ? 'not yet observable' : `${show(num, th)} of ${show(den, th)}${rate ? ` (${show(rate, th, pctOf, 'not yet observable')})` : ''}`;
  return section(
    'outcomes',
    'Outcomes after identification',
    `Of the families identified each month: how many sanctioned parents had the sanction cured within 6 months, and how many families had a new child-welfare referral within 12 months, each over the families followed that long${observable ? '' : ' (not yet observable: nobody has been followed that long)'}.`,
    [chart],
    table(
      [
        'Month identified',
        'Families',
        'Sanctioned',
        'Cured within 6 months',
        'CWS case closed within 6 months',
        'CWS case closed within 12 months',
        'New referral within 12 months',
        'Child removed after identification (so far)',
      ],
      o.map((m) => [
        label(m),
        show(m.mutualClients, th),
        show(m.sanctioned, th),
        ofN(m.cured6m, m.sanctionedFollowed6m, m.cureRate6m),
        ofN(m.closed6m, m.followed6m, m.closedRate6m),
        ofN(m.closed12m, m.followed12m),
        ofN(m.reReferral12m, m.followed12m, m.reReferralRate12m),
        show(m.removedAfter, th),
      ]),
      'Outcomes per month of identification; "of N" counts only families followed for the whole period',
    ),
  );
}

/** "89 identified, of whom 86 after the first night": the counts every chart below rests on. */
function reconciliation(d: ReportData): string {
  const th = d.threshold;
  const i = d.identified;
  const parts = i.hasBaseline
    ? `${show(i.all, th)} families were identified as mutual clients: ${show(i.baseline, th)} on the first night (already in both programs when Linkages started) and ${show(i.new, th)} after it.`
    : `${show(i.new, th)} families were identified as mutual clients.`;
  const ret =
    i.returning.n === 0 && !i.returning.mark
      ? ''
      : ` Another ${show(i.returning, th)} were new again after time off the list: notified again, not counted again.`;
  return `<p class="reconcile" id="reconciliation">${esc(`${parts} The weekly chart, the time-to-identification chart, the outcomes table and the curves all count these families, each once.${ret}`)}</p>`;
}

function suppressionNote(d: ReportData): string {
  if (d.threshold === null) {
    return `<p class="internal" id="suppression"><strong>${esc('Internal use only: small counts are not suppressed on this page (written with --no-suppression). Do not share it outside the department.')}</strong></p>`;
  }
  const t = d.threshold;
  return `<p class="note" id="suppression">${esc(`Counts from 1 to ${t - 1} are shown as “<${t}”, and a few larger ones as “withheld” so that totals cannot reveal them (small-cell suppression, after California's de-identification guidelines for social-services data). Rates and medians over fewer than ${t} families are withheld too. Charts leave withheld values out.`)}</p>`;
}

function summary(d: ReportData): string {
  const th = d.threshold;
  const last = d.tiers.at(-1);
  const items: [string, string][] = [
    ['Mutual (last night)', last ? show(last.MUTUAL, th) : '–'],
    ['Early intervention', last ? show(last.EARLY_INTERVENTION, th) : '–'],
    ['Prevention', last ? show(last.PREVENTION, th) : '–'],
    [d.identified.hasBaseline ? 'Identified after the first night' : 'Identified', show(d.identified.new, th)],
    ['Waiting for review', d.review.at(-1) ? show(d.review.at(-1)!.queue, th) : '–'],
  ];
  return `<ul class="summary">${items.map(([k, v]) => `<li><span class="n">${esc(v)}</span><span class="k">${esc(k)}</span></li>`).join('')}</ul>`;
}

const CSS = `
:root{color-scheme:light}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;background:#f6f7f9;color:#1d2430;line-height:1.45}
main{max-width:820px;margin:0 auto;padding:24px 20px 48px}
header h1{font-size:1.7rem;margin:0 0 4px}
header p{margin:0;color:#4a5568}
.summary{display:flex;flex-wrap:wrap;gap:10px;list-style:none;padding:0;margin:20px 0}
.summary li{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:10px 14px;min-width:120px}
.summary .n{display:block;font-size:1.5rem;font-weight:650}
.summary .k{font-size:.85rem;color:#4a5568}
section{background:#fff;border:1px solid #dde1e7;border-radius:10px;padding:18px 20px;margin:18px 0}
h2{font-size:1.2rem;margin:0 0 4px}
.caption{margin:0 0 10px;color:#2d3748}
figure{margin:0;overflow-x:auto}
svg{max-width:100%;height:auto}
svg .grid{stroke:#e5e8ec;stroke-width:1}
svg .axis{stroke:#8a94a3;stroke-width:1}
svg .tick{font-size:11px;fill:#4a5568}
svg .ylabel,svg .legend{font-size:12px;fill:#2d3748}
table{border-collapse:collapse;width:100%;margin-top:12px;font-size:.88rem}
caption{text-align:left;color:#4a5568;font-size:.82rem;padding-bottom:4px}
th,td{border-bottom:1px solid #e5e8ec;padding:4px 8px;text-align:right}
th:first-child,thead th:first-child{text-align:left}
thead th{background:#f0f2f5;font-weight:600}
.note{background:#eef4fb;border:1px solid #c9dbef;border-radius:8px;padding:8px 12px;font-size:.88rem}
.internal{background:#fdecea;border:2px solid #b3261e;border-radius:8px;padding:8px 12px;color:#5f1410}
.reconcile{margin:0 0 12px}
.chart-empty{margin:4px 0;color:#4a5568;font-size:.85rem;font-style:italic}
footer{color:#4a5568;font-size:.82rem;margin-top:24px}
@media print{body{background:#fff}section{break-inside:avoid;border:none;padding:0}}
`;

export function renderReport(d: ReportData): string {
  const s = d.span;
  const period = s.first ? (s.first === s.last ? `the night of ${s.first}` : `${s.nights} nights, ${s.first} to ${s.last}`) : 'no nights yet';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Linkages report: ${esc(period)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>Linkages: CalWORKs and child welfare together</h1>
<p>Families known to both CalWORKs and child welfare, found and followed night by night: ${esc(period)}.</p>
</header>
${suppressionNote(d)}
${summary(d)}
${reconciliation(d)}
${tiersSection(d)}
${weeksSection(d)}
${caseOpeningSection(d)}
${reviewSection(d)}
${probabilitySection(d)}
${survivalSection(d)}
${outcomesSection(d)}
<footer>
<p>Counts only: this page names no one. The numbers come from the tables metrics_runs, metrics_identification, metrics_outcomes and metrics_survival written next to it (codebook.md says what each column means), each row naming the runs it covers (${int(d.runIds.length)} run${d.runIds.length === 1 ? '' : 's'} here${d.runIds.length ? `, from ${esc(d.runIds[0]!)} to ${esc(d.runIds.at(-1)!)}` : ''}).</p>
</footer>
</main>
</body>
</html>
`;
}
