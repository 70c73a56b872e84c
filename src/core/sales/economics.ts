// The economics of expansion (seed 001 and 002: upsell profitability, "acquiring a new customer costs
// 5-7x more than upselling an existing one"): what each motion cost (owner time per touch and per
// stage, commissions, discounts given) against the expansion ARR it brought, per motion and segment.
// Expansion CAC = cost / won deals; cost per $1 of ARR = cost / ARR; payback = cost / (MRR x gross margin).
import { ownersOf } from '../metrics/attribution.ts';
import type { Opportunity } from '../playbooks/opportunity.ts';
import type { OwnerRole } from '../playbooks/types.ts';
import { activeQuote, netArr } from './discounts.ts';
import { episodesOf } from './handoff.ts';
import type { Economics } from './types.ts';

export const MOTIONS = ['product_led', 'csm', 'ae'] as const;
export type Motion = (typeof MOTIONS)[number];

/** Who worked the deal decides its motion: an AE makes it sales-led, a CSM alone CSM-led, nobody product-led. */
export function motionOf(o: Opportunity): Motion {
  const t = ownersOf(o);
  return t.ae.length > 0 ? 'ae' : t.csm.length > 0 ? 'csm' : 'product_led';
}

export interface TouchCost { opportunity?: string | undefined; channel: string }
export interface TaskCost { opportunity: string; role: OwnerRole }

export interface DealCost { timeCents: number; commissionCents: number; discountCents: number }

/** The owner's time on one deal: per touch (tasks at their role's rate) and per stage reached (CSM before the hand-off, AE after). */
export function timeCost(o: Opportunity, touches: readonly TouchCost[], tasks: readonly TaskCost[], e: Economics): number {
  const motion = motionOf(o);
  const lead: OwnerRole = motion === 'ae' ? 'ae' : 'csm';
  const perMinute = (role: OwnerRole): number => e.hourlyCostCents[role] / 60;
  let cents = 0;
  for (const t of touches) if (t.channel !== 'task') cents += (e.minutesPerTouch[t.channel] ?? 0) * perMinute(lead);
  for (const t of tasks) cents += (e.minutesPerTouch['task'] ?? 0) * perMinute(t.role);
  if (motion !== 'product_led') {
    const handedAt = episodesOf(o).find((h) => h.decision !== 'bounced')?.at;
    const seen = new Set<string>();
    for (const h of o.history) {
      if (!h.stage || seen.has(h.stage)) continue;
      seen.add(h.stage);
      const role: OwnerRole = motion === 'ae' && handedAt !== undefined && h.at >= handedAt ? 'ae' : 'csm';
      cents += (e.minutesPerStage[h.stage] ?? 0) * perMinute(role);
    }
  }
  return Math.round(cents);
}

/** The first year's ARR given away by the discount of the quote that went out. */
export const discountCost = (o: Opportunity): number => (o.status === 'won' && activeQuote(o) ? o.arrDeltaCents - netArr(o) : 0);

export interface EconomicsRow {
  motion: Motion | 'all';
  segment: string;
  deals: number;
  won: number;
  expansionArrCents: number;
  timeCents: number;
  commissionCents: number;
  discountCents: number;
  costCents: number;
  /** cost per won deal */
  cacCents: number | null;
  /** cost per dollar of new ARR */
  costPerArrDollar: number | null;
  paybackMonths: number | null;
}

export interface EconomicsReport {
  rows: EconomicsRow[];
  byMotion: EconomicsRow[];
  total: EconomicsRow;
  newBusiness: { cacCents: number; costPerArrDollar: number | null; paybackMonths: number | null } | null;
  /** new-business cost per $1 of ARR / expansion cost per $1 of ARR: "upsell is N x cheaper" */
  cheaperBy: number | null;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

function finish(r: Omit<EconomicsRow, 'costCents' | 'cacCents' | 'costPerArrDollar' | 'paybackMonths'>, gm: number): EconomicsRow {
  const costCents = r.timeCents + r.commissionCents + r.discountCents;
  const mrr = r.expansionArrCents / 12;
  return {
    ...r, costCents, cacCents: r.won > 0 ? Math.round(costCents / r.won) : null,
    costPerArrDollar: r.expansionArrCents > 0 ? Math.round((costCents / r.expansionArrCents) * 1000) / 1000 : null,
    paybackMonths: mrr > 0 && gm > 0 ? round1(costCents / (mrr * gm)) : null,
  };
}

export function economicsReport(closed: readonly Opportunity[], costs: ReadonlyMap<string, DealCost>, e: Economics): EconomicsReport {
  type Acc = Omit<EconomicsRow, 'costCents' | 'cacCents' | 'costPerArrDollar' | 'paybackMonths'>;
  const blank = (motion: Motion | 'all', segment: string): Acc => ({ motion, segment, deals: 0, won: 0, expansionArrCents: 0, timeCents: 0, commissionCents: 0, discountCents: 0 });
  const cells = new Map<string, Acc>();
  const motions = new Map<string, Acc>();
  const total = blank('all', 'all');
  for (const o of closed) {
    const m = motionOf(o);
    const c = costs.get(o.id) ?? { timeCents: 0, commissionCents: 0, discountCents: 0 };
    const k = `${m}|${o.segment}`;
    if (!cells.has(k)) cells.set(k, blank(m, o.segment));
    if (!motions.has(m)) motions.set(m, blank(m, 'all'));
    for (const a of [cells.get(k), motions.get(m), total]) {
      if (!a) continue;
      a.deals++;
      if (o.status === 'won') { a.won++; a.expansionArrCents += netArr(o); }
      a.timeCents += c.timeCents;
      a.commissionCents += c.commissionCents;
      a.discountCents += c.discountCents;
    }
  }
  const order = (a: Acc, b: Acc) => MOTIONS.indexOf(a.motion as Motion) - MOTIONS.indexOf(b.motion as Motion) || a.segment.localeCompare(b.segment);
  const t = finish(total, e.grossMargin);
  const nb = e.newBusiness;
  const newBusiness = nb && nb.customers > 0 ? {
    cacCents: Math.round(nb.costCents / nb.customers),
    costPerArrDollar: nb.arrCents > 0 ? Math.round((nb.costCents / nb.arrCents) * 1000) / 1000 : null,
    paybackMonths: nb.arrCents > 0 && e.grossMargin > 0 ? round1(nb.costCents / ((nb.arrCents / 12) * e.grossMargin)) : null,
  } : null;
  return {
    rows: [...cells.values()].sort(order).map((a) => finish(a, e.grossMargin)),
    byMotion: [...motions.values()].sort(order).map((a) => finish(a, e.grossMargin)),
    total: t, newBusiness,
    cheaperBy: newBusiness?.costPerArrDollar && t.costPerArrDollar ? round1(newBusiness.costPerArrDollar / t.costPerArrDollar) : null,
  };
}
