// The sales reports (docs/sales.md): comp per owner and period, the economics of each motion, losses
// by reason, hand-offs past their SLA, and discount approvals. They read the opportunities (and, for
// the economics, their touches and tasks) from the playbook store and hand them to the pure core.
import { formatQuarter, monthOf } from '../core/metrics/months.ts';
import type { Opportunity } from '../core/playbooks/opportunity.ts';
import type { OwnerRole, Team } from '../core/playbooks/types.ts';
import { compReport, dealCommissions, type CompReport } from '../core/sales/comp.ts';
import { approvalLog } from '../core/sales/discounts.ts';
import { discountCost, economicsReport, motionOf, timeCost, type DealCost, type EconomicsReport } from '../core/sales/economics.ts';
import { slaBreaches, type SlaBreach } from '../core/sales/handoff.ts';
import { lossReport, type LossReport } from '../core/sales/losses.ts';
import { inPeriod, parsePeriod, type CompPeriod } from '../core/sales/period.ts';
import type { SalesSettings } from '../core/sales/types.ts';
import { AppError } from './errors.ts';
import type { PlaybookStore } from './ports.ts';

/** A period from its text, or the quarter `now` falls in. */
export function periodOrQuarter(text: string | undefined, now: number): CompPeriod {
  const p = parsePeriod(text ?? formatQuarter(monthOf(now)));
  if (!p) throw new AppError('invalid_request', `the period must be a month (2026-07), a quarter (2026-Q3) or a year (2026), got "${text}"`);
  return p;
}

const roleIn = (team: Team) => (owner: string): OwnerRole | undefined => team.members.find((m) => m.id === owner)?.role;

export async function compFor(store: PlaybookStore, s: SalesSettings, team: Team, period: CompPeriod): Promise<CompReport> {
  return compReport(await store.listOpportunities({ status: 'won' }), s, period, roleIn(team));
}

const closedIn = (o: Opportunity, p: CompPeriod): boolean => o.status !== 'open' && o.closedAt !== undefined && inPeriod(p, o.closedAt);

export interface EconomicsWithPeriod extends EconomicsReport { period: string; costs: { opportunity: string; motion: string; time: number; commission: number; discount: number }[] }

/** Every deal closed in the period, won or lost: its owners' time, the commission on it, the discount given. */
export async function economicsFor(store: PlaybookStore, s: SalesSettings, team: Team, period: CompPeriod): Promise<EconomicsWithPeriod> {
  const closed = (await store.listOpportunities()).filter((o) => closedIn(o, period));
  const commissions = dealCommissions(compReport(closed.filter((o) => o.status === 'won'), s, period, roleIn(team)));
  const costs = new Map<string, DealCost>();
  const byAccount = new Map<string, Opportunity[]>();
  for (const o of closed) byAccount.set(o.account, [...(byAccount.get(o.account) ?? []), o]);
  for (const [account, opps] of byAccount) {
    const since = Math.min(...opps.map((o) => o.openedAt));
    const touches = await store.listTouches(account, since);
    const tasks = await store.listTasks({ account });
    for (const o of opps) {
      costs.set(o.id, {
        timeCents: timeCost(o, touches.filter((t) => t.opportunity === o.id), tasks.filter((t) => t.opportunity === o.id), s.economics),
        commissionCents: commissions.get(o.id) ?? 0,
        discountCents: discountCost(o),
      });
    }
  }
  const r = economicsReport(closed, costs, s.economics);
  return {
    ...r, period: period.label,
    costs: closed.map((o) => ({ opportunity: o.id, motion: motionOf(o), time: costs.get(o.id)?.timeCents ?? 0, commission: costs.get(o.id)?.commissionCents ?? 0, discount: costs.get(o.id)?.discountCents ?? 0 })),
  };
}

export async function lossesFor(store: PlaybookStore, period: CompPeriod | undefined): Promise<LossReport & { period: string | null }> {
  const lost = (await store.listOpportunities({ status: 'lost' })).filter((o) => !period || closedIn(o, period));
  return { ...lossReport(lost), period: period?.label ?? null };
}

export async function breachesFor(store: PlaybookStore, now: number): Promise<SlaBreach[]> {
  return slaBreaches(await store.listOpportunities(), now);
}

export async function approvalsFor(store: PlaybookStore): Promise<ReturnType<typeof approvalLog>> {
  return approvalLog(await store.listOpportunities());
}
