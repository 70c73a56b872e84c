// The sales part of the account page: the form a CSM raises an opportunity with (seed 002's CSM
// observation, a QBR, an inbound ask), and per open opportunity the qualification checklist (a form),
// the talk track rendered for this account, hand-offs and quotes. Plain forms with the CSRF token.
import type { Opportunity } from '../../core/playbooks/opportunity.ts';
import { episodesOf } from '../../core/sales/handoff.ts';
import { LOSS_REASON_NAMES, LOSS_REASONS } from '../../core/sales/objections.ts';
import { checklist, salesOf } from '../../core/sales/qualification.ts';
import { renderTalkTrack } from '../../core/sales/talk-track.ts';
import { MANUAL_SOURCES, SOURCE_NAMES, type SalesSettings } from '../../core/sales/types.ts';
import { dateTime } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import type { AccountView } from './account.ts';

const csrfField = (v: AccountView): SafeHtml => html`<input type="hidden" name="csrf" value="${v.csrf}">`;

/** Raise an opportunity by hand: the tiers above the account's plan, the source, what was observed. */
export function manualOpportunityForm(v: AccountView): SafeHtml {
  const current = v.catalog.plans.find((p) => p.id === v.ev.plan);
  const higher = v.catalog.plans.filter((p) => !current || p.rank > current.rank).sort((a, b) => a.rank - b.rank);
  const on = v.actionsEnabled && higher.length > 0;
  const dis = on ? '' : html` disabled`;
  return html`<form method="post" action="/accounts/${encodeURIComponent(v.id)}/opportunities" class="manual-opp" aria-labelledby="mo-title">${csrfField(v)}
<h3 id="mo-title">Raise an opportunity</h3>
<label for="mo-offer">Offer</label>
<select id="mo-offer" name="offer"${dis}>${higher.map((p) => html`<option value="${p.id}"${v.ev.offer?.target.id === p.id ? html` selected` : ''}>${p.name}</option>`)}</select>
<label for="mo-source">Source</label>
<select id="mo-source" name="source"${dis}>${MANUAL_SOURCES.map((s) => html`<option value="${s}">${SOURCE_NAMES[s]}</option>`)}</select>
<label for="mo-note">What you observed</label>
<textarea id="mo-note" name="note" maxlength="500" rows="2"${dis}></textarea>
<button type="submit"${dis}>Raise opportunity</button></form>`;
}

function checklistForm(v: AccountView, o: Opportunity, s: SalesSettings): SafeHtml {
  const rows = checklist(o, s.requiredBeforeProposal);
  const id = encodeURIComponent(o.id);
  return html`<form method="post" action="/opportunities/${id}/qualification" class="qual-form">${csrfField(v)}
<fieldset><legend>Qualification checklist <span class="sub">${s.requiredBeforeProposal.length > 0 ? 'items marked * are required before Proposal' : 'not required before Proposal'}</span></legend>
<ul class="checks">${rows.map((r) => html`<li class="${r.met === true ? 'ok' : r.met === false ? 'bad' : ''}">
<label><input type="checkbox" name="${r.item}" value="yes"${r.met === true ? html` checked` : ''}> ${r.name}${r.required ? ' *' : ''}</label>
<label class="visually-hidden" for="q-${r.item}-note">${r.name}: note</label>
<input id="q-${r.item}-note" name="${r.item}_note" maxlength="200" placeholder="note" value="${r.note ?? ''}"></li>`)}</ul>
<button type="submit">Save qualification</button></fieldset></form>`;
}

function talkTrack(o: Opportunity, s: SalesSettings, v: AccountView): SafeHtml {
  const features = new Map(v.catalog.features.map((f) => [f.id, f.name]));
  const name = typeof v.record?.traits.name === 'string' ? v.record.traits.name : v.id;
  const t = renderTalkTrack(o, s, { plan: (p) => v.catalog.plans.find((x) => x.id === p)?.name ?? p, feature: (f) => features.get(f) ?? f, account: name });
  return html`<section class="talk-track" aria-label="Talk track"><h4>Talk track</h4>
<h5>Discovery</h5><ol>${t.discovery.map((q) => html`<li>${q}</li>`)}</ol>
<h5>Value recap</h5><p>${t.valueRecap}</p>
<h5>ROI</h5><p>${t.roi}</p>
${t.proofPoints.length > 0 ? html`<h5>Proof points</h5><ul>${t.proofPoints.map((p) => html`<li>${p}</li>`)}</ul>` : ''}
<h5>Objections</h5><dl class="objections">${t.objections.map((x) => html`<dt>${x.name}</dt><dd>${x.response}</dd>`)}</dl>
<h5>Next steps</h5><ul>${t.nextSteps.map((n) => html`<li>${n}</li>`)}</ul></section>`;
}

/** The brief's sales part for one opportunity: checklist, talk track (open deals), hand-offs, quotes, loss. */
export function salesPanel(v: AccountView, o: Opportunity): SafeHtml {
  const s = v.sales;
  if (!s) return html``;
  const sales = salesOf(o);
  const eps = episodesOf(o);
  return html`<div class="sales-panel">
${o.status === 'open' ? html`${v.actionsEnabled ? checklistForm(v, o, s) : ''}${talkTrack(o, s, v)}` : ''}
${eps.length > 0 ? html`<h4>Hand-offs</h4><ul>${eps.map((e) => html`<li>${dateTime(e.at)}: ${e.from ?? '—'} → ${e.to}, due ${dateTime(e.dueAt)}: ${e.decision ? `${e.decision}${e.reason ? ` (${e.reason})` : ''}` : 'waiting for the AE'}</li>`)}</ul>` : ''}
${sales.quotes.length > 0 ? html`<h4>Quotes</h4><ul>${sales.quotes.map((q) => html`<li>${q.discountPct} % off on ${q.termMonths} months: ${q.status.replace('_', ' ')}${q.decidedBy ? ` by ${q.decidedBy}` : ''}</li>`)}</ul>` : ''}
${sales.loss ? html`<p>Lost to: <strong>${LOSS_REASON_NAMES[sales.loss.reason]}</strong>${sales.loss.note ? ` (${sales.loss.note})` : ''}</p>` : ''}
</div>`;
}

/** The close form's loss-reason picker: required when the outcome is lost (the server checks it too). */
export function lossReasonPicker(disabled: boolean): SafeHtml {
  return html`<label for="a-loss">Loss reason (when lost)</label>
<select id="a-loss" name="loss_reason"${disabled ? html` disabled` : ''}><option value="">—</option>${LOSS_REASONS.map((r) => html`<option value="${r}">${LOSS_REASON_NAMES[r]}</option>`)}</select>`;
}
