// The Stripe subscription items an account holds as the catalog prices them (the base plan, extra
// units per meter, add-ons), and the items after an offer is taken. Each item is priced for the
// billing interval, the way Stripe bills it: per_unit blocks or graduated / volume tiers
// (catalog/units.ts), add-ons at their own price, nothing for an add-on the plan includes.
import { findPlan } from '../catalog/catalog.ts';
import { findAddon, type Holdings } from '../catalog/holdings.ts';
import type { Catalog, Plan } from '../catalog/types.ts';
import { annualUnitCost, unitCost, unitPriceOf } from '../catalog/units.ts';
import type { OfferItem } from '../offers/options.ts';

export type Interval = 'month' | 'year';

export interface SubItem {
  /** plan:pro, units:seats, addon:analytics_module: what the item stands for */
  key: string;
  kind: 'plan' | 'units' | 'addon';
  id: string;
  /** what a person reads: "Pro", "Users (extra)", "Advanced analytics module" */
  name: string;
  /** the Stripe price id (a plan without a mapped price: its lookup_key, the plan id) */
  price: string;
  quantity: number;
  /** cents per billing interval for the whole item */
  amount: number;
}

/** Stripe price ids per plan and interval: from the `stripe.plans` mapping; absent ones fall back to the plan id as lookup_key. */
export type PlanPrices = (plan: string, interval: Interval) => string | undefined;

export interface Holding extends Holdings { plan: string; interval: Interval }

function planItem(p: Plan, interval: Interval, prices: PlanPrices): SubItem {
  const amount = interval === 'year' ? p.price.annual ?? p.price.monthly * 12 : p.price.monthly;
  return { key: `plan:${p.id}`, kind: 'plan', id: p.id, name: p.name, price: prices(p.id, interval) ?? p.id, quantity: 1, amount };
}

export function subscriptionItems(catalog: Catalog, h: Holding, prices: PlanPrices): SubItem[] {
  const plan = findPlan(catalog, h.plan);
  if (!plan) throw new Error(`subscription items: plan "${h.plan}" is not in the catalog`);
  const out: SubItem[] = [planItem(plan, h.interval, prices)];
  for (const [meter, qty] of Object.entries(h.units)) {
    const u = unitPriceOf(plan, meter);
    if (!u || qty <= 0) continue;
    const monthly = unitCost(u, qty);
    const m = catalog.meters.find((x) => x.id === meter);
    out.push({
      key: `units:${meter}`, kind: 'units', id: meter, name: `${m?.name ?? meter} (extra)`, price: u.stripePrices[0] ?? `${plan.id}_${meter}`,
      quantity: qty, amount: h.interval === 'year' ? annualUnitCost(plan, monthly) ?? monthly * 12 : monthly,
    });
  }
  for (const id of h.addons) {
    const a = findAddon(catalog, id);
    if (!a || a.includedIn.includes(plan.id)) continue;
    const price = h.interval === 'year' ? a.stripePrices[1] ?? a.stripePrices[0] : a.stripePrices[0];
    out.push({ key: `addon:${id}`, kind: 'addon', id, name: a.name, price: price ?? id, quantity: 1, amount: h.interval === 'year' ? a.price.annual ?? a.price.monthly * 12 : a.price.monthly });
  }
  return out;
}

/**
 * What the account holds after taking the offer's items: a tier replaces the plan (extra units priced
 * on the old plan and add-ons the new one includes or does not sell go with it); units add to the
 * meter's extra units; an add-on joins. A term is a commitment agreed in a quote, not a checkout.
 */
export function holdingAfter(catalog: Catalog, h: Holding, items: readonly OfferItem[]): Holding {
  let plan = h.plan;
  let units: Record<string, number> = { ...h.units };
  let addons = [...h.addons];
  for (const it of items) {
    if (it.kind === 'term') throw new Error(`"${it.name}" is a commitment term: agree it through a quote (tierwise opportunity quote), not a checkout`);
    if (it.kind === 'plan') {
      plan = it.id;
      const to = findPlan(catalog, plan);
      units = Object.fromEntries(Object.entries(units).filter(([meter]) => unitPriceOf(to, meter) !== undefined));
      addons = addons.filter((a) => { const ad = findAddon(catalog, a); return ad !== undefined && !ad.includedIn.includes(plan) && ad.availableOn.includes(plan); });
    } else if (it.kind === 'units') units[it.id] = (units[it.id] ?? 0) + (it.quantity ?? 0);
    else if (!addons.includes(it.id)) addons.push(it.id);
  }
  return { ...h, plan, units, addons };
}
