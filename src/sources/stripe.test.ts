import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { exampleCatalog, readCases } from '../../test/support/fixture-world.ts';
import { stripeConfigSchema } from '../config/http-schema.ts';
import { mapStripeEvent, stripeAccountHint, stripeEventSchema, subscriptionMrr, type StripeCoupon, type StripeDiscount } from './stripe.ts';
import { verifyStripeSignature } from './stripe-signature.ts';

const cfg = stripeConfigSchema.parse({ plans: { price_pro_m: 'pro' } });

const item = (unit: number, quantity: number, interval: 'day' | 'week' | 'month' | 'year', count = 1, id = 'price_x') =>
  ({ quantity, price: { id, lookup_key: null, unit_amount: unit, metadata: {}, recurring: { interval, interval_count: count } } });
const sub = (items: unknown[], extra: Record<string, unknown> = {}) => ({ id: 'sub_1', customer: 'cus_1', status: 'active', metadata: {}, items: { data: items }, ...extra });

// Behaviour table: subscription -> monthly recurring revenue in cents.
const mrrCases: { name: string; sub: ReturnType<typeof sub>; mrr: number; interval: 'month' | 'year'; discountPct?: number; termMonths?: number }[] = [
  { name: '$50/seat x 10 seats monthly', sub: sub([item(5000, 10, 'month')]), mrr: 50000, interval: 'month' },
  { name: '$6,000 a year -> $500 a month', sub: sub([item(600000, 1, 'year')]), mrr: 50000, interval: 'year', termMonths: 12 },
  { name: '$1,200 every 2 years -> $50 a month', sub: sub([item(120000, 1, 'year', 2)]), mrr: 5000, interval: 'year', termMonths: 24 },
  { name: '$120 a quarter (month x 3) -> $40', sub: sub([item(12000, 1, 'month', 3)]), mrr: 4000, interval: 'month', termMonths: 3 },
  { name: '$10 a week -> 10 x 52 / 12', sub: sub([item(1000, 1, 'week')]), mrr: Math.round((1000 * 52) / 12), interval: 'month' },
  { name: 'two items add up', sub: sub([item(29900, 1, 'month'), item(1000, 5, 'month')]), mrr: 34900, interval: 'month' },
  { name: '20 % off', sub: sub([item(10000, 1, 'month')], { discount: { coupon: { percent_off: 20 } } }), mrr: 8000, interval: 'month', discountPct: 20 },
  { name: '$100 off a yearly invoice -> $100/12 off a month', sub: sub([item(120000, 1, 'year')], { discounts: [{ coupon: { amount_off: 12000 } }] }), mrr: 9000, interval: 'year', discountPct: 10, termMonths: 12 },
  { name: 'discount from the newer discounts[].source.coupon shape', sub: sub([item(10000, 1, 'month')], { discounts: [{ source: { coupon: { percent_off: 50 } } }] }), mrr: 5000, interval: 'month', discountPct: 50 },
];

describe('Stripe discounts by id, per item, by duration', () => {
  const refs = {
    discount: (id: string) => ({ di_20: { id, source: { coupon: 'C20' } }, di_ended: { id, source: { coupon: 'C20' }, end: 1_000 } } as Record<string, StripeDiscount>)[id],
    coupon: (id: string) => ({ C20: { id, percent_off: 20, duration: 'forever' } } as Record<string, StripeCoupon>)[id],
  };
  it('resolves a discount id and its coupon id', () => {
    expect(subscriptionMrr(sub([item(74900, 1, 'month')], { discounts: ['di_20'] }) as never, refs)).toMatchObject({ mrr: 59920, discountPct: 20, unresolved: [] });
  });
  it('an item discount applies to that item only', () => {
    const s = sub([item(10000, 1, 'month'), { ...item(1000, 10, 'month'), discounts: ['di_20'] }]);
    expect(subscriptionMrr(s as never, refs)).toMatchObject({ mrr: 18000, discountPct: 10 });
  });
  it('a coupon used once, or a discount that ended, leaves MRR gross', () => {
    expect(subscriptionMrr(sub([item(10000, 1, 'month')], { discounts: [{ source: { coupon: { percent_off: 50, duration: 'once' } } }] }) as never).mrr).toBe(10000);
    expect(subscriptionMrr(sub([item(10000, 1, 'month')], { discounts: ['di_ended'] }) as never, refs, 5_000_000).mrr).toBe(10000);
  });
  it('an unknown id is named, never guessed', () => {
    expect(subscriptionMrr(sub([item(10000, 1, 'month')], { discounts: ['di_nope', { source: { coupon: 'NOPE' } }] }) as never, refs)).toMatchObject({ mrr: 10000, unresolved: ['di_nope', 'NOPE'] });
  });
});

describe('Stripe subscription MRR', () => {
  for (const c of mrrCases) {
    it(c.name, () => {
      const m = subscriptionMrr(c.sub as never);
      expect(m.mrr).toBe(c.mrr);
      expect(m.interval).toBe(c.interval);
      expect(m.termMonths).toBe(c.termMonths ?? 1);
      if (c.discountPct !== undefined) expect(m.discountPct).toBe(c.discountPct);
    });
  }
});

const evt = (type: string, object: Record<string, unknown>) => stripeEventSchema.parse({ id: 'evt_1', type, created: 1_772_359_200, data: { object } });

describe('Stripe events -> canonical', () => {
  it('maps customer.subscription.updated to a subscription event with the plan from the price mapping', () => {
    const e = evt('customer.subscription.updated', sub([item(74900, 12, 'month', 1, 'price_pro_m')]));
    const r = mapStripeEvent(e, 'acme', cfg);
    expect(r).toMatchObject({ kind: 'event', event: { id: 'evt_1', ts: 1_772_359_200_000, account: 'acme', type: 'subscription', plan: 'pro', interval: 'month', mrr: 898800, seats: 12, status: 'active' } });
  });

  it('incomplete and incomplete_expired are not revenue: no event', () => {
    for (const status of ['incomplete', 'incomplete_expired']) {
      expect(mapStripeEvent(evt('customer.subscription.created', sub([item(100, 1, 'month')], { status })), 'a', cfg)).toMatchObject({ kind: 'ignored' });
    }
  });

  it('maps deleted to canceled with no MRR, and trial_will_end keeps trialing', () => {
    expect(mapStripeEvent(evt('customer.subscription.deleted', sub([item(100, 1, 'month')])), 'a', cfg)).toMatchObject({ event: { status: 'canceled', mrr: 0 } });
    const trial = mapStripeEvent(evt('customer.subscription.trial_will_end', sub([item(100, 1, 'month')], { status: 'trialing', trial_end: 1_772_600_000 })), 'a', cfg);
    expect(trial).toMatchObject({ event: { status: 'trialing', extra: { trial_end: '2026-03-04T04:53:20.000Z' } } });
  });

  it('maps invoice.paid and invoice.payment_failed to invoice events', () => {
    const inv = { id: 'in_1', customer: 'cus_1', amount_paid: 74900, amount_due: 74900, metadata: {} };
    expect(mapStripeEvent(evt('invoice.paid', inv), 'a', cfg)).toMatchObject({ event: { type: 'invoice', invoice: 'in_1', status: 'paid', amount: 74900 } });
    expect(mapStripeEvent(evt('invoice.payment_failed', { ...inv, amount_paid: 0 }), 'a', cfg)).toMatchObject({ event: { type: 'invoice', status: 'past_due', amount: 74900 } });
  });

  it('ignores other event types and finds the account in metadata before the customer id', () => {
    expect(mapStripeEvent(evt('charge.succeeded', { id: 'ch_1' }), 'a', cfg)).toMatchObject({ kind: 'ignored' });
    expect(stripeAccountHint(evt('invoice.paid', { id: 'in_1', customer: 'cus_9', parent: { subscription_details: { metadata: { tierwise_account: 'acme' } } } }))).toEqual({ customer: 'cus_9', account: 'acme' });
    expect(stripeAccountHint(evt('invoice.paid', { id: 'in_1', customer: 'cus_9' }))).toEqual({ customer: 'cus_9' });
  });
});

interface ItemCase {
  name: string;
  items: { price: string; quantity: number; unit_amount: number; interval?: 'month' | 'year'; interval_count?: number; lookup_key?: string; plan?: string; divide_by?: number }[];
  expect: Record<string, unknown>;
  absent?: string[];
}

describe('Stripe subscription items -> base plan, extra units, add-ons (test/fixtures/stripe/items.json)', () => {
  const catalog = exampleCatalog();
  const none = stripeConfigSchema.parse({});
  for (const c of readCases<ItemCase>('stripe/items.json')) {
    it(c.name, () => {
      const items = c.items.map((i) => ({
        quantity: i.quantity,
        price: {
          id: i.price, lookup_key: i.lookup_key ?? null, unit_amount: i.unit_amount, metadata: i.plan ? { tierwise_plan: i.plan } : {},
          recurring: { interval: i.interval ?? 'month', interval_count: i.interval_count ?? 1 },
          ...(i.divide_by ? { transform_quantity: { divide_by: i.divide_by, round: 'up' } } : {}),
        },
      }));
      const r = mapStripeEvent(evt('customer.subscription.updated', sub(items)), 'acme', none, undefined, catalog);
      if (r.kind !== 'event') throw new Error(`not an event: ${JSON.stringify(r)}`);
      const e = r.event as unknown as Record<string, unknown>;
      expect(e).toMatchObject(c.expect);
      for (const f of c.absent ?? []) expect(e, f).not.toHaveProperty(f);
    });
  }

  it('without the catalog the event says nothing of add-ons or units (a store that sells none)', () => {
    const r = mapStripeEvent(evt('customer.subscription.updated', sub([item(74900, 1, 'month', 1, 'price_pro_m'), item(2500, 8, 'month', 1, 'price_pro_seat')])), 'acme', cfg);
    expect(r).toMatchObject({ event: { plan: 'pro', mrr: 94900, seats: 1 } });
    expect((r as { event: object }).event).not.toHaveProperty('units');
  });
});

describe('Stripe-Signature verification against the stripe package', () => {
  const secret = 'whsec_test_secret';
  const payload = JSON.stringify({ id: 'evt_1', type: 'invoice.paid' });
  const now = 1_772_359_200;
  const header = (opts: { secret?: string; timestamp?: number; payload?: string } = {}) =>
    Stripe.webhooks.generateTestHeaderString({ payload: opts.payload ?? payload, secret: opts.secret ?? secret, timestamp: opts.timestamp ?? now });

  it('accepts a header made by stripe.webhooks.generateTestHeaderString', () => {
    expect(verifyStripeSignature(payload, header(), secret, now)).toEqual({ ok: true });
  });
  it('accepts when any of several v1 values matches (secret roll)', () => {
    const good = header();
    const bad = header({ secret: 'whsec_old' });
    const v1 = (h: string) => h.split(',').find((p) => p.startsWith('v1='));
    expect(verifyStripeSignature(payload, `t=${now},${v1(bad)},${v1(good)}`, secret, now)).toEqual({ ok: true });
  });
  it('rejects a tampered body, a wrong secret, a stale or future timestamp, and a missing header', () => {
    expect(verifyStripeSignature(`${payload} `, header(), secret, now).ok).toBe(false);
    expect(verifyStripeSignature(payload, header({ secret: 'whsec_other' }), secret, now).ok).toBe(false);
    expect(verifyStripeSignature(payload, header({ timestamp: now - 301 }), secret, now)).toEqual({ ok: false, reason: 'timestamp outside the 300 s tolerance' });
    expect(verifyStripeSignature(payload, header({ timestamp: now + 301 }), secret, now).ok).toBe(false);
    expect(verifyStripeSignature(payload, header({ timestamp: now - 299 }), secret, now).ok).toBe(true);
    expect(verifyStripeSignature(payload, undefined, secret, now).ok).toBe(false);
  });
});
