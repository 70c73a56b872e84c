// Catalog: the tiers side by side, with the tier-architecture check's findings beside them.
import type { Finding } from '../../core/catalog/check.ts';
import type { Catalog } from '../../core/catalog/types.ts';
import { limitText, money } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';

export function catalogBody(c: Catalog, findings: readonly Finding[]): SafeHtml {
  const plans = c.plans;
  const yes = html`<span class="yes" role="img" aria-label="included">✓</span>`;
  const no = html`<span class="no" role="img" aria-label="not included">—</span>`;
  return html`<div class="table-wrap"><table class="tiers">
<caption>Tiers, lowest first</caption>
<thead><tr><th scope="col">What</th>${plans.map((p) => html`<th scope="col">${p.name}</th>`)}</tr></thead>
<tbody>
<tr><th scope="row">Monthly</th>${plans.map((p) => html`<td>${money(p.price.monthly, c.currency)}</td>`)}</tr>
<tr><th scope="row">Annual</th>${plans.map((p) => html`<td>${p.price.annual === undefined ? '—' : money(p.price.annual, c.currency)}</td>`)}</tr>
${c.meters.map((m) => html`<tr><th scope="row">${m.name} <span class="sub">${m.unit}</span></th>${plans.map((p) => html`<td>${m.id in p.limits ? limitText(p.limits[m.id]) : 'not offered'}</td>`)}</tr>`)}
${c.features.map((f) => html`<tr><th scope="row">${f.name}</th>${plans.map((p) => html`<td>${p.features.includes(f.id) ? yes : no}</td>`)}</tr>`)}
<tr><th scope="row">Support</th>${plans.map((p) => html`<td>${p.support.channels.join(', ')}; ${p.support.responseHours} h; CSM ${p.support.csm}</td>`)}</tr>
</tbody></table></div>
<section aria-labelledby="s-findings"><h2 id="s-findings">Catalog check</h2>
${findings.length === 0 ? html`<p class="ok">The catalog passes every tier-architecture check.</p>`
    : html`<ul class="findings">${findings.map((f) => html`<li class="${f.severity}"><strong>${f.severity}</strong> <span class="sub">${f.rule}</span> ${f.message}</li>`)}</ul>`}
</section>`;
}
