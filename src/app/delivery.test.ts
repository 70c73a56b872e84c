// A hanging webhook must delay only itself (issue #19, 2): concurrent delivery per destination with a
// bound, a circuit breaker per destination, backoff from each attempt, cancellation on shutdown, and a
// lag figure that sees the oldest due message. Real HTTP servers on localhost, a real SQLite store.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../adapters/sqlite/sqlite-store.ts';
import { slackTransport } from '../channels/slack.ts';
import { webhookTransport } from '../channels/webhook.ts';
import { backoffDelay, type BackoffSettings } from '../core/playbooks/backoff.ts';
import { CircuitBreakers, deliverOutbox } from './delivery.ts';
import type { Engine } from './engine.ts';
import type { PlaybookDeps } from './playbook-deps.ts';
import { PlaybookRunner } from './playbook-runner.ts';
import type { OutboxMessage, Store } from './ports.ts';

const NOW = Date.UTC(2026, 2, 1, 12);
const RETRY: BackoffSettings = { baseMs: 60_000, maxMs: 3_600_000, maxAttempts: 8 };

interface Receiver { url: string; hits: number; maxInFlight: number; close(): Promise<void> }

/** A local receiver: `hang` never answers (until closed); otherwise 200 at once. */
async function receiver(hang: boolean): Promise<Receiver> {
  let inFlight = 0;
  const open = new Set<ServerResponse>();
  const r = { url: '', hits: 0, maxInFlight: 0 } as Receiver;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    r.hits++;
    inFlight++;
    r.maxInFlight = Math.max(r.maxInFlight, inFlight);
    req.resume();
    res.on('close', () => { inFlight--; });
    if (hang) open.add(res);
    else res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  r.close = () => new Promise<void>((resolve) => {
    for (const res of open) res.destroy();
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return r;
}

const message = (key: string, channel: OutboxMessage['channel']): OutboxMessage => ({
  key, channel, account: 'acme', payload: JSON.stringify({ text: `hello ${key}`, kind: 'test' }), status: 'pending', attempts: 0, nextAt: NOW, createdAt: NOW,
});

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

async function world(webhooks: number, slacks: number): Promise<Store> {
  const store = openSqliteStore(':memory:');
  cleanup.push(() => store.close());
  await store.commitPlaybook({ enqueue: [...Array.from({ length: webhooks }, (_, i) => message(`w${i}`, 'webhook')), ...Array.from({ length: slacks }, (_, i) => message(`s${i}`, 'slack'))] });
  return store;
}

describe('delivery beside a hanging receiver', () => {
  it('delivers the other destination, holds the hanging one to a few attempts in flight, and opens its breaker', async () => {
    const hanging = await receiver(true);
    const slack = await receiver(false);
    cleanup.push(() => hanging.close(), () => slack.close());
    const store = await world(20, 5);
    const transports = { webhook: webhookTransport({ url: hanging.url, secret: 's', timeoutMs: 300 }), slack: slackTransport({ url: slack.url }) };
    const breakers = new CircuitBreakers({ threshold: 5, openMs: 60_000, maxOpenMs: 600_000 });
    const report = await deliverOutbox(store, transports, RETRY, NOW, { perDestination: 4, breakers });
    // Before: 20 timeouts one after another (and the Slack messages behind them).
    expect(report).toEqual({ delivered: 5, retrying: expect.any(Number), dead: 0, deferred: expect.any(Number) });
    expect(report.retrying + report.deferred).toBe(20);
    // side by side (before: one at a time), bounded; the receiver may see an aborted socket close
    // only after the next attempt's arrives, hence one of slack in its count
    expect(hanging.maxInFlight).toBeGreaterThanOrEqual(2);
    expect(hanging.maxInFlight).toBeLessThanOrEqual(5);
    expect(hanging.hits).toBeLessThanOrEqual(8); // the breaker opened after 5 failures
    expect(report.deferred).toBeGreaterThanOrEqual(12);
    expect(breakers.isOpen('webhook', NOW + 1_000)).toBe(true);
    const after = await store.listOutbox({ status: 'pending' });
    const tried = after.filter((m) => m.attempts === 1);
    const waiting = after.filter((m) => m.attempts === 0);
    expect(tried.length).toBe(report.retrying);
    // deferred messages spent no attempt and wait for the breaker to half-open
    for (const m of waiting) expect(m.nextAt).toBeGreaterThan(NOW + 59_000);
    // a second pass while the breaker is open tries nothing at all
    const hits = hanging.hits;
    expect((await deliverOutbox(store, transports, RETRY, NOW + 30_000, { breakers })).delivered).toBe(0);
    expect(hanging.hits).toBe(hits);
  });

  it('counts the backoff from the end of each attempt, not from the start of the pass', async () => {
    const hanging = await receiver(true);
    cleanup.push(() => hanging.close());
    const store = await world(1, 0);
    const ended = NOW + 93_000; // the attempt ended 93 s into the pass
    await deliverOutbox(store, { webhook: webhookTransport({ url: hanging.url, secret: 's', timeoutMs: 100 }) }, RETRY, NOW, { clock: () => ended });
    const [m] = await store.listOutbox();
    expect(m).toMatchObject({ attempts: 1, nextAt: ended + backoffDelay(1, 'w0', RETRY) });
  });

  it('cancels attempts in flight on abort: nothing lost, nothing counted, retried after restart', async () => {
    const hanging = await receiver(true);
    cleanup.push(() => hanging.close());
    const store = await world(6, 0);
    const abort = new AbortController();
    // a 60 s timeout: only the abort can end this pass within the test's time
    const pass = deliverOutbox(store, { webhook: webhookTransport({ url: hanging.url, secret: 's', timeoutMs: 60_000 }) }, RETRY, NOW, { signal: abort.signal, perDestination: 3 });
    while (hanging.hits < 3) await new Promise((r) => setTimeout(r, 10));
    abort.abort(new Error('SIGTERM'));
    expect(await pass).toEqual({ delivered: 0, retrying: 0, dead: 0, deferred: 6 });
    const after = await store.listOutbox();
    expect(after.map((m) => [m.status, m.attempts, m.nextAt])).toEqual(Array.from({ length: 6 }, () => ['pending', 0, NOW]));
    // the next run delivers them
    const ok = await receiver(false);
    cleanup.push(() => ok.close());
    expect(await deliverOutbox(store, { webhook: webhookTransport({ url: ok.url, secret: 's', timeoutMs: 1_000 }) }, RETRY, NOW + 1)).toMatchObject({ delivered: 6 });
  });

  it('reports the scheduler lag as the age of the oldest due message', async () => {
    const store = await world(0, 0);
    await store.commitPlaybook({ enqueue: [{ ...message('old', 'webhook'), nextAt: NOW - 93_000 }, { ...message('new', 'webhook'), nextAt: NOW - 1_000 }] });
    const runner = new PlaybookRunner({ store } as unknown as PlaybookDeps, {} as Engine, { now: () => NOW, retry: RETRY, transports: { webhook: { send: async () => undefined } } });
    // Before: the lag was how late the last pass *started* (0.0002 s while messages waited 93 s).
    expect(await runner.lagSeconds()).toBe(93);
  });
});

describe('`tierwise run` and SIGTERM', () => {
  it('stops promptly while a webhook hangs: in-flight attempts cancelled, the messages still pending and uncounted', async () => {
    const { mkdtempSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { spawn } = await import('node:child_process');
    const hanging = await receiver(true);
    cleanup.push(() => hanging.close());
    const dir = mkdtempSync(join(tmpdir(), 'tierwise-sigterm-'));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const db = join(dir, 'tw.db');
    const cfg = join(dir, 'tierwise.yaml');
    const root = new URL('../..', import.meta.url).pathname;
    writeFileSync(cfg, `${readFileSync(join(root, 'examples/tierwise.yaml'), 'utf8')}\nchannels:\n  webhook:\n    url: ${hanging.url}\n    timeout_ms: 60000\n`);
    const due = Date.now() - 60_000;
    const seed = openSqliteStore(db);
    await seed.commitPlaybook({ enqueue: Array.from({ length: 6 }, (_, i) => ({ ...message(`k${i}`, 'webhook'), nextAt: due, createdAt: due })) });
    await seed.close();
    const child = spawn(process.execPath, [join(root, 'bin/tierwise.mjs'), 'run', '--db', db, '--config', cfg], { env: { ...process.env, TIERWISE_WEBHOOK_SECRET: 'whsec_test' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    while (hanging.hits < 1) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGTERM');
    // Before: it waited for every 60 s timeout, one after another.
    expect(await exit).toBe(143);
    expect(stderr).toContain('SIGTERM, cancelling deliveries in flight');
    const after = openSqliteStore(db);
    cleanup.push(() => after.close());
    expect((await after.listOutbox()).map((m) => [m.status, m.attempts])).toEqual(Array.from({ length: 6 }, () => ['pending', 0]));
  }, 120_000);
});
