// The HTTP API in-process (app.request): auth, scopes, per-item errors, limits, problem+json, OpenAPI.
import { gzipSync } from 'node:zlib';
import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/memory-store.ts';
import type { Store } from '../../src/app/ports.ts';
import { createApp, type TierwiseApp } from '../../src/http/app.ts';
import { keysFor, testConfig, usageWire } from './http-helpers.ts';

let store: Store;
let tw: TierwiseApp;
let keys: { ingest: string; admin: string };

const req = (path: string, init: RequestInit & { key?: string } = {}) => {
  const headers = new Headers(init.headers);
  if (init.key) headers.set('authorization', `Bearer ${init.key}`);
  return tw.app.request(path, { ...init, headers });
};
const postJson = (path: string, body: unknown, key = keys.ingest, headers: Record<string, string> = {}) =>
  req(path, { method: 'POST', key, body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

beforeEach(async () => {
  store = createMemoryStore();
  tw = createApp({ store, config: testConfig({ http: { max_body_bytes: 100_000, rate_limit: { per_second: 5, burst: 20 }, cors_origins: ['https://app.example.com'] } }) });
  keys = await keysFor(store);
});

describe('POST /v1/events', () => {
  it('stores the valid events, reports each invalid one with a JSON pointer, and is idempotent', async () => {
    const body = [usageWire(0), usageWire(1), { ...usageWire(2), quantity: -1 }, { ...usageWire(3), quantity: 'x' }, { id: 'n', ts: '2026-03-01T10:00:00Z', account: 'a' }];
    const res = await postJson('/v1/events', body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      accepted: 2, rejected: 3,
      errors: [
        { pointer: '/2/quantity', detail: '>= 0' },
        { pointer: '/3/quantity', detail: 'expected number, got "x"' },
        { pointer: '/4/type', detail: expect.stringContaining('missing') },
      ],
      warnings: [],
    });
    expect(await store.countEvents()).toBe(2);
    await postJson('/v1/events', body);
    expect(await store.countEvents()).toBe(2);
  });

  it('stores an event whose optional field cannot be read and lists the field in warnings', async () => {
    const ts = '2026-03-01T10:00:00Z';
    const nd = [
      JSON.stringify({ id: 'w1', ts, account: 'acme', type: 'account', traits: { name: 'Acme', renewal_at: '2026-06-24' } }),
      JSON.stringify({ id: 'w2', ts, account: 'globex', type: 'account', traits: { name: 'Globex', renewal_at: 'soon' } }),
    ].join('\n');
    const res = await req('/v1/events', { method: 'POST', key: keys.ingest, body: nd, headers: { 'content-type': 'application/x-ndjson' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      accepted: 2, rejected: 0, errors: [],
      warnings: [{ pointer: '/1/traits/renewal_at', line: 2, value: 'soon', detail: expect.stringMatching(/expected a date/) }],
    });
    expect((await store.getAccount('acme'))?.traits['renewal_at']).toBe('2026-06-24T00:00:00Z');
    expect((await store.getAccount('globex'))?.traits).toEqual({ name: 'Globex' });
  });

  it('takes NDJSON, with bad lines reported by line, and gzip bodies', async () => {
    const nd = `${JSON.stringify(usageWire(0))}\n\n{oops\n${JSON.stringify(usageWire(1))}\n`;
    const res = await req('/v1/events', { method: 'POST', key: keys.ingest, body: gzipSync(nd), headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    const out = await res.json() as { accepted: number; errors: { pointer: string; line: number }[] };
    expect(out.accepted).toBe(2);
    expect(out.errors[0]).toMatchObject({ pointer: '/1', line: 3 });
  });

  it('answers 422 when nothing is valid, 400 for bad JSON, 415 for another type or encoding, 413 past the limit', async () => {
    const r422 = await postJson('/v1/events', [{ ...usageWire(0), ts: 'yesterday' }]);
    expect(r422.status).toBe(422);
    expect(r422.headers.get('content-type')).toBe('application/problem+json');
    expect(await r422.json()).toMatchObject({ code: 'invalid_events', status: 422, errors: [{ pointer: '/0/ts' }] });
    expect((await postJson('/v1/events', '[{')).status).toBe(400);
    expect((await req('/v1/events', { method: 'POST', key: keys.ingest, body: 'x', headers: { 'content-type': 'text/csv' } })).status).toBe(415);
    expect((await req('/v1/events', { method: 'POST', key: keys.ingest, body: '[]', headers: { 'content-type': 'application/json', 'content-encoding': 'br' } })).status).toBe(415);
    const big = JSON.stringify(Array.from({ length: 2_000 }, (_, i) => usageWire(i)));
    const r413 = await postJson('/v1/events', big);
    expect(r413.status).toBe(413);
    expect(await r413.json()).toMatchObject({ code: 'payload_too_large', limit: 100_000 });
    // A gzip bomb is stopped at the inflated size, whatever its compressed size.
    const bomb = await req('/v1/events', { method: 'POST', key: keys.ingest, body: gzipSync(`[${' '.repeat(10_000_000)}]`), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
    expect(bomb.status).toBe(413);
  });
});

describe('auth, scopes and rate limits', () => {
  it('401 without a key or with a wrong or revoked one, with a WWW-Authenticate challenge', async () => {
    const none = await req('/v1/events', { method: 'POST', body: '[]', headers: { 'content-type': 'application/json' } });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect(await none.json()).toMatchObject({ code: 'unauthorized', type: 'urn:tierwise:problem:unauthorized' });
    const forged = `${keys.ingest.slice(0, -4)}AAAA`;
    expect((await postJson('/v1/events', [usageWire(0)], forged)).status).toBe(401);
    const id = keys.ingest.split('_')[1] as string;
    await store.revokeKey(id, Date.now());
    expect((await postJson('/v1/events', [usageWire(0)])).status).toBe(401);
  });

  it('an ingest key cannot read accounts (403); an admin key can, and may ingest', async () => {
    await postJson('/v1/events', [usageWire(0)]);
    const forbidden = await req('/v1/accounts/acme', { key: keys.ingest });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ code: 'forbidden' });
    const ok = await req('/v1/accounts/acme', { key: keys.admin });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ account: { id: 'acme', placeholder: true }, usage: [{ meter: 'api_calls', day: '2026-03-01', sum: 1 }] });
    expect((await req('/v1/accounts/nobody', { key: keys.admin })).status).toBe(404);
    const noEngine = await req('/v1/accounts', { key: keys.admin });
    expect(noEngine.status).toBe(501);
    expect(await noEngine.json()).toMatchObject({ code: 'engine_disabled' });
    expect((await postJson('/v1/events', [usageWire(1)], keys.admin)).status).toBe(200);
    const catalog = await req('/v1/catalog', { key: keys.admin });
    expect(((await catalog.json()) as { plans: { id: string }[] }).plans.map((p) => p.id)).toEqual(['basic', 'pro', 'enterprise']);
  });

  it('429 with Retry-After once a key spends its burst; other keys are not affected', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 25; i++) codes.push((await req('/v1/catalog', { key: keys.admin })).status);
    expect(codes.slice(0, 20).every((c) => c === 200)).toBe(true);
    const limited = await req('/v1/catalog', { key: keys.admin });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await postJson('/v1/events', [usageWire(0)])).status).toBe(200);
  });

  it('answers CORS preflights only for the configured origins', async () => {
    const preflight = (origin: string) => req('/v1/events', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
    const allowed = await preflight('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('unknown routes are problem+json 404s', async () => {
    const r = await req('/v2/nothing');
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ code: 'not_found' });
  });
});

describe('ops endpoints', () => {
  it('/openapi.json validates as OpenAPI 3.1 with a maintained validator', async () => {
    const doc = await (await req('/openapi.json')).json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/events', '/v1/batch', '/webhooks/stripe', '/v1/accounts/{id}']));
  });

  it('/healthz, /readyz and /metrics', async () => {
    expect(await (await req('/healthz')).json()).toMatchObject({ status: 'ok' });
    expect((await req('/readyz')).status).toBe(200);
    await postJson('/v1/events', [usageWire(0), { bad: true }]);
    const text = await (await req('/metrics')).text();
    expect(text).toContain('tierwise_ingest_events_total{source="events",outcome="accepted"} 1');
    expect(text).toContain('tierwise_ingest_events_total{source="events",outcome="rejected"} 1');
    expect(text).toMatch(/tierwise_http_request_duration_seconds_bucket\{le="[^"]+",method="POST",route="\/v1\/events",status="200"\}/);
    expect(text).toContain('tierwise_ingest_queue_depth 0');
    tw.ctx.ready = false;
    expect((await req('/readyz')).status).toBe(503);
  });
});
