// Stripe webhooks on a real server: payloads signed with the real stripe package are stored once;
// a tampered body, a wrong secret and a stale timestamp are rejected.
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/memory-store.ts';
import type { Store } from '../../src/app/ports.ts';
import type { TierwiseEvent } from '../../src/core/events/types.ts';
import { startServer, type RunningServer } from '../../src/http/server.ts';
import { testConfig } from './http-helpers.ts';

const SECRET = 'whsec_e2e_secret';
let store: Store;
let server: RunningServer;

beforeAll(async () => {
  store = createMemoryStore();
  server = await startServer({ store, config: testConfig({ stripe: { plans: { price_pro_monthly: 'pro' } } }), stripeSecret: SECRET, port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await server.close();
  await store.close();
});

const now = () => Math.floor(Date.now() / 1000);
const subscriptionEvent = (id: string, type: string, metadata: Record<string, string> = {}) => ({
  id, object: 'event', type, created: now(), api_version: '2025-01-27.acacia',
  data: {
    object: {
      id: 'sub_123', object: 'subscription', customer: 'cus_ACME', status: 'active', metadata,
      discount: { coupon: { percent_off: 10 } },
      items: { object: 'list', data: [{ id: 'si_1', quantity: 12, price: { id: 'price_pro_monthly', lookup_key: null, unit_amount: 74900, metadata: {}, recurring: { interval: 'month', interval_count: 1 } } }] },
    },
  },
});

function send(payload: string, opts: { secret?: string; timestamp?: number; body?: string } = {}) {
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: opts.secret ?? SECRET, timestamp: opts.timestamp ?? now() });
  return fetch(`${server.url}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': header }, body: opts.body ?? payload });
}

async function all(): Promise<TierwiseEvent[]> {
  const out: TierwiseEvent[] = [];
  for await (const r of store.readEvents()) out.push(r.event);
  return out;
}

describe('POST /webhooks/stripe', () => {
  it('stores a signed subscription event once, with MRR after the discount, on the account named in metadata', async () => {
    const payload = JSON.stringify(subscriptionEvent('evt_1', 'customer.subscription.created', { tierwise_account: 'acme' }));
    const res = await send(payload);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, event: 'evt_1' });
    expect((await send(payload)).status).toBe(200); // Stripe redelivers: stored once
    const events = await all();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ id: 'evt_1', account: 'acme', type: 'subscription', plan: 'pro', mrr: Math.round(74900 * 12 * 0.9), seats: 12, discount_pct: 10, status: 'active' });
  });

  it('maps a later invoice of the same customer to the learned account', async () => {
    const inv = { id: 'evt_2', object: 'event', type: 'invoice.payment_failed', created: now(), data: { object: { id: 'in_9', object: 'invoice', customer: 'cus_ACME', amount_paid: 0, amount_due: 808920 } } };
    expect((await send(JSON.stringify(inv))).status).toBe(200);
    expect((await all()).find((e) => e.id === 'evt_2')).toMatchObject({ account: 'acme', type: 'invoice', status: 'past_due', amount: 808920 });
  });

  it('rejects a tampered body, a wrong secret and a stale timestamp with 400 signature_invalid', async () => {
    const payload = JSON.stringify(subscriptionEvent('evt_3', 'customer.subscription.updated'));
    const cases = [
      await send(payload, { body: payload.replace('74900', '100') }),
      await send(payload, { secret: 'whsec_wrong' }),
      await send(payload, { timestamp: now() - 301 }),
      await fetch(`${server.url}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload }),
    ];
    for (const r of cases) {
      expect(r.status).toBe(400);
      expect(await r.json()).toMatchObject({ code: 'signature_invalid' });
    }
    expect((await all()).some((e) => e.id === 'evt_3')).toBe(false);
  });

  it('acknowledges event types it does not use without storing them', async () => {
    const res = await send(JSON.stringify({ id: 'evt_4', object: 'event', type: 'charge.succeeded', created: now(), data: { object: { id: 'ch_1', customer: 'cus_ACME' } } }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ received: true, ignored: expect.stringContaining('charge.succeeded') });
  });
});
