// `tierwise metrics --by segment|plan|cohort`: the figures per group as a table (or --json), the
// seeds' benchmark bands named beside them.
import type { GroupedRevenue, GroupRow } from '../app/metrics-groups.ts';

const money = (c: number | null): string => (c === null ? '-' : `$${Math.round(c / 100).toLocaleString('en-US')}`);
const pct = (x: number | null): string => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
/** a rate over fewer than 10 accounts paying at the start says nothing: show how many instead */
const rate = (r: GroupRow, x: number | null): string => (r.cohortAccounts > 0 && r.cohortAccounts < 10 ? `n=${r.cohortAccounts}` : pct(x));

export function renderGroups(g: GroupedRevenue): string {
  const head = [g.by, 'accounts', 'start MRR', 'end MRR', 'expansion MRR', 'NRR', 'GRR', 'ARPA', 'ARPA growth', 'NRR band (seeds)'];
  const cells = (r: GroupRow): string[] => [r.name, String(r.accounts), money(r.startMrr), money(r.endMrr), money(r.expansionMrr), rate(r, r.nrr), rate(r, r.grr),
    money(r.arpa), pct(r.arpaGrowth), r.cohortAccounts >= 10 ? r.nrrBands.join(', ') || '-' : '-'];
  const rows = [head, ...g.groups.map(cells), cells(g.total)];
  const widths = head.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [`${g.from}..${g.to}, by ${g.by}; the groups add up to the last row`, line(head), ...rows.slice(1, -1).map(line), line(rows.at(-1)!), ''];
  out.push('Benchmarks (the seeds\' figures, not ours):');
  for (const b of g.bands) out.push(`  ${b.metric === 'nrr' ? 'NRR' : 'upsell conversion'} ${b.label}: ${b.low !== null ? pct(b.low) : ''}${b.high !== null ? `${b.low !== null ? ' to ' : 'up to '}${pct(b.high)}` : ' and above'} (${b.source})`);
  out.push('  upsell conversion for your own plays: tierwise report funnel');
  const left = g.problems.filter((p) => p.effect === 'excluded').reduce((n, p) => n + p.count, 0);
  if (left > 0) out.push(`${left} subscription event(s) left out (tierwise metrics without --by lists them with their ids)`);
  return `${out.join('\n')}\n`;
}
