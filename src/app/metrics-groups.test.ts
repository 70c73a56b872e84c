// Revenue by segment over the memory store: segments from the account traits (or size), names a
// person reads, groups that add up, and events left out reported as the ungrouped report does.
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../adapters/memory/memory-store.ts';
import type { TierwiseEvent } from '../core/events/types.ts';
import { DEFAULT_SETTINGS } from '../core/scoring/settings.ts';
import { revenueByGroupMetrics } from './metrics-groups.ts';

const at = (iso: string) => Date.parse(iso);
const sub = (id: string, account: string, ts: string, mrr: number): TierwiseEvent => ({ id, account, ts: at(ts), type: 'subscription', plan: 'pro', interval: 'month', mrr, status: 'active' });

describe('revenueByGroupMetrics', () => {
  it('groups by segment trait, else by size, and reports events left out', async () => {
    const store = createMemoryStore();
    await store.appendEvents([
      { id: 'a0', account: 'a', ts: at('2024-01-01T00:00:00Z'), type: 'account', traits: { segment: 'Enterprise' } },
      { id: 'b0', account: 'b', ts: at('2024-01-01T00:00:00Z'), type: 'account', traits: { employees: 150 } },
      sub('a1', 'a', '2024-01-10T00:00:00Z', 5000), sub('a2', 'a', '2024-02-10T00:00:00Z', 9000),
      sub('b1', 'b', '2024-01-12T00:00:00Z', 3000),
      { ...sub('c1', 'c', '2024-01-12T00:00:00Z', 3000), extra: { currency: 'EUR' } } as TierwiseEvent,
    ]);
    const g = await revenueByGroupMetrics(store, 'segment', DEFAULT_SETTINGS.offers, { currency: 'usd', from: '2024-01', to: '2024-02' });
    expect(g.groups.map((x) => [x.group, x.name, x.accounts, x.endMrr, x.expansionMrr])).toEqual([['enterprise', 'Enterprise', 1, 9000, 4000], ['mid_market', 'Mid-market', 1, 3000, 0]]);
    expect(g.total).toMatchObject({ accounts: 2, endMrr: 12000, expansionMrr: 4000 });
    expect(g.problems.map((p) => [p.code, p.effect])).toEqual([['currency_mismatch', 'excluded']]);
    await store.close();
  });
});
