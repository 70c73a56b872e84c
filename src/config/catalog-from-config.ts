import type { Catalog, Plan } from '../core/catalog/types.ts';
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
  }));
  return { currency: cfg.currency, meters, features, plans: sortPlans(plans) };
}

export function checkOptions(cfg: TierwiseConfig): CheckOptions {
  const c = cfg.catalog_check;
  return c ? { minTiers: c.min_tiers, maxTiers: c.max_tiers, maxPriceJump: c.max_price_jump } : DEFAULT_CHECK_OPTIONS;
}
