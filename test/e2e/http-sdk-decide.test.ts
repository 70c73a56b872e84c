// @tierwise/sdk's run-time calls against the real server on 127.0.0.1: decide, recordOutcome and
// startTrial, with their typed answers and errors.
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/compose.ts';
import { TierwiseClient, TierwiseError, type Decision } from '../../packages/sdk/src/index.ts';
import { testConfig, useServer } from './http-helpers.ts';

const live = useServer((store) => startServer({ store, config: testConfig(), port: 0, host: '127.0.0.1', runEngine: true, engineCycleMs: 20 }));

describe('@tierwise/sdk decide, recordOutcome, startTrial', () => {
  it('the product asks, shows, reports the click; an admin starts a trial and the prompt stops', async () => {
    const product = new TierwiseClient({ baseUrl: live.server.url, apiKey: live.keys.ingest, flushIntervalMs: 0, maxRetries: 0 });
    const now = Date.now();
    product.identifyAccount('globex', { name: 'Globex' }, { ts: new Date(now - 40 * 86_400_000) });
    product.track({ type: 'subscription', account: 'globex', plan: 'basic', interval: 'month', mrr: 29900, status: 'active', ts: new Date(now - 40 * 86_400_000) });
    product.usage('globex', 'api_calls', 9_200, { user: 'u1', ts: new Date(now - 60_000) });
    for (const user of ['u1', 'u2', 'u3']) for (let h = 1; h <= 3; h++) product.gate('globex', 'audit_logs', { user, ts: new Date(now - h * 3_600_000) });
    await product.flush();
    await live.server.tierwise.ctx.engine?.cycle();

    const d: Decision = await product.decide('globex', 'u2', { session: 'sess-1', feature: 'audit_logs' });
    if (!d.show) throw new Error(`expected a prompt: ${d.code} ${d.reason}`);
    expect(d.prompt.target).toEqual({ id: 'pro', name: 'Pro' });
    expect(d.prompt.body).toContain('API calls at 92% of the 10,000 limit');
    expect(d.prompt.price.monthlyDeltaCents).toBe(45_000);

    const rec = await product.recordOutcome(d.id, 'clicked');
    expect(rec).toMatchObject({ id: d.id, account: 'globex', user: 'u2', outcome: 'clicked', outcomeAt: expect.stringMatching(/Z$/) });
    expect(await product.recordOutcome(d.id, 'clicked')).toMatchObject({ outcome: 'clicked' }); // idempotent

    const err = await product.startTrial('globex').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TierwiseError);
    expect(err).toMatchObject({ status: 403, code: 'forbidden' });

    const admin = new TierwiseClient({ baseUrl: live.server.url, apiKey: live.keys.admin, flushIntervalMs: 0 });
    const started = await admin.startTrial('globex', { days: 10, user: 'csm-dana' });
    expect(started.trial).toMatchObject({ account: 'globex', plan: 'pro', fromPlan: 'basic', status: 'active', user: 'csm-dana' });
    expect(Date.parse(started.trial.endsAt) - Date.parse(started.trial.startedAt)).toBe(10 * 86_400_000);
    expect(await product.decide('globex', 'u3', { session: 'sess-2', feature: 'audit_logs' })).toMatchObject({ show: false, code: 'on_trial' });

    const missing = await product.recordOutcome('tw_prompt_nope', 'dismissed').catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, code: 'not_found' });
    await product.close();
    await admin.close();
  }, 30_000);
});
