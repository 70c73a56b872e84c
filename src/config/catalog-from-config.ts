import type { Addon, Catalog, Plan, Term, UnitPrice } from '../core/catalog/types.ts';
import { sortPlans } from '../core/catalog/catalog.ts';
import { DEFAULT_CHECK_OPTIONS, type CheckOptions } from '../core/catalog/check.ts';
import type { TierwiseConfig } from './schema.ts';

export function toCatalog(cfg: TierwiseConfig): Catalog {
  const meters = Object.entries(cfg.meters).map(([id, m]) => ({ id, name: m.name ?? id, unit: m.unit ?? '', reset: m.reset }));
  const features = Object.entries(cfg.features).map(([id, f]) => ({
    id,
    name: f.name,
    ...(f.value ? { value: { hoursPerWeek: f.value.hours_per_week, people: f.value.people, hourlyCostCents: f.value.hourly_cost_cents } } : {}),
  }));
  const plans: Plan[] = cfg.plans.map((p) => ({
    id: p.id,
    name: p.name,
    rank: p.rank,
    price: { monthly: p.price.monthly, ...(p.price.annual !== undefined ? { annual: p.price.annual } : {}) },
    limits: Object.fromEntries(Object.entries(p.limits).map(([k, v]) => [k, v === 'unlimited' ? null : v])),
    features: [...p.features],
    support: { channels: [...p.support.channels], responseHours: p.support.response_hours, csm: p.support.csm },
    ...(p.units ? { units: Object.entries(p.units).map(([meter, u]) => unitPrice(meter, u, p.limits[meter])) } : {}),
  }));
  const addons: Addon[] = cfg.addons.map((a) => ({
    id: a.id, name: a.name, kind: a.kind,
    price: { monthly: a.price.monthly, ...(a.price.annual !== undefined ? { annual: a.price.annual } : {}) },
    features: [...a.features], limits: { ...a.limits },
    ...(a.support ? { support: { channels: [...a.support.channels], responseHours: a.support.response_hours, csm: a.support.csm } } : {}),
    availableOn: [...a.available_on], includedIn: [...a.included_in], stripePrices: [...a.stripe_prices],
  }));
  const terms: Term[] = [...cfg.terms].sort((a, b) => a.months - b.months)
    .map((t) => ({ id: t.id, name: t.name ?? termName(t.months), months: t.months, maxDiscountPct: t.max_discount_pct }));
  return { currency: cfg.currency, meters, features, plans: sortPlans(plans), addons, terms };
}

type UnitConfig = NonNullable<TierwiseConfig['plans'][number]['units']>[string];

function unitPrice(meter: string, u: UnitConfig, limit: number | 'unlimited' | null | undefined): UnitPrice {
  return {
    meter, scheme: u.scheme, unitAmount: u.unit_amount ?? 0, blockSize: u.block,
    tiers: (u.tiers ?? []).map((t) => ({ upTo: t.up_to === 'inf' ? null : t.up_to, unitAmount: t.unit_amount, flatAmount: t.flat_amount })),
    included: u.included ?? (typeof limit === 'number' ? limit : 0),
    maxExtra: u.max ?? null,
    stripePrices: [...u.stripe_prices],
  };
}

/** 1 -> Monthly, 12 -> Annual, 24 -> 2 years */
export function termName(months: number): string {
  if (months === 1) return 'Monthly';
  if (months === 12) return 'Annual';
  return months % 12 === 0 ? `${months / 12} years` : `${months} months`;
}

export function checkOptions(cfg: TierwiseConfig): CheckOptions {
  const c = cfg.catalog_check;
  return c ? { ...DEFAULT_CHECK_OPTIONS, minTiers: c.min_tiers, maxTiers: c.max_tiers, maxPriceJump: c.max_price_jump } : DEFAULT_CHECK_OPTIONS;
}
