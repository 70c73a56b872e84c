// The CSM's actions on an account. Each is a plain form (works without script, by keyboard) that
// posts with the session's CSRF token; without the playbook functions they render disabled.
import { OPP_STAGE_NAMES, OPP_STAGES } from '../../core/playbooks/opportunity.ts';
import { html, type SafeHtml } from '../html.ts';
import type { AccountView } from './account.ts';
import { lossReasonPicker } from './account-sales.ts';

export function accountActions(v: AccountView): SafeHtml {
  const open = v.opportunities.find((o) => o.status === 'open');
  const enabled = v.actionsEnabled;
  const dis = (on: boolean): SafeHtml | string => (on ? '' : html` disabled`);
  const csrf = html`<input type="hidden" name="csrf" value="${v.csrf}">`;
  const oid = open ? encodeURIComponent(open.id) : '';
  const canTrial = enabled && v.ev.offer !== null && v.ev.offer.trial.days > 0 && !v.trials.some((t) => t.status === 'active');
  const note = !enabled
    ? html`<p class="note" id="actions-note">These actions need the playbook engine (T4) wired into this server; until then they are shown disabled.</p>`
    : !open ? html`<p class="note" id="actions-note">No open opportunity for this account: stage, hand-off and close apply once one is open.</p>` : '';
  const describedBy = note ? html` aria-describedby="actions-note"` : '';
  return html`${note}<div class="actions-grid">
<form method="post" action="/accounts/${encodeURIComponent(v.id)}/trial">${csrf}
<button type="submit"${dis(canTrial)}${describedBy}>Start ${v.ev.offer && v.ev.offer.trial.days > 0 ? `${v.ev.offer.trial.days}-day ${v.ev.offer.plan.name}` : ''} trial</button></form>
<form method="post" action="/opportunities/${oid}/stage">${csrf}
<label for="a-stage">Stage</label>
<select id="a-stage" name="stage"${dis(enabled && !!open)}>${OPP_STAGES.filter((s) => s !== 'closed_won' && s !== 'closed_lost').map((s) => html`<option value="${s}"${open?.stage === s ? html` selected` : ''}>${OPP_STAGE_NAMES[s]}</option>`)}</select>
<button type="submit"${dis(enabled && !!open)}${describedBy}>Move stage</button></form>
<form method="post" action="/opportunities/${oid}/handoff">${csrf}
<label for="a-ae">Account executive</label>
<input id="a-ae" name="to" required maxlength="200" value="${typeof v.record?.traits.ae === 'string' ? v.record.traits.ae : ''}"${dis(enabled && !!open)}>
<button type="submit"${dis(enabled && !!open)}${describedBy}>Hand off to AE</button></form>
<form method="post" action="/opportunities/${oid}/close">${csrf}
<fieldset${dis(enabled && !!open)}><legend>Close</legend>
<label><input type="radio" name="outcome" value="won" checked> Won</label>
<label><input type="radio" name="outcome" value="lost"> Lost</label>
${lossReasonPicker(!(enabled && !!open))}
<button type="submit"${describedBy}>Close opportunity</button></fieldset></form>
</div>`;
}
