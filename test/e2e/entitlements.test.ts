// The "done when" (T16), on a real HTTP server on 127.0.0.1 whose clock the test moves:
// a trial of a module unlocks its feature through GET /v1/entitlements and the SDK, ends, and locks
// again, with the entitlements_changed webhook the product acts on at each turn.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/memory-store.ts';
import type { Store } from '../../src/app/ports.ts';
import { SIGNATURE_HEADER, verify } from '../../src/channels/webhook.ts';
import { startServer } from '../../src/compose.ts';
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
    store, config: testConfig({ channels: { webhook: { url: hookUrl, tasks: false } } }), port: 0, host: '127.0.0.1',
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
    product.track({ type: 'subscription', account: 'acme', plan: 'pro', interval: 'month', mrr: 89900, status: 'active', ts: new Date(clock - 40 * DAY) });
    product.usage('acme', 'seats', 18, { ts: new Date(clock - 3_600_000) });
    await product.flush();
    await server.tierwise.ctx.engine?.cycle();

    const before = await call('/v1/entitlements/acme', keys.ingest);
    expect(before.status).toBe(200);
    expect(before.headers.get('cache-control')).toBe('private, max-age=30');
    expect(feature(before.body, 'advanced_analytics')).toMatchObject({ available: false, via: null });
    expect((before.body['meters'] as { id: string }[]).find((m) => m.id === 'seats')).toMatchObject({ limit: 25, used: 18, remaining: 7 });
    expect(await product.can('acme', 'advanced_analytics')).toBe(false);
    expect(await product.limit('acme', 'seats')).toMatchObject({ remaining: 7 });

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
});
