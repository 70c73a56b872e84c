// The backtest on a small simulated world: every strategy keeps to the budget, answers come from the
// simulator's response model, and targeting by the engine's signals finds ready accounts more often
// than random outreach does (the rates themselves are reported, not asserted: docs/adr/0005-backtest.md).
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../core/scoring/settings.ts';
import { exampleCatalog } from '../sim/test-world.ts';
import { runBacktest, STRATEGIES } from './backtest.ts';

describe('runBacktest', () => {
  it('compares every strategy on one world under one budget', () => {
    const r = runBacktest({ accounts: 300, days: 120, seed: 5, budget: 4, startMs: Date.UTC(2026, 0, 1), catalog: exampleCatalog(), settings: DEFAULT_SETTINGS });
    expect(r.results.map((x) => x.strategy)).toEqual([...STRATEGIES]);
    expect(r.weeks).toBe(14); // days 28, 35, ..., 119
    for (const x of r.results) {
      expect(x.offers, x.strategy).toBeLessThanOrEqual(r.budget * r.weeks);
      expect(x.accepts + x.declines, x.strategy).toBeLessThanOrEqual(x.offers);
      expect(x.notReady.offers, x.strategy).toBeLessThanOrEqual(x.offers);
    }
    const by = new Map(r.results.map((x) => [x.strategy, x]));
    // random always finds someone to contact: it spends the whole budget
    expect(by.get('random')?.offers).toBe(r.budget * r.weeks);
    expect(by.get('oracle')?.readyShare).toBe(1);
    expect(by.get('oracle')?.notReady.offers).toBe(0);
    expect(by.get('combined')?.readyShare ?? 0).toBeGreaterThan(by.get('random')?.readyShare ?? 1);
    // pushing not-ready accounts costs NPS: random outreach loses points, the oracle does not
    expect(by.get('random')?.notReady.npsDelta ?? 0).toBeLessThan(0);
    // next tier only vs best offer, by offer type: the types add up to each policy's totals
    for (const p of r.offerPolicies) {
      const types = Object.values(p.byType);
      expect([types.reduce((a, t) => a + t.offers, 0), types.reduce((a, t) => a + t.accepts, 0), types.reduce((a, t) => a + t.expansionMrr, 0)], p.policy)
        .toEqual([p.offers, p.accepts, p.expansionMrr]);
      expect(p.matchedNeed).toBeLessThanOrEqual(p.offers);
    }
    const [tierOnly, best] = ['next_tier_only', 'best_offer'].map((k) => r.offerPolicies.find((p) => p.policy === k)!);
    expect(Object.keys(tierOnly!.byType)).toEqual(['tier']);
    // offering what the account needs answers its kind of need more often than a tier for everything
    expect(best!.matchedNeed / best!.offers).toBeGreaterThan(tierOnly!.matchedNeed / tierOnly!.offers);
  });
});
