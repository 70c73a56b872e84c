// Pipeline: a board by stage (seed 000: Trigger Identified -> ... -> Closed won / lost) with the
// count and ARR value of each column and the biggest deals in it.
import { OPP_STAGE_NAMES } from '../../core/playbooks/opportunity.ts';
import { age, money } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import type { StageColumn } from '../pipeline-stats.ts';

const SHOWN = 25;

export function pipelineBody(columns: StageColumn[] | undefined, currency: string, now: number): SafeHtml {
  if (!columns) return html`<p class="note">The pipeline needs the playbook store (T4), which this server does not have yet.</p>`;
  const total = columns.reduce((s, c) => s + c.count, 0);
  return html`${total === 0 ? html`<p class="note">No opportunity yet: playbooks open one when a trigger fires on an account.</p>` : ''}
<div class="board">
${columns.map((c) => html`<section class="column" aria-labelledby="col-${c.stage}">
<h2 id="col-${c.stage}">${OPP_STAGE_NAMES[c.stage]}</h2>
<p class="col-sum"><span class="count">${c.count}</span> ${c.count === 1 ? 'opportunity' : 'opportunities'} · ${money(c.arrCents, currency)} ARR</p>
<ul class="cards">${c.items.slice(0, SHOWN).map((o) => html`<li class="card"><a href="/accounts/${encodeURIComponent(o.account)}">${o.account}</a>
<span class="sub">${o.fromPlan} → ${o.targetName} · ${money(o.arrDeltaCents, currency)} · ${o.owner ?? 'unassigned'} · ${age(o.openedAt, now)}</span></li>`)}</ul>
${c.count > SHOWN ? html`<p class="sub">and ${c.count - SHOWN} more</p>` : ''}
</section>`)}
</div>`;
}
