// What an account holds beyond its plan (add-ons, extra units, a term), and the plan it effectively
// has once they are counted: the limits, features and support a signal or an offer must measure against.
import { SUPPORT_RANK, type Addon, type Catalog, type Plan, type SupportLevel } from './types.ts';
import { annualUnitCost, unitCost, unitPriceOf } from './units.ts';

export interface Holdings {
  addons: readonly string[];
  /** extra units bought, per meter */
  units: Readonly<Record<string, number>>;
  /** committed term in months (0: none known) */
  termMonths: number;
  /** when each part came, keyed `addon:<id>`, `units:<meter>`, `term` (absent: not known) */
  extrasTs?: Readonly<Record<string, number>>;
}

export const NO_HOLDINGS: Holdings = { addons: [], units: {}, termMonths: 0 };

export function hasExtras(h: Holdings): boolean {
  if (h.addons.length > 0) return true;
  for (const k in h.units) if ((h.units[k] ?? 0) > 0) return true;
  return false;
}

export function findAddon(catalog: Catalog, id: string): Addon | undefined {
  return catalog.addons.find((a) => a.id === id);
}

/** Better support: faster response, more CSM, no channel lost. */
export function betterSupport(a: SupportLevel, b: SupportLevel): boolean {
  return a.responseHours < b.responseHours || SUPPORT_RANK[a.csm] > SUPPORT_RANK[b.csm];
}

/** The plan with the holdings' units, add-on limits, features and support folded in. */
export function effectivePlan(catalog: Catalog, plan: Plan, h: Holdings): Plan {
  if (!hasExtras(h)) return plan;
  const limits: Record<string, number | null> = { ...plan.limits };
  const features = new Set(plan.features);
  let support = plan.support;
  const add = (meter: string, n: number): void => {
    if (!(meter in limits)) limits[meter] = n;
    else if (limits[meter] !== null) limits[meter] = (limits[meter] ?? 0) + n;
  };
  for (const [meter, n] of Object.entries(h.units)) if (n > 0) add(meter, n);
  for (const id of h.addons) {
    const a = findAddon(catalog, id);
    if (!a) continue;
    for (const f of a.features) features.add(f);
    for (const [meter, n] of Object.entries(a.limits)) add(meter, n);
    if (a.support && betterSupport(a.support, support)) support = { ...a.support, channels: [...new Set([...support.channels, ...a.support.channels])] };
  }
  return { ...plan, limits, features: [...features], support };
}

/** What the holdings cost on top of the plan, per month and per year (annual prices where the catalog has them). */
export function extrasPrice(catalog: Catalog, plan: Plan, h: Holdings): { monthly: number; annual: number } {
  let monthly = 0;
  let annual = 0;
  for (const [meter, n] of Object.entries(h.units)) {
    const u = unitPriceOf(plan, meter);
    if (!u || n <= 0) continue;
    const m = unitCost(u, n);
    monthly += m;
    annual += annualUnitCost(plan, m) ?? m * 12;
  }
  for (const id of h.addons) {
    const a = findAddon(catalog, id);
    if (!a || a.includedIn.includes(plan.id)) continue;
    monthly += a.price.monthly;
    annual += a.price.annual ?? a.price.monthly * 12;
  }
  return { monthly, annual };
}
