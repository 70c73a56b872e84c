// Extra units on a plan, priced the way Stripe prices a subscription item: per_unit with packages
// (transform_quantity divide_by, rounded up), graduated tiers (each block at its own tier's rate)
// or volume tiers (every block at the rate of the tier the total falls in), plus tier flat fees.
import type { Plan, UnitPrice } from './types.ts';

/** Blocks billed for `units` extra units: Stripe rounds a transformed quantity up. */
export const blocksFor = (u: UnitPrice, units: number): number => (units <= 0 ? 0 : Math.ceil(units / u.blockSize - 1e-9));

/** Cents per month for `units` extra units. */
export function unitCost(u: UnitPrice, units: number): number {
  const blocks = blocksFor(u, units);
  if (blocks === 0) return 0;
  if (u.scheme === 'per_unit') return blocks * u.unitAmount;
  if (u.scheme === 'volume') {
    const tier = u.tiers.find((t) => t.upTo === null || blocks <= t.upTo) ?? u.tiers[u.tiers.length - 1]!;
    return blocks * tier.unitAmount + tier.flatAmount;
  }
  let cost = 0;
  let from = 0;
  for (const t of u.tiers) {
    const to = t.upTo === null ? blocks : Math.min(blocks, t.upTo);
    if (to > from) cost += (to - from) * t.unitAmount + t.flatAmount;
    from = to;
    if (from >= blocks) break;
  }
  return cost;
}

export function unitPriceOf(plan: Plan | undefined, meter: string): UnitPrice | undefined {
  return plan?.units?.find((u) => u.meter === meter);
}

/**
 * The most extra units worth buying on `plan` before `next` is the better deal: the plan plus the
 * units must cost less than the next tier. Capped by the configured max; null: no next tier and no max.
 */
export function breakEvenUnits(plan: Plan, u: UnitPrice, next: Plan | undefined): number | null {
  const cap = u.maxExtra;
  if (!next) return cap;
  const budget = next.price.monthly - plan.price.monthly;
  if (budget <= 0) return 0;
  // blocks are whole: walk the cost curve by doubling then bisecting (cost rises with blocks)
  let hi = 1;
  while (unitCost(u, hi * u.blockSize) < budget && hi < 1e9) hi *= 2;
  let lo = 0;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (unitCost(u, mid * u.blockSize) < budget) lo = mid; else hi = mid;
  }
  const units = lo * u.blockSize;
  return cap === null ? units : Math.min(cap, units);
}

/** Units priced at the annual rate: the plan's own annual discount applies to its extra units. */
export function annualUnitCost(plan: Plan, monthlyCost: number): number | null {
  if (plan.price.annual === undefined || plan.price.monthly === 0) return null;
  return Math.round((monthlyCost * plan.price.annual) / plan.price.monthly);
}
