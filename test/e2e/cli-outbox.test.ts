// `tierwise outbox` and `tierwise outbox retry` through the real CLI: a webhook receiver on
// 127.0.0.1 that answers 500 sends the message to the dead letter after channels.retry.max_attempts
// runs; once it answers 204, `outbox retry --all-dead` and one `tierwise run` deliver it exactly once,
// with the same idempotency key.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG } from '../../src/config/load.ts';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, verify } from '../../src/channels/webhook.ts';
import { importWorld, tierwiseAsync } from '../support/cli-world.ts';
import { START } from '../support/playbook-world.ts';
import { backoffDelay } from '../../src/core/playbooks/backoff.ts';

const SECRET = 'whsec_outbox_e2e';
const env = { TW_E2E_WEBHOOK_SECRET: SECRET };
const dir = mkdtempSync(join(tmpdir(), 'tierwise-cli-outbox-'));
const db = join(dir, 'store.db');
const config = join(dir, 'tierwise.yaml');
const H = 3_600_000;
const at = (hours: number) => new Date(START + hours * H).toISOString();

interface Hit { key: string; status: number; valid: boolean; body: string }
const hits: Hit[] = [];
let answer = 500;
let server: Server;

const cli = async (...args: string[]) => tierwiseAsync([...args, '--db', db, '-c', config], env);
async function ok(...args: string[]): Promise<string> {
  const r = await cli(...args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}
interface Listed { counts: Record<string, number>; total: number; messages: { key: string; channel: string; account: string; status: string; attempts: number; nextAttemptAt: string | null; lastError: string | null; payload: { type: string; idempotency_key: string } }[] }
const list = async (...args: string[]): Promise<Listed> => JSON.parse(await ok('outbox', ...args, '--json')) as Listed;
const run = async (until: string) => JSON.parse(await ok('run', '--until', until, '--json')) as { delivery: { delivered: number; retrying: number; dead: number } };

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      hits.push({ key: String(req.headers[IDEMPOTENCY_HEADER]), status: answer, valid: verify(SECRET, String(req.headers[SIGNATURE_HEADER] ?? ''), body, Math.floor(Date.now() / 1000)), body });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  const example = readFileSync(EXAMPLE_CONFIG, 'utf8');
  writeFileSync(config, `${example}
channels:
  webhook: { url: "http://127.0.0.1:${port}/hook", secret_env: TW_E2E_WEBHOOK_SECRET, timeout_ms: 5000 }
  retry: { base_ms: 1000, max_ms: 60000, max_attempts: 3 }
`);
  importWorld(dir, db);
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe('tierwise outbox', () => {
  let key = '';

  it('a receiver answering 500: retrying with backoff, then the dead letter after max_attempts runs', async () => {
    // day 1 of the usage-limit play: its in-app step goes to the webhook (channels.webhook is set)
    expect((await run(at(4))).delivery).toEqual({ delivered: 0, retrying: 1, dead: 0, deferred: 0 });
    const retrying = await list('--status', 'retrying');
    expect(retrying.counts).toEqual({ pending: 0, retrying: 1, dead: 0, delivered: 0 });
    expect(retrying.messages).toHaveLength(1);
    const m = retrying.messages[0]!;
    key = m.key;
    expect(m).toMatchObject({ channel: 'webhook', account: 'acme', status: 'retrying', attempts: 1, lastError: 'webhook answered 500' });
    expect(m.payload).toMatchObject({ type: 'in_app_prompt', idempotency_key: key });
    // the next try waits for its backoff (1 s base, 50-100 % jitter), counted from the end of the
    // attempt: the run's time plus the wall time the pass had taken by then
    const next = Date.parse(m.nextAttemptAt!);
    const delay = backoffDelay(1, key, { baseMs: 1_000, maxMs: 60_000, maxAttempts: 3 });
    expect(delay).toBeGreaterThanOrEqual(500);
    expect(next - (START + 4 * H)).toBeGreaterThanOrEqual(delay);
    expect(next - (START + 4 * H)).toBeLessThanOrEqual(delay + 60_000);
    expect((await list('--status', 'pending')).messages).toEqual([]);

    expect((await run(at(5))).delivery).toEqual({ delivered: 0, retrying: 1, dead: 0, deferred: 0 });
    expect((await run(at(6))).delivery).toEqual({ delivered: 0, retrying: 0, dead: 1, deferred: 0 });
    // a later run does not try a dead letter again
    expect((await run(at(7))).delivery).toEqual({ delivered: 0, retrying: 0, dead: 0, deferred: 0 });
    expect(hits.map((h) => [h.key, h.status])).toEqual([[key, 500], [key, 500], [key, 500]]);
    expect(hits.every((h) => h.valid)).toBe(true);
  });

  it('--status dead --json shows it with its attempts and last error; the text view has a summary line', async () => {
    const dead = await list('--status', 'dead');
    expect(dead.counts).toEqual({ pending: 0, retrying: 0, dead: 1, delivered: 0 });
    expect(dead.messages).toEqual([expect.objectContaining({ key, channel: 'webhook', account: 'acme', status: 'dead', attempts: 3, nextAttemptAt: null, lastError: 'webhook answered 500' })]);
    expect((await list('--status', 'delivered')).messages).toEqual([]);
    const text = await ok('outbox');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('outbox: 0 pending, 0 retrying, 1 dead, 0 delivered');
    expect(lines[2]).toMatch(/^key\s+channel\s+account\s+status\s+attempts\s+next attempt\s+last error$/);
    expect(lines[3]).toMatch(new RegExp(`^${key}\\s+webhook\\s+acme\\s+dead\\s+3\\s+-\\s+webhook answered 500$`));
  });

  it('retry needs a key or --all-dead; a key that is not a dead letter changes nothing', async () => {
    const none = await cli('outbox', 'retry');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/needs a message key or --all-dead/);
    const unknown = await cli('outbox', 'retry', 'tw_step_nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no outbox message with key "tw_step_nope"/);
    expect((await list()).counts).toEqual({ pending: 0, retrying: 0, dead: 1, delivered: 0 });
  });

  it('receiver fixed: retry --all-dead puts it back to pending, the next run delivers it once with the same key', async () => {
    answer = 204;
    expect(await ok('outbox', 'retry', '--all-dead')).toBe(`1 dead letter back to pending; the next \`tierwise run\` delivers it:\n  ${key}  webhook  acme\n`);
    const pending = await list();
    expect(pending.counts).toEqual({ pending: 1, retrying: 0, dead: 0, delivered: 0 });
    expect(pending.messages).toEqual([expect.objectContaining({ key, status: 'pending', attempts: 0 })]);

    expect((await run(at(8))).delivery).toEqual({ delivered: 1, retrying: 0, dead: 0, deferred: 0 });
    expect(hits).toHaveLength(4);
    expect(hits[3]).toMatchObject({ key, status: 204, valid: true });
    expect(JSON.parse(hits[3]!.body)).toMatchObject({ type: 'in_app_prompt', account: 'acme', idempotency_key: key });
    expect(JSON.parse(hits[3]!.body)).toEqual(JSON.parse(hits[0]!.body));

    // delivered stays delivered: no second delivery, nothing left to retry
    expect((await run(at(9))).delivery).toEqual({ delivered: 0, retrying: 0, dead: 0, deferred: 0 });
    expect(hits).toHaveLength(4);
    expect((await list('--status', 'delivered')).messages).toEqual([expect.objectContaining({ key, status: 'delivered', attempts: 1 })]);
    expect(await ok('outbox', 'retry', '--all-dead')).toBe('no dead letters to retry\n');
    const again = await cli('outbox', 'retry', key);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(`message ${key} is delivered, not dead`);
  });
});
