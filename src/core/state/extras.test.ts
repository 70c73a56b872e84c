// Add-ons, extra units and term from subscription events; the plan the account effectively has.
import { describe, expect, it } from 'vitest';
import { exampleCatalog } from '../../../test/support/fixture-world.ts';
import { effectivePlan, extrasPrice } from '../catalog/holdings.ts';
import { mapStripeItems } from '../catalog/stripe-items.ts';
import type { SubscriptionEvent } from '../events/types.ts';
import { emptyState } from './create.ts';
import { fold } from './fold.ts';
import { deserializeState, serializeState } from './serialize.ts';

const catalog = exampleCatalog();
const sub = (ts: number, over: Partial<SubscriptionEvent>): SubscriptionEvent =>
  ({ id: `s${ts}`, ts, account: 'acme', type: 'subscription', plan: 'pro', interval: 'month', mrr: 74_900, status: 'active', ...over });

describe('subscription extras', () => {
  it('keeps add-ons, extra units and term, and stamps when they changed', () => {
    const s = emptyState('acme');
    fold(s, sub(1000, {}), catalog);
    expect([s.addons, s.units, s.termMonths, s.extrasChangeTs]).toEqual([[], {}, 1, 0]);
    fold(s, sub(2000, { addons: ['premium_support', 'analytics_module'], units: { storage_gb: 100, api_calls: 0 }, term_months: 24, interval: 'year' }), catalog);
    expect([s.addons, s.units, s.termMonths, s.extrasChangeTs]).toEqual([['analytics_module', 'premium_support'], { storage_gb: 100 }, 24, 2000]);
    fold(s, sub(3000, { interval: 'year', term_months: 24 }), catalog);
    expect(s.extrasChangeTs).toBe(2000);
    expect(deserializeState(serializeState(s))).toEqual(s);
  });

  it('stamps when each held part came: an add-on bought, units risen, a term lengthened', () => {
    const s = emptyState('acme');
    fold(s, sub(1000, { addons: ['analytics_module'] }), catalog);
    // a first subscription is a start: nothing was bought at a known change
    expect(s.extrasTs).toEqual({});
    fold(s, sub(2000, { addons: ['analytics_module', 'premium_support'] }), catalog);
    fold(s, sub(3000, { addons: ['analytics_module', 'premium_support'], units: { seats: 5 } }), catalog);
    expect(s.extrasTs).toEqual({ 'addon:premium_support': 2000, 'units:seats': 3000 });
    // fewer units keep the time they last rose; a longer term is signed now
    fold(s, sub(4000, { addons: ['premium_support'], units: { seats: 3 }, interval: 'year', term_months: 24 }), catalog);
    expect(s.extrasTs).toEqual({ 'addon:premium_support': 2000, 'units:seats': 3000, term: 4000 });
    // what is no longer held is forgotten
    fold(s, sub(5000, { addons: [], units: {}, interval: 'year', term_months: 12 }), catalog);
    expect(s.extrasTs).toEqual({});
    expect(deserializeState(serializeState(s))).toEqual(s);
  });

  it('reads a state row written before per-part times', () => {
    const s = emptyState('acme');
    fold(s, sub(1000, {}), catalog);
    fold(s, sub(2000, { addons: ['premium_support'] }), catalog);
    const old = JSON.stringify((JSON.parse(serializeState(s)) as unknown[]).slice(0, 45));
    expect(deserializeState(old)).toMatchObject({ addons: ['premium_support'], extrasChangeTs: 2000, extrasTs: {} });
  });

  it('a longer term signed now moves the renewal to its end, past an older renewal_at trait', () => {
    const T = Date.UTC(2026, 2, 1);
    const s = emptyState('acme');
    fold(s, { id: 'a', ts: T - 1000, account: 'acme', type: 'account', traits: { renewal_at: '2026-05-15T00:00:00Z' } }, catalog);
    fold(s, sub(T, {}), catalog);
    expect(s.renewalTs).toBe(Date.UTC(2026, 4, 15));
    fold(s, sub(T + 1000, { interval: 'year', term_months: 24 }), catalog);
    expect(s.renewalTs).toBe(Date.UTC(2028, 2, 1) + 1000);
    // the same term again is no new commitment
    fold(s, sub(T + 2000, { interval: 'year', term_months: 24 }), catalog);
    expect(s.renewalTs).toBe(Date.UTC(2028, 2, 1) + 1000);
  });

  it('seats above the plan\'s included seats are extra seat units', () => {
    const s = emptyState('acme');
    fold(s, sub(1000, { seats: 30 }), catalog);
    expect(s.units).toEqual({ seats: 5 });
    fold(s, sub(2000, { seats: 25 }), catalog);
    expect(s.units).toEqual({});
  });

  it('reads a state row written before add-ons existed', () => {
    const s = emptyState('acme');
    fold(s, sub(1000, {}), catalog);
    const old = JSON.stringify((JSON.parse(serializeState(s)) as unknown[]).slice(0, 40));
    expect(deserializeState(old)).toMatchObject({ plan: 'pro', addons: [], units: {}, termMonths: 0 });
  });

  it('the effective plan adds units, add-on features and support; extras are priced', () => {
    const pro = catalog.plans.find((p) => p.id === 'pro')!;
    const h = { addons: ['analytics_module', 'premium_support'], units: { seats: 5, storage_gb: 150 }, termMonths: 12 };
    const eff = effectivePlan(catalog, pro, h);
    expect(eff.limits).toMatchObject({ seats: 30, storage_gb: 250, api_calls: 100_000 });
    expect(eff.features).toContain('advanced_analytics');
    expect(eff.support).toMatchObject({ responseHours: 1, csm: 'dedicated' });
    // 5 seats x $25 + 3 packs of 50 GB (2 x $50 + 1 x $100) + $349 + $499
    expect(extrasPrice(catalog, pro, h).monthly).toBe(12_500 + 20_000 + 34_900 + 49_900);
  });

  it('maps Stripe items to the base plan, extra units and add-ons', () => {
    const planOf = (price: string) => ({ price_pro_m: 'pro' } as Record<string, string>)[price];
    expect(mapStripeItems(catalog, [
      { price: 'price_pro_m', quantity: 1 }, { price: 'price_pro_seat', quantity: 7 }, { price: 'price_analytics_y', quantity: 1 },
      { price: 'price_pro_storage_50gb', quantity: 100 }, { price: 'price_mystery', quantity: 1 },
    ], planOf)).toEqual({ plan: 'pro', units: { seats: 7, storage_gb: 100 }, addons: ['analytics_module'], unknown: ['price_mystery'] });
  });
});
