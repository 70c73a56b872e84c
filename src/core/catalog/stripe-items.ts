// Stripe subscription items -> what they stand for in the catalog: the base plan, extra units per
// meter, add-ons. Pure, so the Stripe source (and any billing import) can call it with its own
// price -> plan mapping. An item no mapping knows is returned, never dropped.
import type { Catalog } from './types.ts';

export interface StripeItem {
  price: string;
  quantity: number;
  /** the price's lookup_key: stripe_prices may name it instead of the id */
  lookupKey?: string;
}

export interface MappedItems {
  plan?: string;
  units: Record<string, number>;
  addons: string[];
  unknown: string[];
}

export function mapStripeItems(catalog: Catalog, items: readonly StripeItem[], planOf: (price: string) => string | undefined): MappedItems {
  const out: MappedItems = { units: {}, addons: [], unknown: [] };
  for (const item of items) {
    const named = (prices: readonly string[]) => prices.includes(item.price) || (item.lookupKey !== undefined && prices.includes(item.lookupKey));
    const addon = catalog.addons.find((a) => named(a.stripePrices));
    if (addon) {
      if (!out.addons.includes(addon.id)) out.addons.push(addon.id);
      continue;
    }
    const unit = catalog.plans.flatMap((p) => (p.units ?? []).map((u) => ({ p, u }))).find((x) => named(x.u.stripePrices));
    if (unit) {
      // the item's quantity is the extra units (Stripe's transform_quantity divides it when billing)
      out.units[unit.u.meter] = (out.units[unit.u.meter] ?? 0) + item.quantity;
      continue;
    }
    const plan = planOf(item.price);
    if (plan !== undefined && catalog.plans.some((p) => p.id === plan)) { out.plan ??= plan; continue; }
    out.unknown.push(item.price);
  }
  return out;
}
