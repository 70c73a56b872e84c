// The metrics page's expansion by type (tier, seats/volume, add-on, support, summing to the
// expansion MRR), the commitments signed, the multi-year share of ARR and the attach rate of each
// add-on (docs/adr/0010-offer-model.md). A chart with its table beside it, as the rest of the page.
import { EXPANSION_TYPES, type ExpansionByType, type ExpansionType } from '../../core/metrics/expansion-types.ts';
import { barChart, COLORS } from '../charts.ts';
import { money, pct } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { chartBlock } from './metrics.ts';

const TYPE_NAMES: Record<ExpansionType, string> = { tier: 'Tier upgrades', seats_volume: 'Seats and volume', addon: 'Add-on modules', support: 'Support levels', other: 'Other (no priced change)' };

export function expansionTypesSection(x: ExpansionByType | undefined, currency: string): SafeHtml {
  if (!x) return html``;
  const c = currency.toUpperCase();
  // "other" is shown only when something fell there: the four kinds are what the catalog sells
  const types = EXPANSION_TYPES.filter((t) => t !== 'other' || x.byType.other !== 0);
  const cfg = barChart(types.map((t) => TYPE_NAMES[t]), [{ label: `Expansion MRR (${c})`, data: types.map((t) => Math.round(x.byType[t]) / 100), backgroundColor: COLORS.positive }], `expansion MRR (${c})`);
  const share = (n: number): string => (x.total > 0 ? pct(n / x.total, 1) : '—');
  const byType = html`<table><caption>Expansion MRR by type (${c}); the types sum to the expansion MRR</caption>
<thead><tr><th scope="col">Type</th><th scope="col">Expansion MRR</th><th scope="col">Share</th></tr></thead>
<tbody>${types.map((t) => html`<tr><th scope="row">${TYPE_NAMES[t]}</th><td class="num">${money(x.byType[t], c)}</td><td class="num">${share(x.byType[t])}</td></tr>`)}
<tr><th scope="row">Total</th><td class="num">${money(x.total, c)}</td><td class="num">${x.total > 0 ? '100%' : '—'}</td></tr></tbody></table>`;
  const k = x.commitments;
  const figures = html`<dl class="figures">
<div><dt>Commitments signed <span class="sub">(moved to a term of 12 months or more)</span></dt><dd>${k.signed} <span class="sub">${k.annual} annual, ${k.multiYear} multi-year; ${money(k.arr, c)} ARR</span></dd></div>
<div><dt>Multi-year share of ARR</dt><dd>${x.multiYearShare === null ? '—' : pct(x.multiYearShare, 1)}</dd></div>
</dl>`;
  const attach = x.attachRate.length === 0 ? html`<p class="note">The catalog sells no add-on.</p>` : html`<table><caption>Attach rate per add-on: paying accounts holding it, of those on a plan it is sold on</caption>
<thead><tr><th scope="col">Add-on</th><th scope="col">Holding</th><th scope="col">Eligible</th><th scope="col">Attach rate</th></tr></thead>
<tbody>${x.attachRate.map((a) => html`<tr><th scope="row">${a.name}</th><td class="num">${a.holding}</td><td class="num">${a.eligible}</td><td class="num">${a.rate === null ? '—' : pct(a.rate, 1)}</td></tr>`)}</tbody></table>`;
  return html`${chartBlock('chart-expansion-types', 'Expansion MRR by type', `Expansion MRR by type: ${types.map((t) => `${TYPE_NAMES[t]} ${money(x.byType[t], c)}`).join(', ')}`, cfg, byType)}
<section class="metric" aria-labelledby="commitments-h"><h2 id="commitments-h">Commitments and add-ons</h2>
${figures}
<div class="table-wrap">${attach}</div></section>`;
}
