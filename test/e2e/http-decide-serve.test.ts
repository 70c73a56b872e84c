// The "done when": `tierwise serve` (a child process) + the real Segment client + decide.
// Group and track calls make an account ready; POST /v1/decide then shows a prompt in the account's
// own numbers, and the product reports the click.
import { Analytics } from '@segment/analytics-node';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG } from '../../src/config/load.ts';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { listening, tierwiseAsync } from './cli.ts';
import { keysFor } from './http-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'tierwise-decide-'));
const db = join(dir, 'tw.db');
const config = join(dir, 'tierwise.yaml');
let child: ChildProcess | undefined;
afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});


async function serve(): Promise<string> {
  const c = tierwiseAsync(['serve', '--port', '0', '--host', '127.0.0.1', '--db', db, '--config', config]);
  child = c;
  return (await listening(c)).url;
}

describe('tierwise serve + Segment + decide', () => {
  it('Segment track/group calls make an account ready; /v1/decide shows a prompt with its own numbers', async () => {
    // The example catalog plus a Segment mapping (JSON is YAML too).
    // the example config's own Segment mapping (API Call -> usage, Upgrade Modal Viewed -> gate) is what a first user gets
    writeFileSync(config, readFileSync(EXAMPLE_CONFIG, 'utf8'));
    // Keys straight in the store (http-serve.test.ts covers `tierwise keys`): one CLI start less.
    const keyStore = openSqliteStore(db);
    const { ingest, admin } = await keysFor(keyStore);
    await keyStore.close();
    const url = await serve();
    const call = (path: string, k: string, body?: unknown) => fetch(`${url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${k}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

    // Billing says Basic (Stripe would send this; a canonical event stands in for it).
    const now = Date.now();
    const sub = { id: 'sub-acme', ts: new Date(now - 40 * 86_400_000).toISOString(), account: 'acme', type: 'subscription', plan: 'basic', interval: 'month', mrr: 29900, status: 'active' };
    expect((await call('/v1/events', ingest, [sub])).status).toBe(200);

    const analytics = new Analytics({ writeKey: ingest, host: url, flushAt: 100, flushInterval: 20, maxRetries: 1 });
    const errors: unknown[] = [];
    analytics.on('error', (e) => errors.push(e));
    analytics.group({ userId: 'u1', groupId: 'acme', traits: { name: 'Acme', employees: 40 } });
    for (const user of ['u1', 'u2', 'u3']) {
      for (let i = 0; i < 3; i++) analytics.track({ userId: user, event: 'Upgrade Modal Viewed', properties: { feature: 'sso', account_id: 'acme' }, timestamp: new Date(now - (i + 1) * 3_600_000) });
    }
    analytics.track({ userId: 'u1', event: 'API Call', properties: { count: 9_500, account_id: 'acme' }, timestamp: new Date(now - 60_000) });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);

    // The engine folds and rescores every 500 ms inside the server.
    let ready: { account: string; ready: boolean; reasons: string[] } | undefined;
    for (let i = 0; i < 100 && !ready?.ready; i++) {
      const r = await (await call('/v1/accounts?limit=10', admin)).json() as { accounts: { account: string; ready: boolean; reasons: string[] }[] };
      ready = r.accounts.find((a) => a.account === 'acme');
      if (!ready?.ready) await new Promise((res) => setTimeout(res, 100));
    }
    expect(ready, JSON.stringify(ready)).toMatchObject({ account: 'acme', ready: true });

    // The product asks at run time, with its ingest key.
    const res = await call('/v1/decide', ingest, { account: 'acme', user: 'u1', context: { session: 's1', feature: 'sso' } });
    expect(res.status).toBe(200);
    const d = await res.json() as { show: boolean; id: string; prompt: { target: { id: string }; body: string; reasons: string[]; price: { monthlyDeltaCents: number }; comparison: { gainedFeatures: string[] } } };
    expect(d, JSON.stringify(d)).toMatchObject({ show: true, prompt: { target: { id: 'pro' }, price: { monthlyDeltaCents: 74900 - 29900 } } });
    expect(d.prompt.comparison.gainedFeatures).toContain('sso');
    // The account's own numbers: its API calls against its limit, its users at the SSO paywall.
    expect(d.prompt.body).toContain('API calls at 95% of the 10,000 limit');
    expect(d.prompt.reasons).toContain('3 users hit the Single sign-on (SSO) paywall 9 times in the last 30 days');
    expect(d.id).toMatch(/^tw_prompt_/);

    // One prompt per session; the click is recorded against the prompt id.
    expect(await (await call('/v1/decide', ingest, { account: 'acme', user: 'u1', context: { session: 's1' } })).json()).toMatchObject({ show: false, code: 'session_cap' });
    const click = await call(`/v1/prompts/${d.id}/outcome`, ingest, { action: 'clicked' });
    expect(click.status).toBe(200);
    expect(await click.json()).toMatchObject({ id: d.id, account: 'acme', outcome: 'clicked' });

    const c = child as ChildProcess;
    const exited = new Promise<number | null>((resolve) => c.once('exit', (code) => resolve(code)));
    c.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
