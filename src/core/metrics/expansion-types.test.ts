// Expansion MRR split by type sums to the expansion it splits; commitments, attach rate, multi-year share.
import { describe, expect, it } from 'vitest';
import { exampleCatalog } from '../../../test/support/fixture-world.ts';
import { changeWeights, expansionByType, split, type SubRow } from './expansion-types.ts';
import { monthOf } from './months.ts';

const c = exampleCatalog();
const row = (day: string, o: Partial<SubRow>): SubRow => ({ ts: Date.parse(`${day}T00:00:00Z`), plan: 'pro', mrr: 74_900, paying: true, addons: [], units: {}, termMonths: 1, ...o });

describe('expansion by type', () => {
  it('prices each change: a tier move, seats, a module and premium support', () => {
    expect(changeWeights(c, row('2026-01-01', { plan: 'basic' }), row('2026-02-01', {}))).toMatchObject({ tier: 45_000 });
    expect(changeWeights(c, row('2026-01-01', {}), row('2026-02-01', { units: { seats: 8 }, addons: ['analytics_module', 'premium_support'] })))
      .toEqual({ tier: 0, seats_volume: 20_000, addon: 34_900, support: 49_900, other: 0 });
  });

  it('splits in whole cents that sum to the delta; nothing priced is other', () => {
    const parts = split(10_001, { tier: 1, seats_volume: 1, addon: 1, support: 0, other: 0 });
    expect(Object.values(parts).reduce((a, b) => a + b, 0)).toBe(10_001);
    expect(split(500, { tier: 0, seats_volume: 0, addon: 0, support: 0, other: 0 }).other).toBe(500);
  });

  it('over accounts: totals, commitments, attach rate and the multi-year share', () => {
    const rows = new Map<string, SubRow[]>([
      ['a', [row('2026-01-05', {}), row('2026-02-10', { mrr: 94_900, units: { seats: 8 } })]],
      ['b', [row('2026-01-05', {}), row('2026-02-12', { mrr: 109_800, addons: ['analytics_module'] })]],
      ['d', [row('2026-01-05', { plan: 'basic', mrr: 29_900 }), row('2026-02-15', { mrr: 74_900 })]],
      ['t', [row('2026-01-05', {}), row('2026-02-20', { mrr: 53_054, termMonths: 24 })]],
    ]);
    const feb = monthOf(Date.parse('2026-02-01T00:00:00Z'));
    const visits = [{ account: 'a', month: feb, delta: 20_000 }, { account: 'b', month: feb, delta: 34_900 }, { account: 'd', month: feb, delta: 45_000 }];
    const r = expansionByType(c, rows, visits, { from: feb - 1, to: feb });
    expect(r.byType).toEqual({ tier: 45_000, seats_volume: 20_000, addon: 34_900, support: 0, other: 0 });
    expect(r.total).toBe(99_900);
    expect(r.commitments).toEqual({ signed: 1, arr: 53_054 * 12, annual: 0, multiYear: 1 });
    expect(r.attachRate.find((x) => x.addon === 'analytics_module')).toMatchObject({ holding: 1, eligible: 4, rate: 0.25 });
    expect(r.multiYearShare).toBeCloseTo((53_054 * 12) / ((94_900 + 109_800 + 74_900 + 53_054) * 12), 3);
  });
});
