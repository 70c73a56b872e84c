// The metrics use case over the memory store: reads subscription events only, passes the range
// through, reports bad events with their ids.
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../adapters/memory/memory-store.ts';
import type { TierwiseEvent } from '../core/events/types.ts';
import { MetricsQueryError, revenueMetrics } from './metrics.ts';

const at = (iso: string) => Date.parse(iso);
const sub = (id: string, account: string, ts: string, mrr: number, status: 'active' | 'canceled' | 'trialing' = 'active', plan = 'pro'): TierwiseEvent =>
  ({ id, account, ts: at(ts), type: 'subscription', plan, interval: 'month', mrr, status });

describe('revenueMetrics', () => {
  it('computes movements from the store, ignoring other event types', async () => {
    const store = await createMemoryStore();
    await store.appendEvents([
      sub('s1', 'a', '2024-01-10T00:00:00Z', 5000),
      { id: 'u1', account: 'a', ts: at('2024-01-11T00:00:00Z'), type: 'usage', meter: 'api_calls', quantity: 5 },
      sub('s2', 'a', '2024-02-10T00:00:00Z', 8000),
      sub('s3', 'b', '2024-02-12T00:00:00Z', 3000),
      sub('s4', 'b', '2024-03-01T00:00:00Z', 0, 'canceled'),
    ]);
    const r = await revenueMetrics(store, { from: '2024-02', to: '2024-03' });
    expect(r.periods.map((p) => [p.period, p.startMrr, p.new, p.expansion, p.churn, p.endMrr])).toEqual([
      ['2024-02', 5000, 3000, 3000, 0, 11000],
      ['2024-03', 11000, 0, 0, 3000, 8000],
    ]);
    expect(r.events).toBe(4);
    expect(r.total.nrr).toBe(1.6);
    await store.close();
  });

  it('reports unknown plans and other currencies with the event id', async () => {
    const store = await createMemoryStore();
    await store.appendEvents([
      sub('ok', 'a', '2024-01-10T00:00:00Z', 5000),
      sub('odd', 'b', '2024-01-10T00:00:00Z', 5000, 'active', 'gold'),
      { ...sub('eur', 'c', '2024-01-10T00:00:00Z', 5000), extra: { currency: 'EUR' } } as TierwiseEvent,
    ]);
    const r = await revenueMetrics(store, { knownPlans: new Set(['pro']), currency: 'usd' });
    expect(r.problems.map((p) => [p.code, p.effect, p.examples.map((x) => x.id)])).toEqual([['unknown_plan', 'used', ['odd']], ['currency_mismatch', 'excluded', ['eur']]]);
    expect(r.total.endMrr).toBe(10000);
    await store.close();
  });

  it('rejects a malformed or reversed range before reading', async () => {
    const store = await createMemoryStore();
    await expect(revenueMetrics(store, { from: '2024-13' })).rejects.toThrow(MetricsQueryError);
    await expect(revenueMetrics(store, { from: '2024-05', to: '2024-04' })).rejects.toThrow(/after/);
    await store.close();
  });
});
