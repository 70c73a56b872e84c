// @tierwise/sdk against the real server on 127.0.0.1: batching, typed errors, retry after 429.
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/http/server.ts';
import { TierwiseClient, TierwiseError, TierwiseNetworkError } from '../../packages/sdk/src/index.ts';
import { testConfig, useServer } from './http-helpers.ts';

// A tight rate limit, so that the retry on 429 is exercised for real.
const live = useServer((store) => startServer({ store, config: testConfig({ http: { rate_limit: { per_second: 1, burst: 3 } } }), port: 0, host: '127.0.0.1' }));

describe('@tierwise/sdk', () => {
  it('batches track/usage/gate/identifyAccount/reportPrompt into /v1/events and reads the account back', async () => {
    const client = new TierwiseClient({ baseUrl: live.server.url, apiKey: live.keys.admin, flushAt: 5_000, flushIntervalMs: 0, maxBatch: 500 });
    client.identifyAccount('acme', { name: 'Acme', employees: 40 });
    for (let i = 0; i < 1_200; i++) client.usage('acme', 'api_calls', 10, { user: `u${i % 7}` });
    client.gate('acme', 'sso', { user: 'u1' });
    client.reportPrompt('acme', 'upgrade-pro', 'shown', { user: 'u1' });
    const results = await client.flush();
    expect(results.map((r) => r.accepted)).toEqual([500, 500, 203]);
    const account = await client.getAccount('acme', { meter: 'api_calls' });
    expect(account.account.traits).toMatchObject({ name: 'Acme', employees: 40 });
    expect(account.usage.reduce((s, d) => s + d.sum, 0)).toBe(12_000);
    await client.close();
  }, 30_000);

  it('retries after 429 (honouring Retry-After) without double counting', async () => {
    const client = new TierwiseClient({ baseUrl: live.server.url, apiKey: live.keys.ingest, flushAt: 10_000, flushIntervalMs: 0, maxBatch: 1, backoffMs: 50 });
    for (let i = 0; i < 5; i++) client.usage('initech', 'api_calls', 1);
    const started = Date.now();
    const results = await client.flush();
    expect(results.every((r) => r.accepted === 1)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // at least one Retry-After: 1 was waited out
    expect((await live.store.usageDays('initech'))[0]?.sum).toBe(5);
  }, 30_000);

  it('flushes on its timer, reports item rejections, and raises typed errors', async () => {
    const seen: string[] = [];
    const client = new TierwiseClient({ baseUrl: live.server.url, apiKey: live.keys.ingest, flushIntervalMs: 20, onError: (e) => seen.push(e.message) });
    client.usage('hooli', 'api_calls', 1);
    client.usage('hooli', 'api_calls', -1);
    for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(seen[0]).toContain('/1/quantity');

    const reader = new TierwiseClient({ baseUrl: live.server.url, apiKey: live.keys.ingest, maxRetries: 0 });
    const err = await reader.getAccount('hooli').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TierwiseError);
    expect(err).toMatchObject({ status: 403, code: 'forbidden' });

    const offline = new TierwiseClient({ baseUrl: 'http://127.0.0.1:1', apiKey: live.keys.ingest, maxRetries: 1, backoffMs: 1 });
    offline.usage('x', 'api_calls', 1);
    await expect(offline.flush()).rejects.toBeInstanceOf(TierwiseNetworkError);
  }, 30_000);
});
