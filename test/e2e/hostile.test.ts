// Hostile input against a real server on a real SQLite file (issue #19): nothing one bad actor sends
// takes the others down. Each `it` names the numbered failure it pins.
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { IngestQueue } from '../../src/app/ingest.ts';
import type { Store } from '../../src/app/ports.ts';
import { startServer, type RunningServer } from '../../src/compose.ts';
import type { TierwiseEvent } from '../../src/core/events/types.ts';
import { tierwise } from './cli.ts';
import { keysFor, testConfig, usageWire } from './http-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'tierwise-hostile-'));
const dbPath = join(dir, 'tw.db');
let store: Store;
let server: RunningServer;
let keys: { ingest: string; admin: string };

beforeAll(async () => {
  store = openSqliteStore(dbPath, { busyTimeoutMs: 50 });
  keys = await keysFor(store);
  server = await startServer({
    store, port: 0, host: '127.0.0.1',
    config: testConfig({ http: { max_events_per_request: 1_000, max_form_bytes: 4_096, trust_proxy: true, login_rate_limit: { per_minute: 1, burst: 12 } } }),
  });
});
afterAll(async () => {
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (body: string | Uint8Array, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${keys.ingest}`, 'content-type': 'application/json', ...headers }, body });
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('1. nesting and commit isolation', () => {
  it('values nested 500 and 10,000 deep are rejected with their pointers and fail none of 99 requests committed beside them', async () => {
    const item = (depth: number) => `{"id":"deep","ts":"2026-03-01T10:00:00Z","account":"acme","type":"session","x":${nested(depth)}}`;
    const others = Array.from({ length: 99 }, (_, i) => post(JSON.stringify([usageWire(i, `iso-${i}`)])));
    const [bad, worse, ...ok] = await Promise.all([post(`[${JSON.stringify(usageWire(0, 'beside-deep'))},${item(500)}]`), post(`[${item(10_000)}]`), ...others]);
    // within the body's nesting bound: that item alone is rejected, its neighbour stored
    expect(bad?.status).toBe(200);
    expect(await bad?.json()).toMatchObject({ accepted: 1, rejected: 1, errors: [{ pointer: `/1/x${'/a'.repeat(15)}`, detail: 'nested deeper than 16 levels' }] });
    // past it (JSON.parse of such bodies takes seconds): refused before parsing, naming the item and byte
    expect(worse?.status).toBe(400);
    expect(await worse?.json()).toMatchObject({ code: 'invalid_request', errors: [{ pointer: '/0', detail: 'nested deeper than 512 levels' }] });
    expect(ok.map((r) => r.status)).toEqual(Array(99).fill(200));
  });

  it('traits nested 300 deep are refused, so later updates of that account and 60 others all succeed', async () => {
    const traits = (i: number, extra = '') => `{"id":"t${i}","ts":"2026-03-01T10:00:0${i % 10}Z","account":"deep-acct","type":"account","traits":{"name":"Deep"${extra}}}`;
    const r = await post(`[${traits(0, `,"x":${nested(300)}`)}]`);
    expect(r.status).toBe(422);
    const updates = [post(`[${traits(1)}]`), ...Array.from({ length: 60 }, (_, i) => post(JSON.stringify([{ id: `acc${i}`, ts: '2026-03-01T10:00:00Z', account: `acc-${i}`, type: 'account', traits: { name: `A${i}`, nested: { ok: [1, 2, { fine: true }] } } }])))];
    expect((await Promise.all(updates)).map((x) => x.status)).toEqual(Array(61).fill(200));
    expect((await store.getAccount('deep-acct'))?.traits).toEqual({ name: 'Deep' });
  });

  it('a commit that fails for one request fails only that request', async () => {
    // The store's own failure (not validation): every append holding the poisoned id throws.
    const poisoned: Store = { ...store, appendEvents: (events: readonly TierwiseEvent[]) => (events.some((e) => e.id === 'poison') ? Promise.reject(new Error('boom')) : store.appendEvents(events)) };
    const q = new IngestQueue(poisoned, { maxQueueEvents: 10_000 });
    const ev = (id: string) => ({ id, ts: Date.UTC(2026, 2, 2), account: 'iso-q', type: 'session' }) as TierwiseEvent;
    const results = await Promise.allSettled([q.submit([ev('q1')]), q.submit([ev('poison')]), q.submit([ev('q2'), ev('q3')])]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const stored = [];
    for await (const s of store.readEvents({ account: 'iso-q' })) stored.push(s.event.id);
    expect(stored.sort()).toEqual(['q1', 'q2', 'q3']);
  });
});

describe('3. body limits on every route', () => {
  it('/login refuses a body past http.max_form_bytes while reading it, declared or streamed', async () => {
    const declared = await fetch(`${server.url}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `key=${'x'.repeat(10_000)}` });
    expect(declared.status).toBe(413);
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled += chunk.length;
        if (pulled > 100 * 1024 * 1024) c.close();
        else c.enqueue(chunk);
      },
    });
    // Before: the whole 100 MB was read (and held, +434 MB) before the form was looked at.
    const status = await fetch(`${server.url}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: stream, duplex: 'half' } as RequestInit)
      .then((r) => r.status, () => 'reset');
    expect([413, 'reset']).toContain(status);
    expect(pulled).toBeLessThan(8 * 1024 * 1024);
  });
});

describe('4. items and errors per request', () => {
  it('a body of 200,000 empty objects is refused before it is parsed', async () => {
    const r = await post(`[${Array(200_000).fill('{}').join(',')}]`);
    expect(r.status).toBe(413);
    expect(await r.json()).toMatchObject({ code: 'payload_too_large', limit: 1_000 });
  });

  it('at most 100 errors are built and sent for 1,000 bad items', async () => {
    const r = await post(`[${Array(1_000).fill('{}').join(',')}]`);
    expect(r.status).toBe(422);
    const body = await r.json() as { rejected: number; errors: unknown[]; errors_truncated?: boolean };
    expect(body.rejected).toBe(1_000);
    expect(body.errors).toHaveLength(100);
    expect(body.errors_truncated).toBe(true);
  });
});

describe('5. bytes and dates refused, not changed', () => {
  it('refuses invalid UTF-8 naming the byte; accepts a leading BOM; refuses 2026-02-30', async () => {
    const text = Buffer.from(JSON.stringify([usageWire(1, 'utf8-acct')]));
    const bad = Buffer.from(text);
    bad[text.indexOf('api_calls')] = 0xfe;
    const r = await post(bad);
    expect(r.status).toBe(400);
    expect((await r.json() as { detail: string }).detail).toBe(`body is not valid UTF-8 (byte ${text.indexOf('api_calls') + 1})`);
    expect((await post(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text]))).status).toBe(200);
    const feb30 = await post(JSON.stringify([{ ...usageWire(9, 'feb-acct'), ts: '2026-02-30T10:00:00Z' }]));
    expect(feb30.status).toBe(422);
    expect(await feb30.json()).toMatchObject({ errors: [{ pointer: '/0/ts', detail: expect.stringContaining('not a real date') }] });
  });
});

describe('6. quantities', () => {
  it('refuses 1e308 (two of them summed to Infinity) with the documented maximum', async () => {
    const r = await post(JSON.stringify([{ ...usageWire(1, 'inf-acct'), quantity: 1e308 }, { ...usageWire(2, 'inf-acct'), quantity: 1e308 }]));
    expect(r.status).toBe(422);
    expect(await r.json()).toMatchObject({ rejected: 2, errors: [{ pointer: '/0/quantity', detail: 'at most 1000000000000' }, { pointer: '/1/quantity' }] });
  });
});

describe('7. a locked store', () => {
  it('answers 503 with Retry-After while another writer holds the lock, and 200 after', async () => {
    const other = new Database(dbPath);
    other.exec('BEGIN IMMEDIATE');
    try {
      const r = await post(JSON.stringify([usageWire(1, 'busy-acct')]));
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('1');
    } finally {
      other.exec('COMMIT');
      other.close();
    }
    expect((await post(JSON.stringify([usageWire(1, 'busy-acct')]))).status).toBe(200);
  });
});

describe('8. ids, numbers, odd names', () => {
  it('refuses NUL in ids, says 1e309 is out of range, refuses __proto__ by name', async () => {
    const r = await post(`[{"id":"n1","ts":"2026-03-01T10:00:00Z","account":"a\\u0000b","type":"session"},{"id":"n2","ts":"2026-03-01T10:00:00Z","account":"a","type":"usage","meter":"m","quantity":1e309},{"id":"n3","ts":"2026-03-01T10:00:00Z","account":"a","type":"session","__proto__":{"x":1}}]`);
    expect(await r.json()).toMatchObject({
      rejected: 3,
      errors: [
        { pointer: '/0/account', detail: 'contains a control character (U+0000) at index 1' },
        { pointer: '/1/quantity', detail: 'number out of range (beyond ±1.8e308)' },
        { pointer: '/2/__proto__', detail: 'field name "__proto__" is not allowed' },
      ],
    });
  });

  it('`import <dir>` exits 1 naming it; a line nested 5,000 deep is named in the rejects, the rest imported', () => {
    const sub = join(dir, 'a-directory');
    mkdirSync(sub);
    const r = tierwise(['import', sub, '--db', join(dir, 'import.db')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('is a directory');
    const file = join(dir, 'deep.ndjson');
    writeFileSync(file, `${JSON.stringify(usageWire(1))}\n{"id":"d","ts":"2026-03-01T10:00:00Z","account":"a","type":"session","x":${'['.repeat(5_000)}${']'.repeat(5_000)}}\n${JSON.stringify(usageWire(2))}\n`);
    const imp = tierwise(['import', file, '--db', join(dir, 'import.db'), '--json']);
    expect(imp.code).toBe(1);
    expect(JSON.parse(imp.stdout)).toMatchObject({ total: { accepted: 2, rejected: 1 } });
    expect(JSON.parse(readFileSync(`${file}.rejects.ndjson`, 'utf8'))).toMatchObject({ line: 2, error: expect.stringContaining('nested deeper than 16 levels') });
  });
});

describe('8. the dashboard login and forms', () => {
  const form = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });
  const cookieOf = (r: Response, name: string) => r.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  const loginForm = async (headers: Record<string, string> = {}) => {
    const r = await fetch(`${server.url}/login`, { headers });
    const token = /name="csrf" value="([^"]+)"/.exec(await r.text())?.[1] ?? '';
    return { token, cookie: (cookieOf(r, 'tw_login') ?? '').split(';')[0] as string };
  };

  it('needs the login form\'s CSRF token; the session cookie is Secure behind a trusted TLS proxy; a foreign Origin is refused', async () => {
    expect((await form('/login', { key: keys.admin })).status).toBe(403);
    const f = await loginForm();
    expect(f.token.length).toBeGreaterThan(10);
    expect((await form('/login', { key: keys.admin, csrf: 'forged' }, { cookie: f.cookie })).status).toBe(403);
    const ok = await form('/login', { key: keys.admin, csrf: f.token }, { cookie: f.cookie, 'x-forwarded-proto': 'https' });
    expect(ok.status).toBe(303);
    const session = cookieOf(ok, 'tw_session') as string;
    expect(session).toMatch(/; Secure/);
    expect(session).toMatch(/HttpOnly/);
    // a valid form token, posted from another site
    const sid = session.split(';')[0] as string;
    const page = await (await fetch(`${server.url}/`, { headers: { cookie: sid } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] as string;
    expect((await form('/logout', { csrf }, { cookie: sid, origin: 'https://evil.example' })).status).toBe(403);
    expect((await form('/logout', { csrf }, { cookie: sid, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await form('/logout', { csrf }, { cookie: sid, origin: server.url })).status).toBe(200);
  });

  it('limits login attempts per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await form('/login', { key: 'wrong' }, { 'x-forwarded-for': '203.0.113.7' })).status);
    expect(statuses.slice(0, 12).every((s) => s === 403)).toBe(true);
    expect(statuses.slice(12)).toEqual([429, 429]);
    // another address is not affected
    expect((await form('/login', { key: 'wrong' }, { 'x-forwarded-for': '198.51.100.1' })).status).toBe(403);
  });

  it('sends security headers on pages and API answers; the dashboard has no inline script, handler or style', async () => {
    const login = await fetch(`${server.url}/login`);
    const csp = login.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(login.headers.get('x-content-type-options')).toBe('nosniff');
    expect(login.headers.get('referrer-policy')).toBe('same-origin');
    const api = await fetch(`${server.url}/v1/accounts`);
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(api.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await login.text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
  });
});
