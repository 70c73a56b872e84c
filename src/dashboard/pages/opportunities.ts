// Opportunities: who to call today, why, what to offer and what it is worth. The table body is
// also served alone (/opportunities/rows) so the page script can refresh it in place.
import type { Catalog } from '../../core/catalog/types.ts';
import { planNameOf } from '../../core/format.ts';
import { STAGE_NAMES, STAGES } from '../../core/scoring/stage.ts';
import { age, money, words } from '../format.ts';
import type { Moment } from '../../app/clock.ts';
import { ownerLabel } from '../../app/owners.ts';
import { html, type SafeHtml } from '../html.ts';
import { asOfQuery } from '../layout.ts';
import { filterQuery, PAGE_SIZE, ROUTES, SEGMENTS, type OppFilters, type OppList, type OppRow } from '../opportunity-rows.ts';


function row(r: OppRow, c: Catalog, now: number, m: Moment | undefined): SafeHtml {
  return html`<tr>
<th scope="row"><a href="/accounts/${encodeURIComponent(r.account)}${asOfQuery(m)}">${r.name}</a><span class="sub">${r.account}</span></th>
<td data-label="Plan">${planNameOf(c.plans, r.plan, 'no plan')} <span aria-label="to">→</span> ${r.target ?? '—'}</td>
<td class="num" data-label="Score"><span class="score">${r.score}</span></td>
<td data-label="Stage">${STAGE_NAMES[r.stage]}<span class="sub">${r.ready ? html`<span class="ok">ready</span>` : 'not ready'}</span></td>
<td data-label="Why"><ul class="reasons">${r.reasons.map((s) => html`<li>${s}</li>`)}</ul></td>
<td class="num" data-label="ARR delta">${r.arrDelta === null ? '—' : money(r.arrDelta, c.currency)}</td>
<td data-label="Route">${r.route ? words(r.route) : '—'}</td>
<td data-label="Owner">${r.owner ? ownerLabel(r.owner) : 'unassigned'}</td>
<td data-label="Age">${r.openedAt === null ? 'no opportunity yet' : age(r.openedAt, now)}</td>
</tr>`;
}

export function opportunityRows(list: OppList, c: Catalog, now: number, m?: Moment): SafeHtml {
  if (list.rows.length === 0) return html`<tr><td colspan="9">No account matches these filters${list.total === 0 && list.owners.length === 0 ? ' (the store has no scored accounts yet: import events or run tierwise demo)' : ''}.</td></tr>`;
  return html`${list.rows.map((r) => row(r, c, now, m))}`;
}

function select(name: string, label: string, options: readonly (readonly [string, string])[], value: string | undefined): SafeHtml {
  return html`<div class="field"><label for="f-${name}">${label}</label><select id="f-${name}" name="${name}">
<option value="">Any</option>${options.map(([v, l]) => html`<option value="${v}"${v === value ? html` selected` : ''}>${l}</option>`)}</select></div>`;
}

export interface OpportunitiesView { list: OppList; filters: OppFilters; catalog: Catalog; now: number; refreshSeconds: number; moment?: Moment }

export function opportunitiesBody(v: OpportunitiesView): SafeHtml {
  const f = v.filters;
  const q = filterQuery(f);
  const pages = Math.max(1, Math.ceil(v.list.total / PAGE_SIZE));
  return html`<form class="filters" method="get" action="/" aria-label="Filter opportunities">
<div class="field"><label for="f-q">Account</label><input id="f-q" name="q" type="search" placeholder="name or id" value="${f.q ?? ''}"></div>
${select('segment', 'Segment', SEGMENTS.map((s) => [s, words(s)] as const), f.segment)}
${select('stage', 'Stage', STAGES.map((s) => [s, STAGE_NAMES[s]] as const), f.stage)}
${select('owner', 'Owner', v.list.owners.map((o) => [o.id, o.label] as const), f.owner)}
${select('route', 'Route', ROUTES.map((r) => [r, words(r)] as const), f.route)}
${select('ready', 'Ready', [['yes', 'Ready'], ['no', 'Not ready']], f.ready === undefined ? undefined : f.ready ? 'yes' : 'no')}
${f.asOf ? html`<input type="hidden" name="as_of" value="${f.asOf}">` : ''}<div class="field actions"><button type="submit">Apply filters</button> <a href="/${asOfQuery(v.moment)}">Clear</a></div>
</form>
<p id="live" class="status" role="status" aria-live="polite"><span id="total">${v.list.total.toLocaleString('en-US')}</span> accounts${v.list.scannedAll ? '' : ' (route filter: the first 5,000 ranked accounts)'}; updates every ${v.refreshSeconds} s.</p>
<div class="table-wrap">
<table class="opps">
<caption>Accounts ranked by readiness and score, page ${f.page} of ${pages}</caption>
<thead><tr><th scope="col">Account</th><th scope="col">Current → target plan</th><th scope="col">Score</th><th scope="col">Stage</th><th scope="col">Top reasons</th><th scope="col">ARR delta</th><th scope="col">Route</th><th scope="col">Owner</th><th scope="col">Age</th></tr></thead>
<tbody id="opp-rows" data-refresh="/opportunities/rows${q ? `?${q}` : ''}" data-seconds="${v.refreshSeconds}">
${opportunityRows(v.list, v.catalog, v.now, v.moment)}
</tbody>
</table>
</div>
<nav class="pager" aria-label="Pages">
${f.page > 1 ? html`<a href="/?${filterQuery(f, f.page - 1)}" rel="prev">← Previous</a>` : ''}
<span>Page ${f.page} of ${pages}</span>
${f.page < pages ? html`<a href="/?${filterQuery(f, f.page + 1)}" rel="next">Next →</a>` : ''}
</nav>`;
}
