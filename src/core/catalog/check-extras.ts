// Checks on what is sold beside the tiers: per-unit prices against the next tier, add-on modules
// against the tiers that include them, and the discount each term allows (seed 002: add-ons bridge
// the gaps between tiers; discounts above 10 % only for multi-year terms).
import { dollars as money } from '../format.ts';
import type { CheckOptions, Finding } from './check.ts';
import type { Catalog, Plan } from './types.ts';
import { breakEvenUnits, unitCost } from './units.ts';

export function checkExtras(catalog: Catalog, opts: CheckOptions): Finding[] {
  return [...checkUnits(catalog), ...checkAddons(catalog), ...checkTerms(catalog, opts)];
}

function checkUnits(catalog: Catalog): Finding[] {
  const out: Finding[] = [];
  catalog.plans.forEach((plan, i) => {
    const next: Plan | undefined = catalog.plans[i + 1];
    for (const u of plan.units ?? []) {
      const meter = u.meter;
      const label = catalog.meters.find((m) => m.id === meter)?.name ?? meter;
      if (!next) continue;
      const pair = [plan.id, next.id];
      const step = next.price.monthly - plan.price.monthly;
      const oneBlock = unitCost(u, u.blockSize);
      if (oneBlock >= step) {
        out.push({
          rule: 'units-never-worth', severity: 'warning', plans: pair, meter,
          figures: { block_cents: oneBlock, tier_step_cents: step },
          message: `one block of ${label} on ${plan.name} (${money(oneBlock)}/mo) costs as much as moving to ${next.name} (+${money(step)}/mo): nobody should buy it`,
        });
        continue;
      }
      const nextLimit = next.limits[meter];
      const wanted = nextLimit === null || nextLimit === undefined ? null : nextLimit - u.included;
      const breakEven = breakEvenUnits(plan, u, next);
      // without a max, the engine stops selling at the break-even; a configured max past it is a mistake
      if (u.maxExtra !== null) {
        const free = breakEvenUnits(plan, { ...u, maxExtra: null }, next) ?? 0;
        if (u.maxExtra > free) {
          out.push({
            rule: 'units-max-past-break-even', severity: 'warning', plans: pair, meter,
            figures: { max_extra: u.maxExtra, break_even: free },
            message: `${plan.name} sells up to ${u.maxExtra.toLocaleString('en-US')} extra ${label}, but past ${free.toLocaleString('en-US')} ${next.name} is the better deal`,
          });
        }
      }
      if (wanted !== null && wanted > 0 && (breakEven === null || breakEven >= wanted) && unitCost(u, wanted) < step) {
        out.push({
          rule: 'units-undercut-tier', severity: 'warning', plans: pair, meter,
          figures: { units_to_match: wanted, units_cents: unitCost(u, wanted), tier_step_cents: step },
          message: `${wanted.toLocaleString('en-US')} extra ${label} on ${plan.name} cost ${money(unitCost(u, wanted))}/mo, less than the ${money(step)} step to ${next.name}: for ${label} alone ${next.name} is never worth it`,
        });
      }
    }
  });
  return out;
}

function checkAddons(catalog: Catalog): Finding[] {
  const out: Finding[] = [];
  const byId = new Map(catalog.plans.map((p) => [p.id, p]));
  for (const a of catalog.addons) {
    for (const pid of a.availableOn) {
      const plan = byId.get(pid);
      if (!plan) continue;
      const hasAll = a.features.length > 0 && Object.keys(a.limits).length === 0 && a.features.every((f) => plan.features.includes(f));
      if (a.includedIn.includes(pid) || hasAll) {
        out.push({
          rule: 'addon-already-included', severity: 'error', plans: [pid], addon: a.id, figures: {},
          message: `${a.name} is sold on ${plan.name}, which already includes it`,
        });
        continue;
      }
      for (const qid of a.includedIn) {
        const tier = byId.get(qid);
        if (!tier || tier.rank <= plan.rank) continue;
        const total = plan.price.monthly + a.price.monthly;
        if (total >= tier.price.monthly) {
          out.push({
            rule: 'addon-above-tier', severity: 'warning', plans: [pid, qid], addon: a.id,
            figures: { plan_cents: plan.price.monthly, addon_cents: a.price.monthly, tier_cents: tier.price.monthly },
            message: `${plan.name} + ${a.name} (${money(total)}/mo) costs at least ${tier.name} (${money(tier.price.monthly)}/mo), which includes it`,
          });
        }
      }
    }
  }
  return out;
}

function checkTerms(catalog: Catalog, opts: CheckOptions): Finding[] {
  return catalog.terms.filter((t) => t.maxDiscountPct > opts.maxShortTermDiscountPct && t.months < opts.multiYearMonths).map((t) => ({
    rule: 'term-discount' as const, severity: 'error' as const, plans: [], term: t.id,
    figures: { months: t.months, max_discount_pct: t.maxDiscountPct, allowed_pct: opts.maxShortTermDiscountPct, multi_year_months: opts.multiYearMonths },
    message: `${t.name} allows ${t.maxDiscountPct}% off on ${t.months} months; discounts above ${opts.maxShortTermDiscountPct}% need a term of ${opts.multiYearMonths} months or more`,
  }));
}
