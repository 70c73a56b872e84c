// Discount discipline on upsells (won offers; seed 002: discounts above 10 % only for multi-year terms). The
// discount and term are read from the subscription change that carried the upgrade.
import { ratio, type OppFacts } from './opportunity-facts.ts';
import type { UpsellSettings } from './upsell-types.ts';

export interface UpsellDiscounts {
  thresholdPct: number;
  multiYearMonths: number;
  /** won offers whose upgrade was found in the subscriptions */
  upsells: number;
  discounted: number;
  share: number | null;
  byTerm: { termMonths: number | null; count: number }[];
  /** discounted upsells on a term shorter than multiYearMonths, by opportunity id */
  outsidePolicy: string[];
  /** mean discount over all upsells found, in percent */
  meanDiscountPct: number | null;
}

export function upsellDiscounts(facts: readonly OppFacts[], d: UpsellSettings['discount']): UpsellDiscounts {
  const found = facts.flatMap((f) => (f.won && f.offered && f.realized?.change ? [{ f, c: f.realized.change }] : []));
  const over = found.filter((x) => (x.c.discountPct ?? 0) > d.thresholdPct);
  const terms = new Map<number | null, number>();
  for (const x of over) terms.set(x.c.termMonths ?? null, (terms.get(x.c.termMonths ?? null) ?? 0) + 1);
  const sum = found.reduce((a, x) => a + (x.c.discountPct ?? 0), 0);
  return {
    thresholdPct: d.thresholdPct, multiYearMonths: d.multiYearMonths, upsells: found.length, discounted: over.length,
    share: ratio(over.length, found.length),
    byTerm: [...terms].map(([termMonths, count]) => ({ termMonths, count })).sort((a, b) => (a.termMonths ?? -1) - (b.termMonths ?? -1)),
    outsidePolicy: over.filter((x) => (x.c.termMonths ?? 0) < d.multiYearMonths).map((x) => x.f.opp.id).sort(),
    meanDiscountPct: found.length === 0 ? null : Math.round((sum / found.length) * 10) / 10,
  };
}
