/**
 * report.html: one self-contained page for a program manager. Inline CSS and
 * inline SVG only: no script, no font, no image or style fetched from
 * anywhere, so it opens the same from a shared drive, an e-mail attachment
 * or an offline laptop. Each chart has a one-line caption in plain words and
 * its numbers in a table beneath. Pure: data in, text out (the same data
 * writes the same bytes).
 */
import type { OutcomeMonth, ReportData } from './reportData.js';
import { barChart, esc, lineChart } from './svg.js';

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
const pct = (r: number | null) => (r === null ? 'not yet observable' : `${Math.round(r * 100)}%`);

function table(head: string[], rows: (string | number)[][], caption: string): string {
  const th = head.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${esc(String(c))}</th>` : `<td>${esc(typeof c === 'number' ? int(c) : c)}</td>`)).join('')}</tr>`)
    .join('\n');
  return `<table><caption>${esc(caption)}</caption><thead><tr>${th}</tr></thead><tbody>\n${body || `<tr><td colspan="${head.length}">no data yet</td></tr>`}\n</tbody></table>`;
}

function section(id: string, title: string, caption: string, chart: string, tableHtml: string): string {
  return `<section id="${id}">
<h2>${esc(title)}</h2>
<p class="caption">${esc(caption)}</p>
<figure>${chart}</figure>
${tableHtml}
</section>`;
}

function tiersSection(d: ReportData): string {
  const t = d.tiers;
  const last = t.at(-1);
  const caption = last
    ? `How many open CalWORKs cases were in each Linkages tier, night by night: ${int(last.MUTUAL)} mutual on the last night.`
    : 'How many open CalWORKs cases were in each Linkages tier, night by night.';
  const chart = lineChart({
    title: 'Open CalWORKs cases by Linkages tier',
    categories: shortDates(t.map((x) => x.night)),
    yLabel: 'open cases',
    series: [
      { name: 'Mutual', color: C.mutual, values: t.map((x) => x.MUTUAL) },
      { name: 'Early intervention', color: C.early, values: t.map((x) => x.EARLY_INTERVENTION) },
      { name: 'Prevention', color: C.prevention, values: t.map((x) => x.PREVENTION) },
    ],
  });
  return section(
    'tiers',
    'Cases by tier over time',
    caption,
    chart,
    table(['Night', 'Mutual', 'Early intervention', 'Prevention'], t.map((x) => [x.night, x.MUTUAL, x.EARLY_INTERVENTION, x.PREVENTION]), 'Open CalWORKs cases per tier and night'),
  );
}

function weeksSection(d: ReportData): string {
  const w = d.weeks;
  const base = d.baselineNewMutualClients
    ? ` The first night found ${int(d.baselineNewMutualClients)} families already active in both; they are not counted as new.`
    : '';
  const chart = barChart({
    title: 'New mutual clients per week',
    categories: shortDates(w.map((x) => x.week)),
    yLabel: 'new mutual clients',
    showTotals: true,
    series: [{ name: 'New mutual clients', color: C.mutual, values: w.map((x) => x.newMutualClients) }],
  });
  return section(
    'new-mutual-clients',
    'New mutual clients per week',
    `Families newly found to be active in both CalWORKs and child welfare, by week.${base}`,
    chart,
    table(['Week starting', 'New mutual clients', 'Nights run that week'], w.map((x) => [x.week, x.newMutualClients, x.nights]), 'New mutual clients per week (weeks start on Monday)'),
  );
}

function caseOpeningSection(d: ReportData): string {
  const c = d.caseOpening;
  const median = c.median === null ? '' : ` Half were found within ${int(Math.round(c.median))} days.`;
  const who =
    c.cohort === 'new'
      ? 'families identified after the first night'
      : 'families found on the first night (no later identifications yet, so this shows how long cases had been open when the program started)';
  const chart = barChart({
    title: 'Time from child-welfare case opening to identification',
    categories: c.bins.map((b) => b.label),
    yLabel: 'mutual clients',
    showTotals: true,
    series: [{ name: 'Mutual clients', color: C.purple, values: c.bins.map((b) => b.count) }],
  });
  const total = c.bins.reduce((a, b) => a + b.count, 0);
  return section(
    'time-to-identification',
    'Time from child-welfare case opening to identification',
    `How long after the child-welfare case opened the family was identified as a mutual client, for ${who}.${median}`,
    chart,
    table(
      ['Time since case opening', 'Mutual clients', 'Share'],
      c.bins.map((b) => [b.label, b.count, total ? `${Math.round((100 * b.count) / total)}%` : '']),
      'Mutual clients by time from case opening to identification',
    ),
  );
}

function reviewSection(d: ReportData): string {
  const r = d.review;
  const last = r.at(-1);
  const chart = barChart({
    title: 'Review queue and decisions per night',
    categories: shortDates(r.map((x) => x.night)),
    yLabel: 'pairs',
    series: [
      { name: 'Waiting for review', color: C.grey, values: r.map((x) => x.queue) },
      { name: 'Confirmed (match)', color: C.green, values: r.map((x) => x.match) },
      { name: 'Rejected (no match)', color: C.mutual, values: r.map((x) => x.noMatch) },
    ],
  });
  return section(
    'review',
    'Review queue and coordinators’ decisions',
    `Pairs the matching was unsure of and left to a coordinator each night, and the decisions coordinators made${last ? ` (${int(last.queue)} waiting on the last night)` : ''}.`,
    chart,
    table(
      ['Night', 'Waiting for review', 'Confirmed', 'Rejected'],
      r.map((x) => [x.night, x.queue, x.match, x.noMatch]),
      'Review queue size, and decisions applied by each night’s run',
    ),
  );
}

function probabilitySection(d: ReportData): string {
  const p = d.probabilities;
  const shown = p.filter((b) => b.auto + b.confirmed + b.review > 0);
  const chart = barChart({
    title: 'Match probability of linked and reviewed pairs',
    categories: p.map((b) => b.label),
    yLabel: 'pairs',
    labelEvery: 4,
    stacked: true,
    showTotals: true,
    series: [
      { name: 'Linked automatically', color: C.prevention, values: p.map((b) => b.auto) },
      { name: 'Confirmed by a coordinator', color: C.green, values: p.map((b) => b.confirmed) },
      { name: 'Sent to review', color: C.early, values: p.map((b) => b.review) },
    ],
  });
  return section(
    'match-probability',
    'How sure the matching was',
    `How likely the matching judged each pair to be the same person on the last night${d.probabilityNight ? ` (${d.probabilityNight})` : ''}: links sit near 100%, the review queue in the uncertain middle.`,
    chart,
    table(
      ['Match probability', 'Linked automatically', 'Confirmed', 'Sent to review'],
      shown.map((b) => [b.label, b.auto, b.confirmed, b.review]),
      'Pairs per match-probability band (empty bands left out)',
    ),
  );
}

function outcomesSection(d: ReportData): string {
  const o = d.outcomes;
  const label = (m: OutcomeMonth) => `${m.month}${m.cohort === 'baseline' ? ' (first night)' : ''}`;
  const chart = barChart({
    title: 'Outcomes after identification',
    categories: o.map(label),
    yLabel: 'share of families',
    percent: true,
    series: [
      { name: 'Sanction cured within 6 months', color: C.green, values: o.map((m) => m.cureRate6m) },
      { name: 'New referral within 12 months', color: C.mutual, values: o.map((m) => m.reReferralRate12m) },
    ],
  });
  const observable = o.some((m) => m.cureRate6m !== null || m.reReferralRate12m !== null);
  return section(
    'outcomes',
    'Outcomes after identification',
    `Of the families identified each month: how many sanctioned parents had the sanction cured within 6 months, and how many families had a new child-welfare referral within 12 months${observable ? '' : ' (not yet observable: the nights so far cover less than 6 months)'}.`,
    chart,
    table(
      ['Month identified', 'Mutual clients', 'Sanctioned', 'Cured within 6 months', 'CWS case closed within 6 months', 'CWS case closed within 12 months', 'New referral within 12 months', 'Child removed after identification'],
      o.map((m) => [
        label(m),
        m.mutualClients,
        m.sanctioned,
        m.sanctionedFollowed6m ? `${int(m.cured6m)} of ${int(m.sanctionedFollowed6m)} (${pct(m.cureRate6m)})` : 'not yet observable',
        m.followed6m ? `${int(m.closed6m)} of ${int(m.followed6m)}` : 'not yet observable',
        m.followed12m ? `${int(m.closed12m)} of ${int(m.followed12m)}` : 'not yet observable',
        m.followed12m ? `${int(m.reReferral12m)} of ${int(m.followed12m)} (${pct(m.reReferralRate12m)})` : 'not yet observable',
        m.removedAfter,
      ]),
      'Outcomes per month of identification; "of N" counts only families followed for the whole period',
    ),
  );
}

function summary(d: ReportData): string {
  const last = d.tiers.at(-1);
  const newTotal = d.weeks.reduce((a, w) => a + w.newMutualClients, 0);
  const items: [string, string][] = [
    ['Mutual (last night)', last ? int(last.MUTUAL) : '–'],
    ['Early intervention', last ? int(last.EARLY_INTERVENTION) : '–'],
    ['Prevention', last ? int(last.PREVENTION) : '–'],
    ['New mutual clients', int(newTotal)],
    ['Waiting for review', int(d.review.at(-1)?.queue ?? 0)],
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
${summary(d)}
${tiersSection(d)}
${weeksSection(d)}
${caseOpeningSection(d)}
${reviewSection(d)}
${probabilitySection(d)}
${outcomesSection(d)}
<footer>
<p>Counts only: this page names no one. The numbers come from the tables metrics_runs, metrics_identification and metrics_outcomes written next to it, each row naming the runs it covers (${int(d.runIds.length)} run${d.runIds.length === 1 ? '' : 's'} here${d.runIds.length ? `, from ${esc(d.runIds[0]!)} to ${esc(d.runIds.at(-1)!)}` : ''}).</p>
</footer>
</main>
</body>
</html>
`;
}
