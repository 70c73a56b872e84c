// One account: usage against its limits, the signals with their evidence, the score breakdown,
// qualification, the offer, the timeline, playbook progress, and what the CSM can do next.
import type { AccountRecord, TrialRecord } from '../../app/ports.ts';
import type { Catalog } from '../../core/catalog/types.ts';
import { OPP_STAGE_NAMES, type Opportunity } from '../../core/playbooks/opportunity.ts';
import type { Step } from '../../core/playbooks/steps.ts';
import type { Evaluation } from '../../core/scoring/evaluate.ts';
import { STAGE_NAMES } from '../../core/scoring/stage.ts';
import { COLORS, levelLine, lineChart, type ChartConfig, type Dataset } from '../charts.ts';
import { age, dateTime, day, limitText, money, num, pct, words } from '../format.ts';
import { html, jsonIsland, type SafeHtml } from '../html.ts';
import type { TimelineEntry } from '../timeline.ts';
import type { MeterSeries, UsageSeries } from '../usage-series.ts';
import { ownerLabel, type OwnerView } from '../../app/owners.ts';
import { offerAlternatives, tierComparison, offerFigures } from './account-offer.ts';
import { accountActions } from './account-actions.ts';
import { manualOpportunityForm, salesPanel } from './account-sales.ts';
import type { SalesSettings } from '../../core/sales/types.ts';

export interface AccountView {
  id: string;
  record: AccountRecord | undefined;
  ev: Evaluation;
  catalog: Catalog;
  usage: UsageSeries;
  timeline: TimelineEntry[];
  opportunities: Opportunity[];
  steps: Step[];
  trials: TrialRecord[];
  actionsEnabled: boolean;
  csrf: string;
  flash: string | undefined;
  now: number;
  /** the sales settings (qualification, talk tracks); without them the sales panel is not shown */
  sales?: SalesSettings | undefined;
  owner: OwnerView | null;
}

function usageChart(m: MeterSeries, days: string[]): ChartConfig {
  const n = days.length;
  const sets: Dataset[] = [{ label: `${m.name} (${m.unit})`, data: m.values, borderColor: COLORS.usage, backgroundColor: COLORS.usage, borderWidth: 2, pointRadius: 0, fill: false }];
  if (typeof m.limit === 'number' && m.limit > 0) {
    sets.push(levelLine('limit', m.limit, n, COLORS.limit, []), levelLine('90 %', 0.9 * m.limit, n, COLORS.p90), levelLine('80 %', 0.8 * m.limit, n, COLORS.p80), levelLine('70 %', 0.7 * m.limit, n, COLORS.p70));
  }
  return lineChart(days, sets, m.reset === 'month' ? `${m.unit}, month to date` : m.unit);
}

function meterBlock(m: MeterSeries, days: string[], i: number, daysTo100: number | null): SafeHtml {
  const util = typeof m.limit === 'number' && m.limit > 0 ? m.current / m.limit : null;
  const alt = `${m.name}: ${num(m.current)} ${m.unit}${m.reset === 'month' ? ' this month' : ''} against a limit of ${limitText(m.limit)}${util === null ? '' : ` (${pct(util)})`}; peak ${num(m.peak)} over 90 days; ${m.daysOver80} days at or above 80 %.`;
  return html`<figure class="chart">
<figcaption>${m.name} <span class="sub">${m.reset === 'month' ? 'month to date, resets monthly' : m.reset === 'day' ? 'per day' : 'level'}</span></figcaption>
<div class="canvas-box"><canvas id="usage-${i}" data-chart="usage-${i}-data" role="img" aria-label="${alt}"></canvas></div>
${jsonIsland(`usage-${i}-data`, usageChart(m, days))}
<p class="sub">${alt}${daysTo100 === null ? '' : html` <span data-figure="days-to-limit" data-meter="${m.id}">100 % in about ${daysTo100} days</span>.`}</p>
</figure>`;
}

const signalKind = (k: string): SafeHtml => (k === 'positive' ? html`<span class="pos">positive</span>` : html`<span class="neg">negative</span>`);

/** The evidence's figures in words ("sustained days 28 · spike no"); the sentence above says what they mean. */
function evidenceFigures(e: Record<string, unknown>): string {
  const label = (k: string) => k.replace(/_/g, ' ').replace(/([a-z])([A-Z0-9])/g, '$1 $2').toLowerCase();
  const value = (v: unknown): string => (typeof v === 'number' ? num(v) : typeof v === 'boolean' ? (v ? 'yes' : 'no')
    : v === null || v === undefined ? '—' : Array.isArray(v) ? v.map(value).join(', ') : typeof v === 'object' ? '…' : String(v));
  return Object.entries(e).filter(([k]) => k !== 'sentence').map(([k, v]) => `${label(k)} ${value(v)}`).join(' · ');
}

function playbookSection(v: AccountView): SafeHtml {
  if (v.opportunities.length === 0 && v.trials.length === 0) return html`<p>No opportunity or trial for this account yet: a playbook opens one when its trigger fires.</p>`;
  return html`${v.opportunities.map((o) => {
    const steps = v.steps.filter((s) => s.opportunity === o.id);
    return html`<article class="opp"><h3>${OPP_STAGE_NAMES[o.stage]} · ${o.fromPlan} → ${o.targetName} <span class="sub">${money(o.arrDeltaCents, v.catalog.currency)} ARR, opened ${age(o.openedAt, v.now)} ago, owner ${o.owner ?? 'unassigned'}</span></h3>
${o.plays.length > 0 ? html`<p>Plays: ${o.plays.map((p, i) => html`${i > 0 ? ', ' : ''}${p.playbook} (${p.status})`)}</p>` : ''}
${steps.length > 0 ? html`<div class="table-wrap"><table><caption>Playbook steps</caption><thead><tr><th scope="col">Day due</th><th scope="col">Playbook</th><th scope="col">Channel</th><th scope="col">Status</th></tr></thead><tbody>
${steps.map((s) => html`<tr><td>${day(s.dueAt)}</td><td>${s.playbook}</td><td>${words(s.channel)}</td><td>${s.status}${s.reason ? ` (${s.reason})` : ''}</td></tr>`)}</tbody></table></div>` : ''}
${salesPanel(v, o)}
<details><summary>History (${o.history.length})</summary><ol class="history">${o.history.map((h) => html`<li><time>${dateTime(h.at)}</time> ${h.event}: ${h.detail}</li>`)}</ol></details>
</article>`;
  })}
${v.trials.length > 0 ? html`<ul>${v.trials.map((t) => html`<li>Trial of ${t.plan} from ${day(t.startedAt)} to ${day(t.endsAt)}: ${t.status}</li>`)}</ul>` : ''}`;
}

export function accountBody(v: AccountView): SafeHtml {
  const { ev, catalog } = v;
  const name = typeof v.record?.traits.name === 'string' ? v.record.traits.name : v.id;
  const plan = catalog.plans.find((p) => p.id === ev.plan);
  const pos = Math.max(1, ...ev.score.contributions.map((c) => Math.abs(c.points)));
  return html`${v.flash ? html`<p class="flash" role="status">${v.flash}</p>` : ''}
<section aria-labelledby="s-facts" class="facts"><h2 id="s-facts" class="visually-hidden">Summary</h2>
<p class="account-name">${name} <span class="sub">${v.id}</span></p>
<dl class="figures">
<div><dt>Plan</dt><dd>${plan?.name ?? (ev.plan || 'none')}</dd></div>
<div><dt>Stage</dt><dd>${STAGE_NAMES[ev.stage.stage]} <span class="sub">${ev.stage.rule}</span></dd></div>
<div><dt>Score</dt><dd><span class="score" data-figure="score">${ev.score.score}</span></dd></div>
<div><dt>Ready</dt><dd>${ev.qualification.ready ? html`<span class="ok">ready</span>` : 'not ready'}</dd></div>
<div><dt>Owner</dt><dd data-figure="owner" data-owner="${v.owner?.id ?? ''}">${v.owner ? ownerLabel(v.owner) : 'unassigned'}${v.owner ? html` <span class="sub">${v.owner.source === 'opportunity' ? 'owns the open opportunity' : `the account's ${v.owner.source.toUpperCase()}`}</span>` : ''}</dd></div>
<div><dt>Active users</dt><dd>${ev.activeUsers} <span class="sub">adoption ${pct(ev.adoption)}</span></dd></div>
</dl></section>

<section aria-labelledby="s-usage"><h2 id="s-usage">Usage against limits, last 90 days</h2>
${v.usage.meters.length === 0 ? html`<p>No usage reported in the 90 days up to this moment.</p>` : html`<div class="charts">${v.usage.meters.map((m, i) => meterBlock(m, v.usage.days, i, ev.meters.find((x) => x.id === m.id)?.daysTo100 ?? null))}</div>`}
</section>

<div class="cols">
<section aria-labelledby="s-signals"><h2 id="s-signals">Signals now</h2>
${ev.signals.length === 0 ? html`<p>No signal.</p>` : html`<ul class="signals">${ev.signals.map((s) => html`<li>${signalKind(s.kind)} <strong>${words(s.id)}</strong> <span class="sub">strength ${pct(s.strength)}</span><br>${s.evidence.sentence}<br><span class="sub">${evidenceFigures(s.evidence)}</span></li>`)}</ul>`}
</section>
<section aria-labelledby="s-score"><h2 id="s-score">Score breakdown</h2>
<div class="table-wrap"><table><caption>Contribution of each signal to the score of ${ev.score.score}</caption>
<thead><tr><th scope="col">Signal</th><th scope="col">Strength</th><th scope="col">Weight</th><th scope="col">Points</th></tr></thead>
<tbody>${ev.score.contributions.map((c) => html`<tr><th scope="row">${words(c.id)}</th><td>${pct(c.strength)}</td><td>${num(c.weight)}</td><td class="num"><meter min="0" max="${pos}" value="${Math.abs(c.points)}" aria-hidden="true"></meter> ${c.points > 0 ? '+' : ''}${num(c.points)}</td></tr>`)}</tbody>
<tfoot><tr><th scope="row">Total</th><td></td><td></td><td class="num">${num(ev.score.raw)} → ${ev.score.score}</td></tr></tfoot></table></div>
<h2 id="s-qual">Qualification</h2>
<ul class="checks" aria-labelledby="s-qual">${ev.qualification.checks.map((c) => html`<li class="${c.ok ? 'ok' : 'bad'}"><span role="img" aria-label="${c.ok ? 'passes' : 'fails'}">${c.ok ? '✓' : '✗'}</span> ${c.reason}</li>`)}</ul>
</section>
</div>

<section aria-labelledby="s-offer"><h2 id="s-offer">Offer${ev.offer ? html`: ${ev.offer.target.name}` : ''}</h2>
${ev.offer ? html`${offerFigures(catalog, ev.offer)}${offerAlternatives(catalog, ev.offer)}${tierComparison(catalog, plan, ev.offer)}` : html`<p>Nothing to offer: no need observed and no higher tier.</p>`}
</section>

<section aria-labelledby="s-actions"><h2 id="s-actions">Actions</h2>
${accountActions(v)}
${manualOpportunityForm(v)}
</section>

<section aria-labelledby="s-playbook"><h2 id="s-playbook">Playbook progress</h2>
${playbookSection(v)}
</section>

<section aria-labelledby="s-timeline"><h2 id="s-timeline">Timeline</h2>
${v.timeline.length === 0 ? html`<p>Nothing notable in the last 90 days.</p>` : html`<ol class="timeline">${v.timeline.map((t) => html`<li class="${t.kind}"><time datetime="${t.day}">${t.day}</time> ${t.text}${t.count > 1 ? ` ×${t.count}` : ''}</li>`)}</ol>`}
</section>`;
}
