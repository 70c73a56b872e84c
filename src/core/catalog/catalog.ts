import type { Catalog, Meter, Plan } from './types.ts';

export function sortPlans(plans: Plan[]): Plan[] {
  return [...plans].sort((a, b) => a.rank - b.rank);
}

export function findPlan(catalog: Catalog, planId: string): Plan | undefined {
  return catalog.plans.find((p) => p.id === planId);
}

export function findMeter(catalog: Catalog, meterId: string): Meter | undefined {
  return catalog.meters.find((m) => m.id === meterId);
}

/** Plans ranked above the given one, cheapest rank first. */
export function plansAbove(catalog: Catalog, planId: string): Plan[] {
  const current = findPlan(catalog, planId);
  if (!current) return [];
  return catalog.plans.filter((p) => p.rank > current.rank);
}

/** A limit as a comparable number: unlimited (null) is Infinity, a meter the plan lacks is 0. */
export function limitValue(plan: Plan, meterId: string): number {
  if (!(meterId in plan.limits)) return 0;
  const v = plan.limits[meterId];
  return v === null || v === undefined ? Number.POSITIVE_INFINITY : v;
}

export function formatLimit(v: number | null | undefined): string {
  return v === null || v === undefined || v === Number.POSITIVE_INFINITY ? 'unlimited' : v.toLocaleString('en-US');
}
