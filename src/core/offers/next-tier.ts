// Next-tier search (DESIGN §4): the cheapest higher tier that covers observed usage with headroom
// and includes every feature the account was gated on. When none covers all, the highest tier,
// with what it still falls short on.
import { limitValue } from '../catalog/catalog.ts';
import type { Catalog, Plan } from '../catalog/types.ts';

export interface Need { meter: string; observed: number }
export interface NextTier { plan: Plan; covers: boolean; shortfalls: string[] }

export function shortfalls(plan: Plan, needs: readonly Need[], gated: readonly string[], headroom: number): string[] {
  const out: string[] = [];
  for (const n of needs) {
    if (n.observed <= 0) continue;
    const want = n.observed * (1 + headroom);
    if (limitValue(plan, n.meter) < want) out.push(`${n.meter}: needs ${Math.ceil(want).toLocaleString('en-US')} with ${Math.round(headroom * 100)}% headroom`);
  }
  for (const f of gated) if (!plan.features.includes(f)) out.push(`feature ${f}`);
  return out;
}

export function nextTier(catalog: Catalog, currentPlanId: string, needs: readonly Need[], gated: readonly string[], headroom: number): NextTier | null {
  const current = catalog.plans.find((p) => p.id === currentPlanId);
  const above = catalog.plans.filter((p) => (current ? p.rank > current.rank : true)).sort((a, b) => a.rank - b.rank || a.price.monthly - b.price.monthly);
  if (above.length === 0) return null;
  for (const plan of above) {
    if (shortfalls(plan, needs, gated, headroom).length === 0) return { plan, covers: true, shortfalls: [] };
  }
  const top = above[above.length - 1]!;
  return { plan: top, covers: false, shortfalls: shortfalls(top, needs, gated, headroom) };
}
