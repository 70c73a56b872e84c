// The real Segment and RudderStack Node clients, pointed at a real server on 127.0.0.1, deliver
// track and group calls that end up as canonical events on the accounts.
import { Analytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/app/ports.ts';
import type { TierwiseEvent } from '../../src/core/events/types.ts';
import { openStore } from '../../src/open-store.ts';
import { startServer, type RunningServer } from '../../src/http/server.ts';
import { keysFor, testConfig } from './http-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'tierwise-segment-'));
let store: Store;
let server: RunningServer;
let keys: { ingest: string; admin: string };

beforeAll(async () => {
  store = await openStore(join(dir, 'tw.db'));
  keys = await keysFor(store);
  server = await startServer({ store, config: testConfig(), port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function eventsOf(account: string): Promise<TierwiseEvent[]> {
  const out: TierwiseEvent[] = [];
  for await (const r of store.readEvents({ account })) out.push(r.event);
  return out;
}

const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${keys.ingest}:`).toString('base64')}`, ...headers } });

describe('Segment HTTP Tracking API', () => {
  it('the real @segment/analytics-node client delivers group and track calls', async () => {
    const analytics = new Analytics({ writeKey: keys.ingest, host: server.url, flushAt: 50, flushInterval: 50, maxRetries: 1 });
    const errors: unknown[] = [];
    analytics.on('error', (e) => errors.push(e));
    analytics.group({ userId: 'u1', groupId: 'acme', traits: { name: 'Acme', employees: 40 } });
    for (let i = 0; i < 5; i++) analytics.track({ userId: 'u1', event: 'API Call', properties: { count: 100 }, context: { groupId: 'acme' } });
    analytics.track({ userId: 'u2', event: 'Upgrade Modal Viewed', properties: { feature: 'sso', account_id: 'acme' } });
    analytics.identify({ userId: 'u1', traits: { email: 'a@acme.test' } });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);

    const events = await eventsOf('acme');
    expect(events.filter((e) => e.type === 'usage')).toHaveLength(5);
    expect(events.find((e) => e.type === 'gate')).toMatchObject({ feature: 'sso', user: 'u2' });
    expect(await store.getAccount('acme')).toMatchObject({ placeholder: false, traits: { name: 'Acme', employees: 40 } });
    expect((await store.usageDays('acme', 'api_calls'))[0]?.sum).toBe(500);
  });

  it('the real @rudderstack/rudder-sdk-node client (gzip) delivers too; a group call teaches the user\'s account', async () => {
    const rudder = new RudderAnalytics(keys.ingest, { dataPlaneUrl: server.url, flushAt: 10, flushInterval: 50, logLevel: 'error', retryCount: 0, errorHandler: () => undefined });
    rudder.group({ userId: 'r1', groupId: 'globex', traits: { name: 'Globex' } });
    await new Promise<void>((resolve, reject) => rudder.flush((err) => (err ? reject(err) : resolve())));
    rudder.track({ userId: 'r1', event: 'API Call', properties: { count: 7 } });
    rudder.track({ userId: 'r1', event: 'Upgrade Modal Viewed', properties: { feature: 'audit_logs' } });
    await new Promise<void>((resolve, reject) => rudder.flush((err) => (err ? reject(err) : resolve())));
    const events = await eventsOf('globex');
    expect(events.map((e) => e.type).sort()).toEqual(['account', 'gate', 'usage']);
    expect(events.find((e) => e.type === 'usage')).toMatchObject({ quantity: 7, user: 'r1' });
  }, 20_000);

  it('dedupes on messageId, takes writeKey in the body, reports bad messages by pointer', async () => {
    const msg = { type: 'track', messageId: 'dup-1', timestamp: '2026-03-01T10:00:00Z', userId: 'u1', event: 'API Call', properties: { count: 3 }, context: { groupId: 'initech' } };
    const bad = { ...msg, messageId: 'bad-1', properties: { count: -5 } };
    const res = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ writeKey: keys.ingest, batch: [msg, msg, bad] }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ success: true, accepted: 2, rejected: 1, errors: [{ pointer: '/batch/2/properties/count', detail: '>= 0' }] });
    await post('/v1/track', JSON.stringify(msg));
    expect((await eventsOf('initech')).length).toBe(1);
  });

  it('a 600 KB batch gets 400 batch_too_large, a 40 KB message 400 event_too_large, gzip or not; no key gets 401', async () => {
    const big = JSON.stringify({ batch: Array.from({ length: 3_000 }, (_, i) => ({ type: 'track', messageId: `m${i}`, userId: 'u', event: 'Logged In', properties: { pad: 'x'.repeat(160) } })) });
    expect(big.length).toBeGreaterThan(600_000);
    for (const [body, headers] of [[big, {}], [gzipSync(big), { 'content-encoding': 'gzip' }]] as const) {
      const r = await post('/v1/batch', body, headers);
      expect(r.status).toBe(400);
      expect(await r.json()).toMatchObject({ code: 'batch_too_large', limit: 512_000 });
    }
    const r32 = await post('/v1/track', JSON.stringify({ userId: 'u', event: 'API Call', properties: { pad: 'x'.repeat(40_000) } }));
    expect(r32.status).toBe(400);
    expect(await r32.json()).toMatchObject({ code: 'event_too_large' });
    const anon = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ batch: [] }) });
    expect(anon.status).toBe(401);
  });
});
