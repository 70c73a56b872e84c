// The comp report (seed 000: CSM 10-20 % of quota from expansion, AE full quota credit; seed 002's
// models): per owner and period, the expansion ARR credited to them, their attainment of quota, and the
// commission owed: the role's rate on the ARR up to each accelerator's attainment, the accelerated rate
// above it (marginal, like a tax bracket), plus any per-deal pipeline bonus, with the deals behind it.
import type { Opportunity } from '../playbooks/opportunity.ts';
import type { OwnerRole } from '../playbooks/types.ts';
import { creditShares, modelShares } from './credit.ts';
import { netArr } from './discounts.ts';
import { inPeriod, type CompPeriod } from './period.ts';
import { salesOf } from './qualification.ts';
import type { CreditShare, RolePlan, SalesSettings } from './types.ts';

/** A won deal's credit: the split recorded at close, else the configured model's. */
export function creditOf(o: Opportunity, comp: SalesSettings['comp']): CreditShare[] {
  return salesOf(o).credit ?? creditShares(modelShares(o, comp), netArr(o));
}

/** Commission in cents on `credited` ARR against `quota` (null: no quota, the base rate throughout). */
export function commission(credited: number, quota: number | null, plan: RolePlan): number {
  if (quota === null || quota <= 0 || plan.accelerators.length === 0) return Math.round((credited * plan.ratePct) / 100);
  const steps = [...plan.accelerators].sort((a, b) => a.aboveAttainment - b.aboveAttainment);
  let total = 0;
  let from = 0;
  let rate = plan.ratePct;
  for (const s of steps) {
    const to = Math.min(credited, s.aboveAttainment * quota);
    if (to > from) total += ((to - from) * rate) / 100;
    from = Math.max(from, to);
    rate = s.ratePct;
  }
  if (credited > from) total += ((credited - from) * rate) / 100;
  return Math.round(total);
}

export interface CompDeal { opportunity: string; account: string; closedAt: number; dealArrCents: number; pct: number; creditedArrCents: number }

export interface CompRow {
  owner: string;
  role: OwnerRole;
  creditedArrCents: number;
  quotaCents: number | null;
  /** credited / quota, null without a quota */
  attainment: number | null;
  commissionCents: number;
  pipelineBonusCents: number;
  /** commission + pipeline bonus */
  owedCents: number;
  deals: CompDeal[];
}

export interface CompReport { period: string; model: SalesSettings['comp']['model']; rows: CompRow[]; uncredited: { deals: number; arrCents: number } }

export function compReport(opps: readonly Opportunity[], s: SalesSettings, period: CompPeriod, roleOf: (owner: string) => OwnerRole | undefined = () => undefined): CompReport {
  const rows = new Map<string, CompRow>();
  const uncredited = { deals: 0, arrCents: 0 };
  const won = opps.filter((o) => o.status === 'won' && o.closedAt !== undefined && inPeriod(period, o.closedAt))
    .sort((a, b) => (a.closedAt ?? 0) - (b.closedAt ?? 0) || a.id.localeCompare(b.id));
  for (const o of won) {
    const shares = creditOf(o, s.comp);
    const arr = netArr(o);
    if (shares.length === 0) { uncredited.deals++; uncredited.arrCents += arr; continue; }
    for (const sh of shares) {
      const k = `${sh.role}:${sh.person}`;
      let r = rows.get(k);
      if (!r) rows.set(k, (r = { owner: sh.person, role: sh.role, creditedArrCents: 0, quotaCents: null, attainment: null, commissionCents: 0, pipelineBonusCents: 0, owedCents: 0, deals: [] }));
      r.creditedArrCents += sh.arrCents;
      r.pipelineBonusCents += s.comp.roles[sh.role].pipelineBonusCents;
      r.deals.push({ opportunity: o.id, account: o.account, closedAt: o.closedAt ?? 0, dealArrCents: arr, pct: sh.pct, creditedArrCents: sh.arrCents });
    }
  }
  // owners with a quota and no deal still show, at zero attainment
  for (const q of s.quotas) {
    if (q.period !== period.label || [...rows.values()].some((r) => r.owner === q.owner)) continue;
    rows.set(`quota:${q.owner}`, { owner: q.owner, role: roleOf(q.owner) ?? 'csm', creditedArrCents: 0, quotaCents: null, attainment: null, commissionCents: 0, pipelineBonusCents: 0, owedCents: 0, deals: [] });
  }
  for (const r of rows.values()) {
    const q = s.quotas.find((x) => x.owner === r.owner && x.period === period.label);
    r.quotaCents = q?.expansionArrCents ?? null;
    r.attainment = r.quotaCents ? r.creditedArrCents / r.quotaCents : null;
    r.commissionCents = commission(r.creditedArrCents, r.quotaCents, s.comp.roles[r.role]);
    r.owedCents = r.commissionCents + r.pipelineBonusCents;
  }
  return {
    period: period.label, model: s.comp.model, uncredited,
    rows: [...rows.values()].sort((a, b) => b.creditedArrCents - a.creditedArrCents || a.owner.localeCompare(b.owner)),
  };
}

/** Commission owed on one deal: each share's part of its owner's period commission, in proportion to credited ARR. */
export function dealCommissions(report: CompReport): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of report.rows) {
    for (const d of r.deals) {
      const part = r.creditedArrCents > 0 ? Math.round((r.commissionCents * d.creditedArrCents) / r.creditedArrCents) : 0;
      const bonus = r.deals.length > 0 ? Math.round(r.pipelineBonusCents / r.deals.length) : 0;
      out.set(d.opportunity, (out.get(d.opportunity) ?? 0) + part + bonus);
    }
  }
  return out;
}
