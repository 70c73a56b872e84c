// Metrics for RevOps: MRR movements by month, NRR/GRR trend, conversion by signal source and the
// funnel. Every chart has its table beside it (the table is also the chart's text alternative).
import type { PeriodMetrics, RevenueReport } from '../../core/metrics/types.ts';
import { OPP_STAGE_NAMES } from '../../core/playbooks/opportunity.ts';
import { barChart, COLORS, lineChart, type ChartConfig } from '../charts.ts';
import { money, pct, signedMoney } from '../format.ts';
import { html, jsonIsland, type SafeHtml } from '../html.ts';
import type { FunnelStep, SourceRow } from '../pipeline-stats.ts';
import { expansionTypesSection } from './metrics-expansion.ts';

const dollars = (c: number): number => Math.round(c) / 100;
const percent = (x: number | null): number | null => (x === null ? null : Math.round(x * 1000) / 10);
/** below this many cases (accounts paying at a month's start, opportunities of a source) a rate says nothing */
export const MIN_CASES = 10;
const label = (p: PeriodMetrics): string => (p.partial ? `${p.period} (${p.partial.days} of ${p.partial.of} days)` : p.period);
/** NRR / GRR of a month, or null when it is still running or its cohort is too small */
const shownRate = (p: PeriodMetrics, x: number | null): number | null => (p.partial || p.cohort.accounts < MIN_CASES ? null : x);
const rateCell = (p: PeriodMetrics, x: number | null): string =>
  (p.partial ? 'partial month' : x !== null && p.cohort.accounts < MIN_CASES ? `too few (${p.cohort.accounts} accounts)` : pct(x, 1));

export function chartBlock(id: string, title: string, alt: string, config: ChartConfig, table: SafeHtml): SafeHtml {
  return html`<section class="metric" aria-labelledby="${id}-h"><h2 id="${id}-h">${title}</h2>
<div class="chart-table">
<figure class="chart"><div class="canvas-box"><canvas id="${id}" data-chart="${id}-data" role="img" aria-label="${alt}"></canvas></div>${jsonIsland(`${id}-data`, config)}</figure>
<div class="table-wrap">${table}</div>
</div></section>`;
}

export interface MetricsView { revenue: RevenueReport; sources: SourceRow[] | undefined; funnel: FunnelStep[] | undefined; currency: string }

export function metricsBody(v: MetricsView): SafeHtml {
  const r = v.revenue;
  const c = v.currency.toUpperCase();
  const ps = r.periods;
  const labels = ps.map(label);
  const movements = barChart(labels, [
    { label: 'New', data: ps.map((p) => dollars(p.new)), backgroundColor: COLORS.usage, stack: 'm' },
    { label: 'Expansion', data: ps.map((p) => dollars(p.expansion)), backgroundColor: COLORS.positive, stack: 'm' },
    { label: 'Reactivation', data: ps.map((p) => dollars(p.reactivation)), backgroundColor: COLORS.accent, stack: 'm' },
    { label: 'Contraction', data: ps.map((p) => -dollars(p.contraction)), backgroundColor: COLORS.p80, stack: 'm' },
    { label: 'Churn', data: ps.map((p) => -dollars(p.churn)), backgroundColor: COLORS.negative, stack: 'm' },
  ], `MRR movement (${c})`, true);
  const retention = lineChart(labels, [
    { label: 'NRR %', data: ps.map((p) => percent(shownRate(p, p.nrr))), borderColor: COLORS.positive, backgroundColor: COLORS.positive, borderWidth: 2 },
    { label: 'GRR %', data: ps.map((p) => percent(shownRate(p, p.grr))), borderColor: COLORS.usage, backgroundColor: COLORS.usage, borderWidth: 2 },
  ], 'percent of starting MRR');
  (retention.options['scales'] as { y: Record<string, unknown> }).y['beginAtZero'] = false;

  const t = r.total;
  const u = r.upsell;
  const summary = html`<dl class="figures">
<div><dt>MRR now</dt><dd>${money(t.endMrr, c)}</dd></div>
<div><dt>Net new MRR</dt><dd>${signedMoney(t.netNewMrr, c)}</dd></div>
<div><dt>Expansion MRR</dt><dd>${money(t.expansion, c)}</dd></div>
<div><dt>NRR / GRR (range)</dt><dd>${pct(t.nrr, 1)} / ${pct(t.grr, 1)}</dd></div>
<div><dt>Expansions <span class="sub">(months an account paid more)</span></dt><dd>${u.expansions} <span class="sub">average ${money(u.averageUpsellMrr, c)}/mo</span></dd></div>
<div><dt>Time to first upsell</dt><dd>${u.timeToFirstUpsell.medianDays === null ? '—' : `${Math.round(u.timeToFirstUpsell.medianDays)} days (median)`}</dd></div>
</dl>`;

  const moveTable = html`<table><caption>MRR movements by month (${c})</caption>
<thead><tr><th scope="col">Month</th><th scope="col">New</th><th scope="col">Expansion</th><th scope="col">Reactivation</th><th scope="col">Contraction</th><th scope="col">Churn</th><th scope="col">End MRR</th></tr></thead>
<tbody>${ps.map((p) => html`<tr><th scope="row">${label(p)}</th><td class="num">${money(p.new, c)}</td><td class="num">${money(p.expansion, c)}</td><td class="num">${money(p.reactivation, c)}</td><td class="num">${money(p.contraction, c)}</td><td class="num">${money(p.churn, c)}</td><td class="num">${money(p.endMrr, c)}</td></tr>`)}</tbody></table>`;
  const retTable = html`<table><caption>Net and gross revenue retention by month</caption>
<thead><tr><th scope="col">Month</th><th scope="col">NRR</th><th scope="col">GRR</th></tr></thead>
<tbody>${ps.map((p) => html`<tr><th scope="row">${label(p)}</th><td class="num">${rateCell(p, p.nrr)}</td><td class="num">${rateCell(p, p.grr)}</td></tr>`)}</tbody></table>`;

  let pipelineCharts: SafeHtml;
  if (!v.sources || !v.funnel) {
    pipelineCharts = html`<p class="note">Conversion by signal source and the funnel need the playbook store (T4), which this server does not have yet.</p>`;
  } else if (v.sources.length === 0) {
    pipelineCharts = html`<p class="note">No opportunity yet, so no conversion by signal source or funnel: playbooks open opportunities when their triggers fire.</p>`;
  } else {
    const enough = (s: SourceRow): boolean => s.opportunities >= MIN_CASES;
    const srcCfg = barChart(v.sources.map((s) => (enough(s) ? s.source : `${s.source} (too few)`)), [{ label: 'Conversion %', data: v.sources.map((s) => (enough(s) ? percent(s.conversion) : null)), backgroundColor: COLORS.positive }], 'won / opportunities, %');
    const srcTable = html`<table><caption>Conversion by signal source</caption><thead><tr><th scope="col">Source</th><th scope="col">Opportunities</th><th scope="col">Won</th><th scope="col">Conversion</th><th scope="col">95% CI</th><th scope="col">Won ARR</th></tr></thead>
<tbody>${v.sources.map((s) => html`<tr><th scope="row">${s.source}</th><td class="num">${s.opportunities}</td><td class="num">${s.won}</td><td class="num">${enough(s) ? pct(s.conversion, 1) : `too few (< ${MIN_CASES})`}</td><td class="num">${s.ci ? `${pct(s.ci[0], 1)}-${pct(s.ci[1], 1)}` : '-'}</td><td class="num">${money(s.wonArrCents, c)}</td></tr>`)}</tbody></table>`;
    const fCfg = barChart(v.funnel.map((f) => OPP_STAGE_NAMES[f.stage]), [{ label: 'Opportunities that reached the stage', data: v.funnel.map((f) => f.reached), backgroundColor: COLORS.usage }], 'opportunities');
    const fTable = html`<table><caption>Funnel: opportunities that reached each stage</caption><thead><tr><th scope="col">Stage</th><th scope="col">Reached</th><th scope="col">Share</th></tr></thead>
<tbody>${v.funnel.map((f) => html`<tr><th scope="row">${OPP_STAGE_NAMES[f.stage]}</th><td class="num">${f.reached}</td><td class="num">${pct(f.share, 1)}</td></tr>`)}</tbody></table>`;
    pipelineCharts = html`${chartBlock('chart-sources', 'Conversion by signal source', `Conversion by signal source: ${v.sources.map((s) => `${s.source} ${enough(s) ? pct(s.conversion, 1) : 'too few cases'}`).join(', ')}`, srcCfg, srcTable)}
${chartBlock('chart-funnel', 'Funnel', `Funnel: ${v.funnel.map((f) => `${OPP_STAGE_NAMES[f.stage]} ${f.reached}`).join(', ')}`, fCfg, fTable)}`;
  }

  return html`<p class="sub">From ${r.from} to ${r.to}; ${r.accounts.toLocaleString('en-US')} accounts, ${r.events.toLocaleString('en-US')} subscription events${r.problems.length > 0 ? `; ${r.problems.length} kinds of data problem reported by the ledger` : ''}.</p>
${summary}
${ps.length === 0 ? html`<p class="note">No subscription events yet.</p>` : html`${chartBlock('chart-mrr', 'MRR movements by month', `MRR movements by month from ${r.from} to ${r.to}; the table beside lists every figure.`, movements, moveTable)}
${chartBlock('chart-retention', 'NRR and GRR trend', `NRR and GRR by month: ${ps.map((p) => `${label(p)} ${rateCell(p, p.nrr)} / ${rateCell(p, p.grr)}`).join(', ')}`, retention, retTable)}
${expansionTypesSection(r.expansionByType, v.currency)}`}
${pipelineCharts}`;
}
