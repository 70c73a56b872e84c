// `tierwise report comp|economics|losses|handoffs|discounts`: the sales reports (docs/sales.md), read
// from the opportunities in the store with the config's `sales:` and `team:` sections.
import type { Store } from '../app/ports.ts';
import { approvalsFor, breachesFor, compFor, economicsFor, lossesFor, periodOrQuarter } from '../app/sales-reports.ts';
import { AppError } from '../app/errors.ts';
import { toPlaybookSettings } from '../config/playbooks-schema.ts';
import { toSalesSettings } from '../config/sales-schema.ts';
import type { TierwiseConfig } from '../config/schema.ts';
import type { EconomicsRow } from '../core/sales/economics.ts';
import { money, printJson, table, UsageError } from './output.ts';
import { isoTime } from './score.ts';

export const SALES_REPORTS = ['comp', 'economics', 'losses', 'handoffs', 'discounts'] as const;
export type SalesReportKind = (typeof SALES_REPORTS)[number];

export const SALES_REPORT_HELP = `comp         per owner and period: credited expansion ARR, quota attainment, commission owed, the deals behind it
economics    cost of each motion (owner time, commissions, discounts) vs expansion ARR: expansion CAC, payback; new business beside it
losses       lost deals by reason (the objections taxonomy), offer type, segment and owner
handoffs     CS -> AE hand-offs past their SLA
discounts    quotes that needed an approver: approved, refused, waiting`;

const pct = (x: number | null): string => (x === null ? '-' : `${Math.round(x * 1000) / 10} %`);
const orDash = (c: number | null): string => (c === null ? '-' : money(c));

function econRow(r: EconomicsRow): (string | number)[] {
  return [r.motion.replace('_', '-'), r.segment.replace('_', ' '), r.deals, r.won, money(r.expansionArrCents), money(r.timeCents), money(r.commissionCents), money(r.discountCents), money(r.costCents),
    orDash(r.cacCents), r.costPerArrDollar === null ? '-' : `$${r.costPerArrDollar.toFixed(2)}`, r.paybackMonths === null ? '-' : String(r.paybackMonths)];
}

export async function salesReport(kind: SalesReportKind, store: Store, cfg: TierwiseConfig, o: { period?: string | undefined; json?: boolean | undefined; now: number }): Promise<void> {
  const s = toSalesSettings(cfg);
  const team = toPlaybookSettings(cfg).team;
  const period = () => {
    try { return periodOrQuarter(o.period, o.now); } catch (err) { throw err instanceof AppError ? new UsageError(`--period: ${err.message}`) : err; }
  };
  const out = (text: string) => process.stdout.write(`${text}\n`);
  switch (kind) {
    case 'comp': {
      const r = await compFor(store, s, team, period());
      if (o.json) return printJson(r);
      out(`comp ${r.period} (${r.model.replace('_', '-')} credit)`);
      out(r.rows.length === 0 ? '  no credited deal and no quota in this period' : table(['owner', 'role', 'credited ARR', 'quota', 'attainment', 'commission', 'bonus', 'owed', 'deals'],
        r.rows.map((x) => [x.owner, x.role, money(x.creditedArrCents), orDash(x.quotaCents), pct(x.attainment), money(x.commissionCents), money(x.pipelineBonusCents), money(x.owedCents), x.deals.length])));
      for (const x of r.rows.filter((y) => y.deals.length > 0)) {
        out(`\n${x.owner}:`);
        out(table(['  deal', 'account', 'closed', 'deal ARR', 'share', 'credited'], x.deals.map((d) => [`  ${d.opportunity}`, d.account, isoTime(d.closedAt).slice(0, 10), money(d.dealArrCents), `${d.pct} %`, money(d.creditedArrCents)])));
      }
      if (r.uncredited.deals > 0) out(`\nproduct-led, credited to nobody: ${r.uncredited.deals} deals, ${money(r.uncredited.arrCents)} ARR`);
      return;
    }
    case 'economics': {
      const r = await economicsFor(store, s, team, period());
      if (o.json) return printJson(r);
      const head = ['motion', 'segment', 'closed', 'won', 'expansion ARR', 'time', 'commission', 'discounts', 'cost', 'expansion CAC', 'cost per $1 ARR', 'payback (months)'];
      out(`economics of expansion, deals closed in ${r.period} (gross margin ${Math.round(s.economics.grossMargin * 100)} %)`);
      out(r.rows.length === 0 ? '  no deal closed in this period' : table(head, [...r.rows, ...r.byMotion, r.total].map(econRow)));
      if (r.newBusiness) {
        out(`\nnew business (configured): CAC ${money(r.newBusiness.cacCents)}, ${r.newBusiness.costPerArrDollar === null ? '-' : `$${r.newBusiness.costPerArrDollar.toFixed(2)}`} per $1 of ARR, payback ${r.newBusiness.paybackMonths ?? '-'} months`);
        if (r.cheaperBy !== null) out(`expansion is ${r.cheaperBy}x cheaper per dollar of ARR than new business`);
      } else out('\nnew business: set sales.economics.new_business to compare');
      return;
    }
    case 'losses': {
      const r = await lossesFor(store, o.period ? period() : undefined);
      if (o.json) return printJson(r);
      out(`lost deals${r.period ? ` closed in ${r.period}` : ''}: ${r.lost}, ${money(r.arrCents)} ARR`);
      for (const [title, groups] of [['by reason', r.byReason], ['by offer type', r.byOfferType], ['by segment', r.bySegment], ['by owner', r.byOwner]] as const) {
        out(`\n${title}:`);
        out(groups.length === 0 ? '  -' : table(['  ', 'lost', 'share', 'ARR'], groups.map((g) => [`  ${g.name}`, g.lost, pct(g.share), money(g.arrCents)])));
      }
      return;
    }
    case 'handoffs': {
      const breaches = await breachesFor(store, o.now);
      if (o.json) return printJson({ breaches });
      out(`hand-offs past their SLA (as of ${isoTime(o.now)}): ${breaches.length}`);
      if (breaches.length > 0) out(table(['opportunity', 'account', 'from', 'to', 'handed off', 'due', 'decided', 'hours late'],
        breaches.map((b) => [b.opportunity, b.account, b.from ?? '-', b.to, isoTime(b.at), isoTime(b.dueAt), b.decision ? `${b.decision} ${isoTime(b.decidedAt ?? 0)}` : 'waiting', b.hoursLate])));
      return;
    }
    case 'discounts': {
      const r = await approvalsFor(store);
      if (o.json) return printJson(r);
      out(`discount approvals: ${r.approved} approved, ${r.refused} refused, ${r.pending} waiting; ${r.withinPolicy} quotes within ${s.discounts.approvalAbovePct} % needed none`);
      if (r.rows.length > 0) out(table(['opportunity', 'discount', 'term', 'rules allow', 'status', 'quoted by', 'decided by', 'reason'],
        r.rows.map((x) => [x.opportunity, `${x.discountPct} %`, `${x.termMonths} mo`, `${x.allowedPct} %`, x.status, x.by, x.decidedBy ?? '-', x.reason ?? ''])));
    }
  }
}
