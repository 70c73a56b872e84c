// Stripe's current API shapes on a real server, signed with the real `stripe` package: discounts
// named by id resolve against the discount/coupon objects earlier events carried (MRR net of them),
// an unresolvable one is a warning on the event and in the revenue metrics, an incomplete
// subscription is no revenue, items are kept, and refused signatures are counted.
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import type { TierwiseEvent } from '../../src/core/events/types.ts';
import { startServer } from '../../src/http/server.ts';
import { testConfig, useServer } from './http-helpers.ts';

const SECRET = 'whsec_semantics';
const API_VERSION = '2026-10-28.endive'; // the version the installed stripe package targets
const live = useServer((store) => startServer({ store, config: testConfig({ stripe: { plans: { price_pro_monthly: 'pro' } } }), stripeSecret: SECRET, port: 0, host: '127.0.0.1' }));

const created = () => Math.floor(Date.now() / 1000);
let seq = 0;
const envelope = (type: string, object: Record<string, unknown>) => ({
  id: `evt_${++seq}_${type.replace(/\W/g, '')}`, object: 'event', api_version: API_VERSION, created: created(), livemode: false,
  pending_webhooks: 1, request: { id: `req_${seq}`, idempotency_key: null }, type, data: { object },
});

const coupon20 = { id: 'SPRING20', object: 'coupon', amount_off: null, currency: null, duration: 'forever', duration_in_months: null, livemode: false, max_redemptions: null, metadata: {}, name: 'Spring 20 %', percent_off: 20, redeem_by: null, times_redeemed: 0, valid: true, created: created() };
const discount = (id: string, customer: string, sub: string | null) => ({
  id, object: 'discount', checkout_session: null, customer, customer_account: null, end: null, invoice: null, invoice_item: null,
  promotion_code: null, source: { coupon: 'SPRING20', type: 'coupon' }, start: created(), subscription: sub, subscription_item: null,
});
const subscription = (id: string, customer: string, account: string, opts: { status?: string; discounts?: unknown[]; addon?: boolean } = {}) => ({
  id, object: 'subscription', customer, status: opts.status ?? 'active', currency: 'usd', metadata: { tierwise_account: account },
  collection_method: 'charge_automatically', cancel_at_period_end: false, created: created(), start_date: created(),
  discounts: opts.discounts ?? [],
  items: {
    object: 'list', has_more: false, url: `/v1/subscription_items?subscription=${id}`,
    data: [
      { id: `si_${id}_base`, object: 'subscription_item', quantity: 1, discounts: [], current_period_start: created(), current_period_end: created() + 2_592_000,
        price: { id: 'price_pro_monthly', object: 'price', product: 'prod_pro', lookup_key: null, unit_amount: 74_900, unit_amount_decimal: '74900', currency: 'usd', metadata: {}, type: 'recurring', recurring: { interval: 'month', interval_count: 1, usage_type: 'licensed' } } },
      ...(opts.addon ? [{ id: `si_${id}_seats`, object: 'subscription_item', quantity: 15, discounts: [], current_period_start: created(), current_period_end: created() + 2_592_000,
        price: { id: 'price_extra_seat', object: 'price', product: 'prod_seat', lookup_key: 'extra_seat', unit_amount: 1_200, unit_amount_decimal: '1200', currency: 'usd', metadata: {}, type: 'recurring', recurring: { interval: 'month', interval_count: 1, usage_type: 'licensed' } } }] : []),
    ],
  },
});

function send(event: unknown, secret = SECRET) {
  const payload = JSON.stringify(event);
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: created() });
  return fetch(`${live.server.url}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': header }, body: payload });
}

async function eventsOf(account: string): Promise<TierwiseEvent[]> {
  const out: TierwiseEvent[] = [];
  for await (const r of live.store.readEvents({ account })) out.push(r.event);
  return out;
}

async function revenue(): Promise<{ periods: { endMrr: number }[]; problems: { code: string; count: number; examples: { account: string; message: string }[] }[] }> {
  const r = await fetch(`${live.server.url}/v1/metrics/revenue`, { headers: { authorization: `Bearer ${live.keys.admin}` } });
  expect(r.status).toBe(200);
  return r.json() as never;
}

describe('Stripe discounts in the current API shape', () => {
  it('a 20 % coupon given to the subscription by discount id: MRR 59,920, not 74,900; items kept', async () => {
    expect((await send(envelope('coupon.created', coupon20))).status).toBe(200);
    const d = discount('di_acme', 'cus_acme', 'sub_acme');
    const r = await send(envelope('customer.discount.created', d));
    expect(await r.json()).toMatchObject({ received: true, ignored: expect.stringContaining('kept to resolve discount ids') });
    // Stripe's default: subscription.discounts lists ids, not objects.
    expect((await send(envelope('customer.subscription.created', subscription('sub_acme', 'cus_acme', 'acme', { discounts: ['di_acme'], addon: true })))).status).toBe(200);
    const [sub] = await eventsOf('acme');
    expect(sub).toMatchObject({
      type: 'subscription', plan: 'pro', status: 'active', mrr: Math.round((74_900 + 15 * 1_200) * 0.8), discount_pct: 20,
      extra: { items: [
        { price: 'price_pro_monthly', product: 'prod_pro', quantity: 1, unit_amount: 74_900, interval: 'month' },
        { price: 'price_extra_seat', product: 'prod_seat', quantity: 15, unit_amount: 1_200, interval: 'month' },
      ] },
    });
    // the discount resolved; the only warning is the seat price the test catalog does not sell
    expect(sub?.extra?.['warnings']).toEqual([expect.stringContaining('price price_extra_seat is no plan, unit price or add-on')]);
    // The same subscription without the add-on: exactly the case.
    expect((await send(envelope('customer.subscription.updated', subscription('sub_acme', 'cus_acme', 'acme', { discounts: ['di_acme'] })))).status).toBe(200);
    expect((await eventsOf('acme')).at(-1)).toMatchObject({ mrr: 59_920, discount_pct: 20 });
  });

  it('an expanded discount object on the subscription is kept and resolves the next event that names it by id', async () => {
    const d = { ...discount('di_globex', 'cus_globex', 'sub_globex'), source: { coupon: { ...coupon20, id: 'HALF', percent_off: 50 }, type: 'coupon' } };
    await send(envelope('customer.subscription.created', subscription('sub_globex', 'cus_globex', 'globex', { discounts: [d] })));
    await send(envelope('customer.subscription.updated', subscription('sub_globex', 'cus_globex', 'globex', { discounts: ['di_globex'] })));
    expect((await eventsOf('globex')).map((e) => e.type === 'subscription' && e.mrr)).toEqual([37_450, 37_450]);
  });

  it('a discount no event carried: MRR gross, a warning on the event, in the revenue metrics and in /metrics', async () => {
    await send(envelope('customer.subscription.created', subscription('sub_initech', 'cus_initech', 'initech', { discounts: ['di_unknown'] })));
    const [sub] = await eventsOf('initech');
    expect(sub).toMatchObject({ mrr: 74_900, extra: { unresolved_discounts: ['di_unknown'], warnings: [expect.stringContaining('discount di_unknown could not be resolved')] } });
    const problem = (await revenue()).problems.find((p) => p.code === 'unresolved_discount');
    expect(problem).toMatchObject({ count: 1, examples: [{ account: 'initech', message: expect.stringContaining('di_unknown') }] });
    const scrape = await (await fetch(`${live.server.url}/metrics`)).text();
    expect(scrape).toMatch(/^tierwise_stripe_unresolved_discounts_total 1$/m);
  });
});

describe('Stripe statuses', () => {
  it('incomplete and incomplete_expired are not revenue; the update to active is', async () => {
    const before = (await revenue()).periods.at(-1)?.endMrr ?? 0;
    const r = await send(envelope('customer.subscription.created', subscription('sub_hooli', 'cus_hooli', 'hooli', { status: 'incomplete' })));
    expect(await r.json()).toMatchObject({ received: true, ignored: expect.stringContaining('incomplete is not revenue') });
    await send(envelope('customer.subscription.updated', subscription('sub_hooli', 'cus_hooli', 'hooli', { status: 'incomplete_expired' })));
    await send(envelope('customer.subscription.deleted', subscription('sub_hooli', 'cus_hooli', 'hooli', { status: 'incomplete_expired' })));
    expect(await eventsOf('hooli')).toEqual([]);
    expect((await revenue()).periods.at(-1)?.endMrr).toBe(before);
    await send(envelope('customer.subscription.created', subscription('sub_hooli2', 'cus_hooli', 'hooli', { status: 'incomplete' })));
    await send(envelope('customer.subscription.updated', subscription('sub_hooli2', 'cus_hooli', 'hooli', { status: 'active' })));
    expect((await eventsOf('hooli')).map((e) => e.type === 'subscription' && [e.status, e.mrr])).toEqual([['active', 74_900]]);
    expect((await revenue()).periods.at(-1)?.endMrr).toBe(before + 74_900);
  });
});

describe('refused signatures', () => {
  it('count as source=stripe, outcome=refused', async () => {
    const r = await send(envelope('customer.subscription.created', subscription('sub_x', 'cus_x', 'x')), 'whsec_wrong');
    expect(r.status).toBe(400);
    await fetch(`${live.server.url}/webhooks/stripe`, { method: 'POST', body: '{}' });
    const scrape = await (await fetch(`${live.server.url}/metrics`)).text();
    expect(scrape).toMatch(/^tierwise_ingest_events_total\{source="stripe",outcome="refused"\} 2$/m);
  });
});
