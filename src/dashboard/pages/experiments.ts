// Experiments: for the expansion holdout and each experiment, the arms, the sample-ratio check and
// the lift over the holdout with its always-valid interval (docs/adr/0012-experiments.md).
import type { Comparison, ExperimentReport } from '../../core/experiments/report.ts';
import { day, money, pct } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';

const signedPts = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pts`;
const armName = (a: string): string => (a === 'holdout' ? 'holdout (organic)' : a === 'all_variants' ? 'all variants' : a);

function comparisons(title: string, cs: Comparison[], currency: string): SafeHtml | string {
  if (cs.length === 0) return '';
  const fmt = (c: Comparison, x: number): string => (c.metric === 'conversion' ? signedPts(x) : `${x >= 0 ? '+' : '-'}${money(Math.round(Math.abs(x)), currency)}`);
  return html`<table><caption>${title}</caption>
<thead><tr><th scope="col">Arm</th><th scope="col">Against</th><th scope="col">Metric</th><th scope="col">Difference</th><th scope="col">Fixed 95% interval</th><th scope="col">Always-valid 95% interval</th><th scope="col">Verdict</th></tr></thead>
<tbody>${cs.map((c) => html`<tr><th scope="row">${armName(c.arm)}</th><td>${armName(c.against)}</td><td>${c.metric === 'conversion' ? 'conversion' : 'expansion MRR per account'}</td>
<td class="num">${fmt(c, c.diff)}</td><td class="num">${fmt(c, c.ci[0])} to ${fmt(c, c.ci[1])}</td><td class="num">${fmt(c, c.sequentialCi[0])} to ${fmt(c, c.sequentialCi[1])}</td>
<td>${c.verdict === 'better' ? html`<span class="ok">better</span>` : c.verdict === 'worse' ? html`<span class="bad">worse</span>` : 'inconclusive'}</td></tr>`)}</tbody></table>`;
}

function section(r: ExperimentReport, playbookName: string | null, currency: string): SafeHtml {
  const design = r.playbook === null ? `${pct(r.holdout, 1)} of accounts kept out of every play`
    : `${playbookName ?? r.playbook}, step ${(r.step ?? 0) + 1}, ${r.factor}; holdout ${pct(r.holdout, 1)}; ${r.status} since ${day(r.createdAt)}`;
  return html`<section aria-labelledby="exp-${r.id}"><h2 id="exp-${r.id}">${r.name}</h2>
<p>${design}. ${r.accounts} accounts assigned.</p>
${r.srm.mismatch
    ? html`<p class="bad" role="alert"><strong>Sample-ratio mismatch</strong> (chi-square ${r.srm.chiSquare.toFixed(2)}, p = ${r.srm.p.toExponential(2)} &lt; 0.001): the arms' sizes are not the configured split. Do not trust these results.</p>`
    : html`<p>Sample ratio consistent with the configured split (p = ${r.srm.p.toFixed(3)}).</p>`}
<div class="table-wrap"><table><caption>Arms</caption>
<thead><tr><th scope="col">Arm</th><th scope="col">Accounts</th><th scope="col">Expected</th><th scope="col">Observed</th><th scope="col">Converted</th><th scope="col">Rate</th><th scope="col">Expansion MRR</th><th scope="col">Per account</th></tr></thead>
<tbody>${r.arms.map((a) => html`<tr><th scope="row">${armName(a.arm)}</th><td class="num">${a.accounts}</td><td class="num">${pct(a.expectedShare, 1)}</td><td class="num">${pct(a.observedShare, 1)}</td>
<td class="num">${a.conversions}</td><td class="num">${pct(a.rate, 1)}</td><td class="num">${money(a.expansionMrrCents, currency)}</td><td class="num">${money(Math.round(a.mrrPerAccountCents), currency)}</td></tr>`)}</tbody></table>
${comparisons('Incremental lift over the holdout (organic expansion)', r.lift, currency)}
${comparisons('Variants against the first', r.ab, currency)}</div>
<p class="note">${r.summary}</p></section>`;
}

export function experimentsBody(reports: ExperimentReport[], playbookNames: ReadonlyMap<string, string>, currency: string): SafeHtml {
  if (reports.length === 0) {
    return html`<p class="note">No experiment yet and no expansion holdout: set <code>experiments.holdout.share</code> in tierwise.yaml, or run <code>tierwise experiment create --help</code>.</p>`;
  }
  return html`<p class="note">Verdicts use the always-valid interval, which stays valid however often this page is read before the end.</p>
${reports.map((r) => section(r, r.playbook ? playbookNames.get(r.playbook) ?? null : null, currency))}`;
}
