// The SDK's entitlement cache rules: how long an answer is kept, that a trial's end cuts it short,
// and what can() says while the server cannot be reached.
import { describe, expect, it } from 'vitest';
import { EntitlementCache } from './entitlements.ts';
import { TierwiseError, TierwiseNetworkError } from './errors.ts';
import type { EntitlementChange, Entitlements } from './types.ts';

const T0 = Date.parse('2026-06-15T00:00:00Z');
const TRIAL_END = T0 + 60_000;

function answer(trial: boolean): Entitlements {
  return {
    account: 'acme', plan: { id: 'pro', name: 'Pro' }, asOf: new Date(T0).toISOString(),
    features: [
      { id: 'dashboards', name: 'Dashboards', available: true, via: 'plan' },
      trial ? { id: 'advanced_analytics', name: 'Advanced analytics', available: true, via: 'trial', addon: 'analytics_module', trialEndsAt: new Date(TRIAL_END).toISOString() }
        : { id: 'advanced_analytics', name: 'Advanced analytics', available: false, via: null },
    ],
    meters: [{ id: 'seats', name: 'Users', unit: 'users', reset: 'none', limit: 25, used: 20, remaining: 5, util: 0.8, via: null }],
    trials: trial ? [{ id: 't', plan: 'pro', addon: 'analytics_module', name: 'Advanced analytics module', startedAt: new Date(T0).toISOString(), endsAt: new Date(TRIAL_END).toISOString() }] : [],
    changesAt: trial ? new Date(TRIAL_END).toISOString() : null, ttlSeconds: 30,
  };
}

function rig(opts: { offlineDefault?: boolean } = {}) {
  let now = T0;
  let server: 'trial' | 'ended' | 'down' | 'missing' = 'trial';
  let calls = 0;
  const fetchOne = async (): Promise<Entitlements> => {
    calls++;
    if (server === 'down') throw new TierwiseNetworkError('connect ECONNREFUSED', new Error('refused'));
    if (server === 'missing') throw new TierwiseError({ type: 'about:blank', title: 'Not Found', status: 404, code: 'not_found', detail: 'no account "acme"' });
    return answer(server === 'trial' && now < TRIAL_END);
  };
  const cache = new EntitlementCache(fetchOne, { ttlMs: 30_000, maxStaleMs: 600_000, offlineDefault: opts.offlineDefault ?? false, now: () => now });
  const changes: EntitlementChange[] = [];
  cache.onChange((c) => changes.push(c));
  return {
    cache, changes, calls: () => calls,
    at: (ms: number) => { now = ms; }, serve: (s: typeof server) => { server = s; },
  };
}

describe('SDK entitlement cache', () => {
  it('answers from memory within the ttl and shares one fetch between concurrent calls', async () => {
    const r = rig();
    const [a, b] = await Promise.all([r.cache.can('acme', 'advanced_analytics'), r.cache.can('acme', 'dashboards')]);
    expect([a, b]).toEqual([true, true]);
    r.at(T0 + 29_000);
    expect(await r.cache.limit('acme', 'seats')).toMatchObject({ limit: 25, remaining: 5 });
    expect(r.calls()).toBe(1);
  });

  it('asks again at the trial\'s end, locks the feature, and says so', async () => {
    const r = rig();
    expect(await r.cache.can('acme', 'advanced_analytics')).toBe(true);
    r.at(TRIAL_END);
    expect(await r.cache.can('acme', 'advanced_analytics')).toBe(false);
    expect(r.calls()).toBe(2);
    expect(r.changes).toEqual([{ account: 'acme', unlocked: [], locked: ['advanced_analytics'], source: 'server' }]);
  });

  it('server down: the last answer serves, without the trial once it has ended', async () => {
    const r = rig();
    expect(await r.cache.can('acme', 'advanced_analytics')).toBe(true);
    r.serve('down');
    r.at(T0 + 40_000);
    expect(await r.cache.can('acme', 'advanced_analytics')).toBe(true);
    expect(await r.cache.can('acme', 'dashboards')).toBe(true);
    r.at(TRIAL_END + 1);
    expect(await r.cache.can('acme', 'advanced_analytics')).toBe(false);
    expect(await r.cache.can('acme', 'dashboards')).toBe(true);
    expect(r.changes.at(-1)).toEqual({ account: 'acme', unlocked: [], locked: ['advanced_analytics'], source: 'trial_ended' });
    r.at(T0 + 600_001);
    expect(await r.cache.can('acme', 'dashboards')).toBe(false); // too old: fail closed
  });

  it('server down and nothing cached: offlineDefault, limit() undefined', async () => {
    const r = rig({ offlineDefault: true });
    r.serve('down');
    expect(await r.cache.can('acme', 'dashboards')).toBe(true);
    expect(await r.cache.limit('acme', 'seats')).toBeUndefined();
  });

  it('an unknown account is an error, not an outage', async () => {
    const r = rig();
    r.serve('missing');
    await expect(r.cache.can('acme', 'dashboards')).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });
});
