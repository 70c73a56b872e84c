// A manual opportunity (a CSM's observation, a QBR, an inbound ask) for a tier the person chose, which
// need not be the engine's recommendation: its brief, price and route are worked out the same way.
import type { Catalog, Plan } from '../catalog/types.ts';
import type { Brief, NewOpportunity } from '../playbooks/opportunity.ts';
import { briefOf, evidenceOf } from '../playbooks/vars.ts';
import { priceDelta } from '../offers/price.ts';
import { roi } from '../offers/roi.ts';
import { routeOf, segmentOf } from '../offers/routing.ts';
import type { Evaluation } from '../scoring/evaluate.ts';
import type { OfferSettings } from '../scoring/settings.ts';
import type { ManualSource } from './types.ts';

export interface ManualInput {
  ev: Evaluation;
  catalog: Catalog;
  target: Plan;
  /** the account's billing interval, segment trait and employees (from its state) */
  interval: 'month' | 'year' | '';
  segmentTrait: string;
  employees: number;
  offers: OfferSettings;
  source: ManualSource;
  now: number;
}

function briefFor(i: ManualInput, from: Plan | undefined): Brief {
  const price = priceDelta(from, i.target, i.interval);
  const have = new Set(from?.features ?? []);
  const gained = i.target.features.filter((f) => !have.has(f));
  const byId = new Map(i.catalog.features.map((f) => [f.id, f]));
  const value = roi(gained.map((f) => byId.get(f) ?? { id: f, name: f }), price.annual ?? price.monthly * 12);
  const lim = (p: Plan | undefined, m: string): number | null => (p && m in p.limits ? (p.limits[m] ?? null) : p ? 0 : null);
  return {
    evidence: evidenceOf(i.ev, 5),
    roi: { multiple: value.multiple, annualValueCents: value.annualValue, annualCostCents: value.annualCost },
    comparison: {
      from: i.ev.plan, to: i.target.id, gainedFeatures: gained,
      limits: i.ev.meters.filter((m) => Math.max(m.current, m.peak) > 0).map((m) => ({ meter: m.id, from: lim(from, m.id), to: lim(i.target, m.id), observed: Math.round(Math.max(m.current, m.peak) * 100) / 100 })),
    },
    price: { monthlyDeltaCents: price.monthly, arrDeltaCents: price.arr },
  };
}

/** The new opportunity's fields, or why there is none. */
export function manualOpportunity(i: ManualInput): { ok: true; opp: NewOpportunity } | { ok: false; reason: string } {
  const from = i.catalog.plans.find((p) => p.id === i.ev.plan);
  if (from && i.target.rank <= from.rank) return { ok: false, reason: `${i.target.name} is not above the account's plan (${from.name})` };
  const brief = i.ev.offer?.target.id === i.target.id ? briefOf(i.ev) ?? briefFor(i, from) : briefFor(i, from);
  const segment = i.ev.offer?.routing.segment ?? segmentOf(i.segmentTrait, i.employees, i.offers);
  const route = routeOf(brief.price.arrDeltaCents, segment, i.offers).route;
  return {
    ok: true,
    opp: {
      id: `opp:${i.ev.account}:${i.target.id}:${i.now}`, account: i.ev.account, fromPlan: i.ev.plan, target: i.target.id, targetName: i.target.name,
      // a person raised it: at least CSM-led, whatever the deal size would route a signal to
      route: route === 'product_led' ? 'csm' : route, segment, arrDeltaCents: brief.price.arrDeltaCents, monthlyDeltaCents: brief.price.monthlyDeltaCents,
      score: i.ev.score.score, brief, source: i.source,
    },
  };
}
