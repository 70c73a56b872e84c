// The "done when" (T16), on a real HTTP server on 127.0.0.1 whose clock the test moves:
// a trial of a module unlocks its feature through GET /v1/entitlements and the SDK, ends, and locks
// again, with the entitlements_changed webhook the product acts on at each turn; an accepted seat
// offer yields the Stripe change and the invoice Stripe would raise (prorated to the second), with a
// signed upgrade link; downgrade and cancellation are one call each; a meter climbing through 70,
// 80 and 90 % of its limit sends three notices, once each.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/memory-store.ts';
import type { Store } from '../../src/app/ports.ts';
import { SIGNATURE_HEADER, verify } from '../../src/channels/webhook.ts';
import { startServer } from '../../src/compose.ts';
import type { TierwiseConfig } from '../../src/config/schema.ts';
import type { RunningServer } from '../../src/http/server.ts';
import { TierwiseClient, type EntitlementChange } from '../../packages/sdk/src/index.ts';
import { keysFor, testConfig } from './http-helpers.ts';

const DAY = 86_400_000;
const SECRET = 'whsec_entitlements_test';
let clock = Date.parse('2026-06-15T09:00:00Z');
const hooks: Record<string, unknown>[] = [];
let receiver: Server;
let store: Store;
let server: RunningServer;
let keys: { ingest: string; admin: string };

/** The example's usage-limit play with seed 000's limit notices at 70, 80 and 90 %. */
function withNotices(cfg: TierwiseConfig): TierwiseConfig {
  return { ...cfg, playbooks: (cfg.playbooks ?? []).map((p) => (p.id === 'usage_limit' ? { ...p, trigger: { ...p.trigger, notice_levels: [0.7, 0.8, 0.9] } } : p)) };
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => {
      const ok = verify(SECRET, String(req.headers[SIGNATURE_HEADER] ?? ''), body, Math.floor(Date.now() / 1000)); // signed on the wall clock
      if (ok) hooks.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(ok ? 200 : 400).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  process.env['TIERWISE_WEBHOOK_SECRET'] = SECRET;
  store = createMemoryStore();
  keys = await keysFor(store);
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  server = await startServer({
    store, config: withNotices(testConfig({ channels: { webhook: { url: hookUrl, tasks: false } }, stripe: { plans: { price_pro_monthly: 'pro', price_pro_yearly: 'pro', price_basic_monthly: 'basic' } } })), port: 0, host: '127.0.0.1',
    runEngine: true, engineCycleMs: 20, playbookRunMs: 3_600_000, deliverMs: 3_600_000, now: () => clock,
  });
});
afterAll(async () => {
  await server.close();
  await store.close();
  await new Promise((r) => receiver.close(r));
  delete process.env['TIERWISE_WEBHOOK_SECRET'];
});

const call = async (path: string, key: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') => {
  const res = await fetch(`${server.url}${path}`, {
    method, headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, headers: res.headers, body: await res.json() as Record<string, unknown> };
};
const feature = (e: Record<string, unknown>, id: string) => (e['features'] as { id: string }[]).find((f) => f.id === id);

describe('entitlements end to end', () => {
  it('a module trial unlocks its feature through the API and the SDK, ends, and locks it again', async () => {
    const product = new TierwiseClient({ baseUrl: server.url, apiKey: keys.ingest, flushIntervalMs: 0, maxRetries: 0, now: () => clock });
    const changes: EntitlementChange[] = [];
    product.onEntitlementsChange((c) => changes.push(c));
    product.identifyAccount('acme', { name: 'Acme' }, { ts: new Date(clock - 40 * DAY) });
    product.track({ type: 'subscription', account: 'acme', plan: 'pro', interval: 'month', mrr: 74900, status: 'active', ts: new Date(clock - 40 * DAY) });
    product.usage('acme', 'seats', 10, { ts: new Date(clock - 3_600_000) });
    await product.flush();
    await server.tierwise.ctx.engine?.cycle();

    const before = await call('/v1/entitlements/acme', keys.ingest);
    expect(before.status).toBe(200);
    expect(before.headers.get('cache-control')).toBe('private, max-age=30');
    expect(feature(before.body, 'advanced_analytics')).toMatchObject({ available: false, via: null });
    expect((before.body['meters'] as { id: string }[]).find((m) => m.id === 'seats')).toMatchObject({ limit: 25, used: 10, remaining: 15 });
    expect(await product.can('acme', 'advanced_analytics')).toBe(false);
    expect(await product.limit('acme', 'seats')).toMatchObject({ remaining: 15 });

    const started = await call('/v1/trials', keys.admin, { account: 'acme', addon: 'analytics_module', days: 14 });
    expect(started.status).toBe(201);
    expect(started.body['trial']).toMatchObject({ plan: 'pro', addon: 'analytics_module', status: 'active' });
    const endsAt = Date.parse((started.body['trial'] as { endsAt: string }).endsAt);
    expect(endsAt).toBe(clock + 14 * DAY);

    // at once through the API...
    const during = await call('/v1/entitlements/acme', keys.ingest);
    expect(feature(during.body, 'advanced_analytics')).toMatchObject({ available: true, via: 'trial', addon: 'analytics_module', trialEndsAt: new Date(endsAt).toISOString() });
    // ...and through the SDK once the product hears the webhook and drops its cached answer
    await server.tierwise.ctx.playbooks?.pass();
    expect(hooks).toEqual([expect.objectContaining({ type: 'entitlements_changed', account: 'acme', reason: 'trial_started', addon: 'analytics_module', unlocked: ['advanced_analytics'], locked: [] })]);
    product.invalidateEntitlements('acme');
    expect(await product.can('acme', 'advanced_analytics')).toBe(true);
    expect(changes).toEqual([]); // the cache was dropped by hand: nothing to compare with

    // a day later, still on; the cached answer serves it
    clock += DAY;
    expect(await product.can('acme', 'advanced_analytics')).toBe(true);

    // the trial's last millisecond, then its end: the lock comes on time, before the scheduler has run
    clock = endsAt - 1;
    expect(feature((await call('/v1/entitlements/acme', keys.ingest)).body, 'advanced_analytics')).toMatchObject({ available: true });
    expect(await product.can('acme', 'advanced_analytics')).toBe(true);
    clock = endsAt;
    expect(feature((await call('/v1/entitlements/acme', keys.ingest)).body, 'advanced_analytics')).toMatchObject({ available: false, via: null });
    expect(await product.can('acme', 'advanced_analytics')).toBe(false);
    expect(changes).toEqual([{ account: 'acme', unlocked: [], locked: ['advanced_analytics'], source: 'server' }]);

    // the scheduler records it as expired and tells the product
    await server.tierwise.ctx.playbooks?.pass();
    expect((await store.listTrials({ account: 'acme' }))[0]).toMatchObject({ status: 'expired', endedAt: endsAt });
    expect(hooks[1]).toMatchObject({ type: 'entitlements_changed', reason: 'trial_ended', addon: 'analytics_module', unlocked: [], locked: ['advanced_analytics'] });
    await product.close();
  }, 60_000);

  it('a module cannot be tried where it is not sold, and an unknown account is a 404', async () => {
    const bad = await call('/v1/trials', keys.admin, { account: 'acme', addon: 'premium_support' });
    expect(bad).toMatchObject({ status: 400, body: { code: 'invalid_request', detail: expect.stringContaining('support level') } });
    expect((await call('/v1/entitlements/nobody', keys.ingest)).status).toBe(404);
  });

  it('an accepted seat offer yields the Stripe change and the prorated invoice, with a signed link; downgrade and cancel are one call', async () => {
    clock = Date.parse('2026-07-01T09:00:00Z');
    const signedUp = clock - 40 * DAY; // monthly from 2026-05-22 09:00: this period runs 2026-06-22 -> 2026-07-22, 21 of its 30 days left
    const ev = [
      { id: 'g-acct', ts: new Date(signedUp).toISOString(), account: 'globex', type: 'account', traits: { name: 'Globex', employees: 60 } },
      { id: 'g-sub', ts: new Date(signedUp).toISOString(), account: 'globex', type: 'subscription', plan: 'pro', interval: 'month', mrr: 82400, status: 'active', units: { seats: 3 },
        items: [{ price: 'price_pro_monthly', quantity: 1, unit_amount: 74900, interval: 'month' }, { price: 'price_pro_seat', quantity: 3, unit_amount: 2500, interval: 'month' }] },
      { id: 'g-seats', ts: new Date(clock - DAY).toISOString(), account: 'globex', type: 'usage', meter: 'seats', quantity: 33 },
    ];
    expect((await call('/v1/events', keys.ingest, ev)).status).toBe(200);
    await server.tierwise.ctx.engine?.cycle();

    const co = await call('/v1/checkout', keys.ingest, { account: 'globex' });
    expect(co.status, JSON.stringify(co.body)).toBe(200);
    const offer = co.body['offer'] as { key: string; type: string };
    expect(offer.type).toBe('seats');
    const added = Number(/^units:seats:(\d+)$/.exec(offer.key)?.[1]);
    expect(added).toBeGreaterThanOrEqual(5);
    expect(co.body['period']).toEqual({ start: '2026-06-22T09:00:00.000Z', end: '2026-07-22T09:00:00.000Z' });
    expect(co.body['stripe']).toEqual({
      items: [{ action: 'update', current: 'price_pro_seat', quantity: 3 + added }],
      proration_behavior: 'always_invoice', proration_date: clock / 1000,
    });
    // Stripe's rule: the 3 seats' unused 21 of 30 days credited, 3 + added seats charged for them, at $25 a seat
    const preview = co.body['preview'] as { lines: { amount: number; description: string }[]; total: number; dueNow: number; next: { amount: number; at: string } };
    expect(preview.lines.map((l) => l.amount)).toEqual([-Math.round(7500 * 0.7), Math.round((3 + added) * 2500 * 0.7)]);
    expect(preview.lines[0]!.description).toBe('Unused time on 3 × Users (extra) after 2026-07-01');
    expect(preview.dueNow).toBe(added * 1750);
    expect(preview.next).toMatchObject({ at: '2026-07-22T09:00:00.000Z', amount: 74900 + (3 + added) * 2500 });

    // the link shows the same preview without a key, refuses an altered one, and expires
    const link = co.body['link'] as { url: string; expiresAt: string };
    expect(Date.parse(link.expiresAt)).toBe(clock + 72 * 3_600_000);
    const opened = await fetch(link.url);
    expect(opened.status).toBe(200);
    expect(((await opened.json()) as { preview: unknown }).preview).toEqual(preview);
    const [body, sig] = link.url.split('/').at(-1)!.split('.');
    const forged = `${Buffer.from(JSON.stringify({ a: 'globex', o: 'plan:enterprise', e: clock + DAY })).toString('base64url')}.${sig}`;
    expect((await fetch(link.url.replace(`${body}.${sig}`, forged))).status).toBe(403);
    clock += 72 * 3_600_000;
    expect(await (await fetch(link.url)).json()).toMatchObject({ status: 410, code: 'link_expired' });
    clock -= 72 * 3_600_000;

    // the SDK hands back the same answer
    const viaSdk = await new TierwiseClient({ baseUrl: server.url, apiKey: keys.ingest, maxRetries: 0 }).checkout('globex', { offer: offer.key });
    expect(viaSdk.preview).toEqual(preview);
    expect(viaSdk.stripe).toEqual(co.body['stripe']);

    const down = await call('/v1/checkout/downgrade', keys.ingest, { account: 'globex', plan: 'basic' });
    expect(down.status, JSON.stringify(down.body)).toBe(200);
    expect(down.body).toMatchObject({ kind: 'downgrade', stripe: { proration_behavior: 'create_prorations' }, preview: { dueNow: 0 } });
    expect((down.body['stripe'] as { items: unknown[] }).items).toContainEqual({ action: 'update', current: 'price_pro_monthly', price: 'price_basic_monthly', quantity: 1 });
    expect((down.body['preview'] as { total: number }).total).toBeLessThan(0);
    const cancel = await call('/v1/checkout/cancel', keys.ingest, { account: 'globex' });
    expect(cancel.body).toMatchObject({ kind: 'cancel', stripe: { items: [], cancel_at_period_end: true, proration_behavior: 'none' }, preview: { dueNow: 0, next: { at: '2026-07-22T09:00:00.000Z', amount: 0 } } });
  }, 60_000);

  it('a meter climbing through 70, 80 and 90 % sends three notices, once each, with usage, projection and the cheapest way out', async () => {
    clock = Date.parse('2026-08-10T09:00:00Z');
    const seats = async (n: number, id: string) => {
      expect((await call('/v1/events', keys.ingest, [{ id, ts: new Date(clock - 60_000).toISOString(), account: 'initech', type: 'usage', meter: 'seats', quantity: n }])).status).toBe(200);
      await server.tierwise.ctx.engine?.cycle();
      await server.tierwise.ctx.playbooks?.pass();
      clock += DAY;
    };
    const start = [
      { id: 'i-acct', ts: new Date(clock - 60 * DAY).toISOString(), account: 'initech', type: 'account', traits: { name: 'Initech', employees: 40 } },
      { id: 'i-sub', ts: new Date(clock - 60 * DAY).toISOString(), account: 'initech', type: 'subscription', plan: 'pro', interval: 'month', mrr: 74900, status: 'active' },
    ];
    expect((await call('/v1/events', keys.ingest, start)).status).toBe(200);
    await seats(12, 'i-s1'); // 48 %: nothing
    await seats(18, 'i-s2'); // 72 %
    await seats(18, 'i-s3'); // still 72 %: no second notice
    await seats(21, 'i-s4'); // 84 %
    await seats(23, 'i-s5'); // 92 %
    await seats(24, 'i-s6'); // 96 %: 90 % was noticed this month
    await server.tierwise.ctx.playbooks?.pass();
    const notices = hooks.filter((h) => h['type'] === 'limit_notice' && h['account'] === 'initech');
    expect(notices.map((n) => [n['level'], n['used'], n['period']])).toEqual([[0.7, 18, '2026-08'], [0.8, 21, '2026-08'], [0.9, 23, '2026-08']]);
    expect(notices[2]).toMatchObject({ meter: 'seats', meter_name: 'Users', limit: 25, title: 'You have used 90% of your Users limit' });
    expect(String(notices[2]!['body'])).toMatch(/^Users: 23 of your 25 on Pro \(92%\)\./);
    const way = notices[2]!['offer'] as { name: string; monthly: number } | null;
    expect(way).not.toBeNull();
    expect(String(notices[2]!['body'])).toContain(`${way!.name} for $${way!.monthly / 100} a month`);
  }, 60_000);
});
