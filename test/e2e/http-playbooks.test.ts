// The pipeline over HTTP, in a server that runs the engine and the playbook scheduler: the scheduler
// opens the opportunity and, days later on the server's clock, delivers its email to a real SMTP
// server; stage, hand-off, trial and close go through the same app actions as the dashboard.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/memory-store.ts';
import type { Store } from '../../src/app/ports.ts';
import { startServer, type RunningServer } from '../../src/compose.ts';
import { keysFor, testConfig } from './http-helpers.ts';

const DAY = 86_400_000;
const mails: string[] = [];
let smtp: SMTPServer;
let store: Store;
let server: RunningServer;
let keys: { ingest: string; admin: string };
let clock = Date.now();
const start = clock;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, _s, cb) { let raw = ''; stream.on('data', (c: Buffer) => { raw += c.toString(); }); stream.on('end', () => { mails.push(raw); cb(); }); },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  store = createMemoryStore();
  keys = await keysFor(store);
  const config = testConfig({ channels: { email: { host: '127.0.0.1', port: smtpPort, from: 'Tierwise <growth@tierwise.test>' } } });
  server = await startServer({ store, config, port: 0, host: '127.0.0.1', now: () => clock, runEngine: true, engineCycleMs: 20, playbookRunMs: 30, deliverMs: 30 });
});
afterAll(async () => {
  await server.close();
  await store.close();
  await new Promise<void>((r) => smtp.close(() => r()));
});

const call = (method: string, path: string, body?: unknown, key = keys.admin) => fetch(`${server.url}${path}`, {
  method, headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
  ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
});
const json = async <T>(r: Response | Promise<Response>, status = 200): Promise<T> => {
  const res = await r;
  const body = await res.json() as T;
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body;
};
async function until<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface Opp { id: string; account: string; stage: string; status: string; owner?: string; history: { detail: string }[]; steps: { channel: string; status: string }[] }

describe('playbooks over HTTP', () => {
  it('the scheduler runs in the server; opportunities, trials and closing work over the API', async () => {
    const t = (ms: number) => new Date(start + ms).toISOString();
    const events = [
      { id: 'a1', ts: t(-40 * DAY), account: 'acme', type: 'account', traits: { name: 'Acme', email: 'ops@acme.test' } },
      { id: 's1', ts: t(-40 * DAY), account: 'acme', type: 'subscription', plan: 'basic', interval: 'month', mrr: 29900, status: 'active' },
      { id: 'u1', ts: t(-60_000), account: 'acme', type: 'usage', meter: 'api_calls', quantity: 9_500, user: 'u1' },
      ...['u1', 'u2', 'u3'].flatMap((user) => [1, 2, 3].map((h) => ({ id: `g-${user}-${h}`, ts: t(-h * 3_600_000), account: 'acme', type: 'gate', feature: 'sso', user }))),
    ];
    await json(call('POST', '/v1/events', events, keys.ingest));

    // Nobody calls a run: the server's scheduler opens the opportunity by itself.
    const listed = await until('an opportunity', async () => {
      const r = await json<{ total: number; opportunities: { id: string; status: string; ageDays: number; openedAt: string }[] }>(call('GET', '/v1/opportunities?account=acme&status=open'));
      return r.total > 0 ? r : undefined;
    });
    const oppId = listed.opportunities[0]!.id;
    expect(listed.opportunities[0]).toMatchObject({ status: 'open', ageDays: 0, openedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect((await json<{ total: number }>(call('GET', '/v1/opportunities?status=won'))).total).toBe(0);
    expect((await call('GET', '/v1/opportunities?stage=nonsense')).status).toBe(400);
    const detail = await json<Opp>(call('GET', `/v1/opportunities/${oppId}`));
    expect(detail.steps.map((s) => s.channel)).toContain('email');
    expect(detail.history.length).toBeGreaterThan(0);

    // Three days later on the server's clock the play's email goes out, to a real SMTP server.
    clock += 3 * DAY;
    await until('the email', async () => (mails.length > 0 ? true : undefined));
    expect(mails[0]).toContain('To: ops@acme.test');
    expect(mails.join('')).toContain('3 users hit the Single sign-on (SSO) paywall 9 times');
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/tierwise_scheduler_lag_seconds \d/);
    expect(metrics).toMatch(/tierwise_playbook_pass_seconds_count [1-9]/);

    // A person's changes: forward only, hand-off to an AE, a trial, then closing with a reason.
    const staged = await json<Opp>(call('POST', `/v1/opportunities/${oppId}/stage`, { stage: 'engaged', note: 'call booked' }));
    expect(staged.stage).toBe('engaged');
    expect(await json(call('POST', `/v1/opportunities/${oppId}/stage`, { stage: 'qualified' }), 409)).toMatchObject({ code: 'conflict' });
    expect(await json(call('POST', `/v1/opportunities/${oppId}/stage`, { stage: 'sideways' }), 400)).toMatchObject({ code: 'invalid_request', errors: [{ pointer: '/stage' }] });
    expect(await json<Opp>(call('POST', `/v1/opportunities/${oppId}/owner`, { to: 'sam' }))).toMatchObject({ owner: 'sam', ownerRole: 'ae', handoff: { to: 'sam', slaHours: 48 } });

    const trial = await json<{ trial: { plan: string; status: string; endsAt: string }; opportunity: string }>(call('POST', '/v1/trials', { account: 'acme', days: 7 }), 201);
    expect(trial).toMatchObject({ trial: { plan: 'pro', status: 'active', endsAt: new Date(clock + 7 * DAY).toISOString() }, opportunity: oppId });
    expect((await json<Opp>(call('GET', `/v1/opportunities/${oppId}`))).stage).toBe('proposal');
    expect(await json(call('POST', '/v1/trials', { account: 'nobody' }), 404)).toMatchObject({ code: 'not_found' });
    expect(await json(call('DELETE', '/v1/trials/acme'))).toMatchObject({ ended: [{ plan: 'pro', status: 'ended' }] });
    expect(await json(call('DELETE', '/v1/trials/acme'))).toEqual({ ended: [] });

    expect(await json(call('POST', `/v1/opportunities/${oppId}/close`, { outcome: 'lost', reason: 'no budget this year' }), 400))
      .toMatchObject({ code: 'invalid_request', detail: expect.stringContaining('closing as lost needs a reason from the objections taxonomy') });
    const closed = await json<Opp>(call('POST', `/v1/opportunities/${oppId}/close`, { outcome: 'lost', loss_reason: 'price_budget', reason: 'no budget this year' }));
    expect(closed).toMatchObject({ sales: { loss: { reason: 'price_budget', note: 'no budget this year' } } });
    expect(closed).toMatchObject({ status: 'lost', stage: 'closed_lost' });
    expect(closed.history.at(-1)?.detail).toContain('no budget this year');
    const openapi = await (await fetch(`${server.url}/openapi.json`)).json() as { paths: Record<string, { post?: { requestBody?: unknown } }> };
    expect(openapi.paths['/v1/opportunities/{id}/close']?.post?.requestBody).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/CloseRequest' } } } });
    expect(closed.steps.some((s) => s.status === 'pending')).toBe(false);
    expect(await json(call('POST', `/v1/opportunities/${oppId}/close`, { outcome: 'won', reason: 'x' }), 409)).toMatchObject({ code: 'conflict' });
    expect(await json(call('POST', '/v1/opportunities/nope/close', { outcome: 'won', reason: 'x' }), 404)).toMatchObject({ code: 'not_found' });
    expect((await call('GET', '/v1/opportunities/nope')).status).toBe(404);
  }, 30_000);

  it('decide and outcomes take ingest keys; the pipeline does not; bad bodies are 400 with pointers', async () => {
    expect(await json(call('POST', '/v1/decide', { account: 'ghost', user: 'u1' }, keys.ingest))).toMatchObject({ show: false, code: 'unknown_account', id: null });
    expect(await json(call('POST', '/v1/decide', { account: 'acme' }, keys.ingest), 400)).toMatchObject({ code: 'invalid_request', errors: [{ pointer: '/user' }] });
    expect((await call('POST', '/v1/decide', { account: 'acme', user: 'u1' }, 'tw_000000000000_nope')).status).toBe(401);
    expect(await json(call('POST', '/v1/prompts/tw_prompt_unknown/outcome', { action: 'clicked' }, keys.ingest), 404)).toMatchObject({ code: 'not_found' });
    expect(await json(call('POST', '/v1/prompts/x/outcome', { action: 'liked' }, keys.ingest), 400)).toMatchObject({ errors: [{ pointer: '/action' }] });
    expect((await call('GET', '/v1/opportunities', undefined, keys.ingest)).status).toBe(403);
    expect((await call('POST', '/v1/trials', { account: 'acme' }, keys.ingest)).status).toBe(403);
    const text = await fetch(`${server.url}/v1/decide`, { method: 'POST', headers: { authorization: `Bearer ${keys.ingest}`, 'content-type': 'text/plain' }, body: '{}' });
    expect(text.status).toBe(415);
  });

  it('revenue metrics by month and quarter, with query errors as 400', async () => {
    const r = await json<{ by: string; periods: unknown[]; from: string }>(call('GET', '/v1/metrics/revenue?by=quarter'));
    expect(r.by).toBe('quarter');
    expect(r.periods.length).toBeGreaterThan(0);
    expect((await call('GET', '/v1/metrics/revenue?from=2026-13')).status).toBe(400);
    expect(await json(call('GET', '/v1/metrics/revenue?from=2026-05&to=2026-01'), 400)).toMatchObject({ code: 'invalid_request', detail: expect.stringContaining('after') });
    expect((await call('GET', '/v1/metrics/revenue', undefined, keys.ingest)).status).toBe(403);
  });
});
