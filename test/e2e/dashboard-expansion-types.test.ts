// The metrics page's expansion by type, commitments, multi-year share and attach rate, rendered
// from the real revenue pass over a real store: a seat pack, a module, premium support, a tier
// upgrade and a two-year term, each its own account.
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/memory-store.ts';
import { revenueMetrics } from '../../src/app/metrics.ts';
import type { SubscriptionEvent } from '../../src/core/events/types.ts';
import { exampleCatalog } from '../../src/sim/test-world.ts';
import { metricsBody } from '../../src/dashboard/pages/metrics.ts';

const catalog = exampleCatalog();
const T0 = Date.UTC(2026, 1, 10);
const T1 = Date.UTC(2026, 2, 10);
type Sub = Omit<SubscriptionEvent, 'id' | 'ts' | 'account' | 'type'>;
const pro: Sub = { plan: 'pro', interval: 'month', mrr: 74_900, status: 'active' };

describe('metrics page: expansion by type', () => {
  it('shows expansion MRR by type summing to the total, commitments, multi-year share and attach rate per add-on', async () => {
    const store = createMemoryStore();
    const changes: [string, Sub, Sub][] = [
      ['seats', pro, { ...pro, mrr: 94_900, units: { seats: 8 } }],
      ['module', pro, { ...pro, mrr: 109_800, addons: ['analytics_module'] }],
      ['support', pro, { ...pro, mrr: 124_800, addons: ['premium_support'] }],
      ['tier', { plan: 'basic', interval: 'month', mrr: 29_900, status: 'active' }, pro],
      ['term', pro, { ...pro, interval: 'year', mrr: 53_054, term_months: 24, discount_pct: 15 }],
    ];
    await store.appendEvents(changes.flatMap(([account, a, b]) => [
      { id: `${account}-0`, ts: T0, account, type: 'subscription' as const, ...a },
      { id: `${account}-1`, ts: T1, account, type: 'subscription' as const, ...b },
    ]));
    const revenue = await revenueMetrics(store, { catalog, currency: 'usd', now: Date.UTC(2026, 3, 2), from: '2026-03', to: '2026-03' });
    const page = String(metricsBody({ revenue, sources: undefined, funnel: undefined, currency: 'usd' }));
    const row = (name: string) => new RegExp(`<th scope="row">${name}</th><td class="num">([^<]+)</td>`).exec(page)?.[1];
    expect([row('Tier upgrades'), row('Seats and volume'), row('Add-on modules'), row('Support levels'), row('Total')])
      .toEqual(['$450', '$200', '$349', '$499', '$1,498']);
    expect(page).not.toContain('Other (no priced change)');
    expect(page).toMatch(/Commitments signed.*<dd>1 <span class="sub">0 annual, 1 multi-year/s);
    expect(page).toMatch(/Multi-year share of ARR<\/dt><dd>\d+(\.\d)?%/);
    // attach rate: 1 of the paying accounts on plans the module is sold on
    expect(page).toContain('<th scope="row">Advanced analytics module</th><td class="num">1</td><td class="num">5</td><td class="num">20.0%</td>');
    expect(page).toContain('<th scope="row">Premium support</th><td class="num">1</td><td class="num">5</td><td class="num">20.0%</td>');
    expect(page).toContain('id="chart-expansion-types"');
    await store.close();
  });
});
