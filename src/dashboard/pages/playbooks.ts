// Playbooks: each playbook's reach, steps sent and conversions against its target.
import { pct } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import type { PlaybookRow } from '../pipeline-stats.ts';

export function playbooksBody(rows: PlaybookRow[] | undefined): SafeHtml {
  if (!rows) return html`<p class="note">Playbook figures need the playbook store (T4), which this server does not have yet.</p>`;
  if (rows.length === 0) return html`<p class="note">No playbook is configured: add them under <code>playbooks:</code> in tierwise.yaml.</p>`;
  return html`<div class="table-wrap"><table>
<caption>Reach, steps sent and conversion of each playbook against its target</caption>
<thead><tr><th scope="col">Playbook</th><th scope="col">Accounts reached</th><th scope="col">Steps sent</th><th scope="col">Conversions</th><th scope="col">Conversion</th><th scope="col">Target</th><th scope="col">On target</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><th scope="row">${r.name} <span class="sub">${r.id}</span></th><td class="num">${r.reach}</td><td class="num">${r.stepsSent}</td><td class="num">${r.conversions}</td>
<td class="num">${pct(r.conversion, 1)}</td><td class="num">${pct(r.target, 1)}</td><td>${r.conversion === null ? 'no plays yet' : r.conversion >= r.target ? html`<span class="ok">yes</span>` : html`<span class="bad">below</span>`}</td></tr>`)}</tbody>
</table></div>`;
}
