// Pipeline: a board by stage (seed 000: Trigger Identified -> ... -> Closed won / lost) with the
// count and ARR value of each column and the biggest deals in it.
import { OPP_STAGE_NAMES } from '../../core/playbooks/opportunity.ts';
import { age, money } from '../format.ts';
import type { Moment } from '../../app/clock.ts';
import { ownerLabel, resolveOwner } from '../../app/owners.ts';
import type { TeamMember } from '../../core/playbooks/types.ts';
import { html, type SafeHtml } from '../html.ts';
import { asOfQuery } from '../layout.ts';
import type { StageColumn } from '../pipeline-stats.ts';

const SHOWN = 25;

export interface PipelineNames { names: ReadonlyMap<string, string>; team: readonly TeamMember[]; moment?: Moment }

export function pipelineBody(columns: StageColumn[] | undefined, currency: string, now: number, n: PipelineNames = { names: new Map(), team: [] }): SafeHtml {
  if (!columns) return html`<p class="note">The pipeline needs the playbook store (T4), which this server does not have yet.</p>`;
  const total = columns.reduce((s, c) => s + c.count, 0);
  return html`${total === 0 ? html`<p class="note">No opportunity yet: <code>tierwise run</code> (or the server's scheduler) opens one when a playbook's trigger fires on an account it can act on.</p>` : ''}
<div class="board">
${columns.map((c) => html`<section class="column" aria-labelledby="col-${c.stage}">
<h2 id="col-${c.stage}">${OPP_STAGE_NAMES[c.stage]}</h2>
<p class="col-sum"><span class="count">${c.count}</span> ${c.count === 1 ? 'opportunity' : 'opportunities'} · ${money(c.arrCents, currency)} ARR</p>
<ul class="cards">${c.items.slice(0, SHOWN).map((o) => html`<li class="card"><a href="/accounts/${encodeURIComponent(o.account)}${asOfQuery(n.moment)}">${n.names.get(o.account) ?? o.account}</a>
<span class="sub">${o.fromPlan} → ${o.targetName} · ${money(o.arrDeltaCents, currency)} · ${o.owner ? ownerLabel(resolveOwner(undefined, o, n.team)) : 'unassigned'} · ${age(o.openedAt, now)}</span></li>`)}</ul>
${c.count > SHOWN ? html`<p class="sub">and ${c.count - SHOWN} more</p>` : ''}
</section>`)}
</div>`;
}
