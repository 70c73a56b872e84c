// The Slack incoming-webhook channel against a real receiver on 127.0.0.1: a playbook's slack step
// is rendered with Slack's escaping (& < > only, https://api.slack.com/reference/surfaces/formatting#escaping),
// posted as JSON { text }, and a non-2xx answer is a failure the outbox retries (or dead-letters).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/memory-store.ts';
import { DeliveryError, deliverOutbox } from '../../src/app/delivery.ts';
import type { OutboxMessage } from '../../src/app/ports.ts';
import { runPlaybooks } from '../../src/app/scheduler.ts';
import { slackTransport } from '../../src/channels/slack.ts';
import { EXAMPLE_CONFIG, parseConfig } from '../../src/config/load.ts';
import { toPlaybookSettings } from '../../src/config/playbooks-schema.ts';
import { playbookWorld, START } from '../support/playbook-world.ts';
import { readFileSync } from 'node:fs';

interface Hit { method: string; path: string; type: string; body: string }
const hits: Hit[] = [];
let answers: number[] = [];
let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      hits.push({ method: req.method ?? '', path: req.url ?? '', type: String(req.headers['content-type']), body });
      const status = answers.shift() ?? 200;
      // Slack answers "ok" on success and an error word otherwise (e.g. 404 no_service, 400 invalid_payload)
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'no_service');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/XXXX`;
});
afterAll(async () => { await new Promise<void>((r) => server.close(() => r())); });
beforeEach(() => { hits.length = 0; answers = []; });

const RETRY = { baseMs: 1_000, maxMs: 60_000, maxAttempts: 3 };

/** The example config with one playbook: the usage-limit trigger, a day-1 Slack step whose own text has & < > too. */
function slackPlaybooks() {
  const base = readFileSync(EXAMPLE_CONFIG, 'utf8').split('\n# The default playbooks')[0]!;
  return toPlaybookSettings(parseConfig(`${base}
playbooks:
  - id: usage_slack
    name: Usage limit to the account channel
    trigger: { signals: [usage_ceiling, limit_exceeded], min_utilization: 0.8 }
    steps:
      - day: 1
        channel: slack
        title: "Usage limit: {{account_name}}"
        body: "{{account_name}} -> {{target_name}} <!channel> & <https://evil.test|click>"
    success: { target_conversion: 0.1 }
`, 't.yaml'));
}

describe('slack channel', () => {
  it('posts a playbook step as JSON { text }, with & < > escaped in values and template text', async () => {
    const store = createMemoryStore();
    const { deps, engine } = await playbookWorld(store);
    await runPlaybooks({ ...deps, playbooks: slackPlaybooks() }, engine, START);
    const queued = await store.listOutbox({ status: 'pending' });
    expect(queued.map((m) => [m.channel, m.account])).toEqual([['slack', 'acme']]);

    expect(await deliverOutbox(store, { slack: slackTransport({ url }) }, RETRY, START)).toEqual({ delivered: 1, retrying: 0, dead: 0, deferred: 0 });
    expect(hits).toHaveLength(1);
    const hit = hits[0]!;
    expect(hit).toMatchObject({ method: 'POST', path: '/services/T000/B000/XXXX', type: 'application/json' });
    const body = JSON.parse(hit.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['text']);
    // the account is called "Acme <Rockets> & Co": no link, mention or stray entity can come through
    expect(body['text']).toBe('*Usage limit: Acme &lt;Rockets&gt; &amp; Co*\nAcme &lt;Rockets&gt; &amp; Co -&gt; Pro &lt;!channel&gt; &amp; &lt;https://evil.test|click&gt;');
    const text = String(body['text']);
    expect(text).not.toMatch(/[<>]/);
    expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
    expect((await store.listOutbox())[0]).toMatchObject({ status: 'delivered', attempts: 1, deliveredAt: expect.any(Number) });
    await store.close();
  });

  it('a non-2xx answer is a delivery failure: 5xx and 429 retry with backoff, then deliver', async () => {
    const store = createMemoryStore();
    const m: OutboxMessage = { key: 'tw_step_slack1', channel: 'slack', account: 'acme', payload: JSON.stringify({ text: 'hi &amp; bye' }), status: 'pending', attempts: 0, nextAt: START, createdAt: START };
    await store.commitPlaybook({ enqueue: [m] });
    const transports = { slack: slackTransport({ url }) };
    answers = [500, 429];

    expect(await deliverOutbox(store, transports, RETRY, START)).toEqual({ delivered: 0, retrying: 1, dead: 0, deferred: 0 });
    const [after1] = await store.listOutbox();
    expect(after1).toMatchObject({ status: 'pending', attempts: 1, lastError: 'slack answered 500' });
    expect(after1!.nextAt).toBeGreaterThan(START);
    // not due yet: nothing is sent before the backoff
    expect(await deliverOutbox(store, transports, RETRY, START + 1)).toEqual({ delivered: 0, retrying: 0, dead: 0, deferred: 0 });
    expect(hits).toHaveLength(1);

    expect(await deliverOutbox(store, transports, RETRY, after1!.nextAt)).toEqual({ delivered: 0, retrying: 1, dead: 0, deferred: 0 });
    const [after2] = await store.listOutbox();
    expect(after2).toMatchObject({ status: 'pending', attempts: 2, lastError: 'slack answered 429' });

    expect(await deliverOutbox(store, transports, RETRY, after2!.nextAt)).toEqual({ delivered: 1, retrying: 0, dead: 0, deferred: 0 });
    expect(hits.map((h) => h.body)).toEqual(Array(3).fill('{"text":"hi &amp; bye"}'));
    expect((await store.listOutbox())[0]).toMatchObject({ status: 'delivered', attempts: 3 });
    await store.close();
  });

  it('a 4xx (a revoked or wrong webhook) is permanent: the dead letter at once; a receiver that is down is retried', async () => {
    answers = [404];
    const send = slackTransport({ url }).send;
    const m = { key: 'k', channel: 'slack', account: 'acme', payload: '{}', status: 'pending', attempts: 0, nextAt: 0, createdAt: 0 } as const;
    const err = await send(m, { text: 'x' }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ message: 'slack answered 404', permanent: true });

    const store = createMemoryStore();
    await store.commitPlaybook({ enqueue: [{ ...m, key: 'k404' }] });
    answers = [404];
    expect(await deliverOutbox(store, { slack: slackTransport({ url }) }, RETRY, START)).toEqual({ delivered: 0, retrying: 0, dead: 1, deferred: 0 });
    expect((await store.listOutbox())[0]).toMatchObject({ status: 'dead', attempts: 1, lastError: 'slack answered 404' });
    await store.close();

    // nothing listening: a network failure, not permanent
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const down = await slackTransport({ url: `http://127.0.0.1:${deadPort}/x`, timeoutMs: 2_000 }).send(m, { text: 'x' }).then(() => null, (e: unknown) => e);
    expect(down).toBeInstanceOf(DeliveryError);
    expect(down).toMatchObject({ permanent: false });
    expect((down as Error).message).toMatch(/^slack unreachable: /);
  });
});
