// The offer half of the account page: seed 004's "Current tier vs Upgrade tier" with check marks,
// the price delta, the prorated charge for upgrading today, and the ROI.
import type { Catalog, Plan } from '../../core/catalog/types.ts';
import type { Offer, PricedOption } from '../../core/offers/offer.ts';
import { limitText, money, num, signedMoney } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';

const yes = html`<span class="yes" aria-label="included" role="img">✓</span>`;
const no = html`<span class="no" aria-label="not included" role="img">—</span>`;

export function tierComparison(catalog: Catalog, current: Plan | undefined, offer: Offer): SafeHtml {
  const target = catalog.plans.find((p) => p.id === offer.plan.id);
  if (!target) return html`<p>The plan ${offer.plan.name} is not in the catalog.</p>`;
  if (target.id === current?.id) return html``;
  const feats = catalog.features.filter((f) => target.features.includes(f.id) || current?.features.includes(f.id));
  const lim = (p: Plan | undefined, m: string): string => (!p ? '—' : m in p.limits ? limitText(p.limits[m]) : 'not offered');
  const gated = new Set(offer.gatedFeatures);
  return html`<div class="table-wrap"><table class="compare">
<caption>Current tier vs upgrade tier</caption>
<thead><tr><th scope="col">What</th><th scope="col">Current: ${current?.name ?? 'none'}</th><th scope="col">Upgrade: ${target.name}</th><th scope="col">This account</th></tr></thead>
<tbody>
<tr><th scope="row">Price</th><td>${current ? `${money(current.price.monthly, catalog.currency)}/mo` : '—'}</td><td>${money(target.price.monthly, catalog.currency)}/mo</td><td></td></tr>
${catalog.meters.map((m) => {
    const l = offer.limits.find((x) => x.meter === m.id);
    return html`<tr><th scope="row">${m.name}</th><td>${lim(current, m.id)}</td><td>${lim(target, m.id)}</td><td>${l ? `uses ${num(l.observed)} ${m.unit}` : ''}</td></tr>`;
  })}
${feats.map((f) => html`<tr><th scope="row">${f.name}</th><td>${current?.features.includes(f.id) ? yes : no}</td><td>${target.features.includes(f.id) ? yes : no}</td><td>${gated.has(f.id) ? 'asked for it (paywall)' : ''}</td></tr>`)}
<tr><th scope="row">Support</th><td>${current ? `${current.support.responseHours} h, CSM ${current.support.csm}` : '—'}</td><td>${target.support.responseHours} h, CSM ${target.support.csm}</td><td></td></tr>
</tbody></table></div>
${offer.covers ? '' : html`<p class="warn">No tier covers all of this account's usage: ${offer.shortfalls.join('; ')}</p>`}`;
}

export function offerFigures(catalog: Catalog, offer: Offer): SafeHtml {
  const c = catalog.currency;
  const r = offer.roi;
  return html`<dl class="figures">
<div><dt>Price delta</dt><dd>${signedMoney(offer.price.monthly, c)}/mo${offer.price.annual !== null ? html` · ${signedMoney(offer.price.annual, c)}/yr` : ''}</dd></div>
<div><dt>ARR delta</dt><dd>${money(offer.price.arr, c)}</dd></div>
<div><dt>Upgrade today (prorated)</dt><dd>${offer.proration ? html`<span data-figure="prorated" data-cents="${offer.proration.net}">${signedMoney(offer.proration.net, c)}</span> <span class="sub">credit ${money(offer.proration.credit, c)}, charge ${money(offer.proration.charge, c)}</span>` : 'no billing anchor known'}</dd></div>
<div><dt>ROI</dt><dd>${r.multiple === null ? 'no value drivers configured' : `${r.multiple}x`} <span class="sub">${money(r.annualValue, c)} value vs ${money(r.annualCost, c)} a year</span></dd></div>
<div><dt>Route</dt><dd>${offer.routing.reason}</dd></div>
${offer.trial.days > 0 ? html`<div><dt>Trial</dt><dd>${offer.trial.days} days of ${offer.plan.name}</dd></div>` : ''}
${offer.term ? html`<div><dt>Term</dt><dd>${offer.term.name}: ${money(offer.term.annual, c)}/yr, ${money(offer.term.committed, c)} committed</dd></div>` : ''}
</dl>
${r.lines.length > 0 ? html`<ul class="roi">${r.lines.map((l) => html`<li>${l.sentence}</li>`)}</ul>` : ''}
<blockquote class="message"><p>${offer.message}</p></blockquote>`;
}

const TYPE_NAMES: Record<Offer['type'], string> = { tier: 'Tier', seats: 'Seats', volume: 'Volume', addon: 'Module', support: 'Support', term: 'Term', bundle: 'Bundle' };

/** The recommendation beside every alternative: price, what each covers, ROI, and why the first one wins. */
export function offerAlternatives(catalog: Catalog, offer: Offer): SafeHtml {
  const c = catalog.currency;
  const label = new Map(offer.needs.map((n) => [n.id, n.label]));
  const row = (o: Offer | PricedOption, recommended: boolean) => html`<tr${recommended ? html` class="recommended"` : ''}>
<th scope="row">${o.name}${recommended ? html` <span class="badge">recommended</span>` : ''}</th><td>${TYPE_NAMES[o.type]}</td>
<td>${signedMoney(o.price.monthly, c)}/mo</td><td>${o.price.annual === null ? '—' : html`${signedMoney(o.price.annual, c)}/yr`}</td>
<td>${o.proration ? signedMoney(o.proration.net, c) : '—'}</td>
<td>${o.covered.map((id) => label.get(id) ?? id).join('; ') || '—'}</td>
<td>${o.roi.multiple === null || o.roi.annualValue === 0 ? '—' : `${o.roi.multiple}x`}</td></tr>`;
  return html`<div class="table-wrap"><table class="alternatives">
<caption>Every offer that answers this account's needs</caption>
<thead><tr><th scope="col">Offer</th><th scope="col">Type</th><th scope="col">Monthly</th><th scope="col">Annual</th><th scope="col">Prorated today</th><th scope="col">Covers</th><th scope="col">ROI</th></tr></thead>
<tbody>${row(offer, true)}${offer.alternatives.map((a) => row(a, false))}</tbody></table></div>
<p class="why">Why: ${offer.why}</p>
${offer.notes.length > 0 ? html`<ul class="notes">${offer.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ''}`;
}
