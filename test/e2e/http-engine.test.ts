// tierwise serve's engine, fed by the real Segment client: gate and usage calls become signals
// that show up in GET /v1/accounts (ranked) and GET /v1/accounts/:id/explain.
import { Analytics } from '@segment/analytics-node';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/http/server.ts';
import { testConfig, useServer } from './http-helpers.ts';

const live = useServer((store) => startServer({ store, config: testConfig(), port: 0, host: '127.0.0.1', runEngine: true, engineCycleMs: 50 }));

const get = (path: string, key = live.keys.admin) => fetch(`${live.server.url}${path}`, { headers: { authorization: `Bearer ${key}` } });

describe('engine in the server', () => {
  it('Segment group/track calls become signals in the ranked list and in explain', async () => {
    const now = Date.now();
    const sub = { id: 'sub-1', ts: new Date(now - 20 * 86_400_000).toISOString(), account: 'acme', type: 'subscription', plan: 'basic', interval: 'month', mrr: 29900, status: 'active' };
    const r = await fetch(`${live.server.url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${live.keys.ingest}`, 'content-type': 'application/json' }, body: JSON.stringify([sub]) });
    expect(r.status).toBe(200);

    const analytics = new Analytics({ writeKey: live.keys.ingest, host: live.server.url, flushAt: 100, flushInterval: 20, maxRetries: 1 });
    analytics.group({ userId: 'u1', groupId: 'acme', traits: { name: 'Acme', employees: 40 } });
    for (const user of ['u1', 'u2', 'u3']) {
      for (let i = 0; i < 3; i++) analytics.track({ userId: user, event: 'Upgrade Modal Viewed', properties: { feature: 'sso', account_id: 'acme' }, timestamp: new Date(now - i * 3_600_000) });
    }
    analytics.track({ userId: 'u1', event: 'API Call', properties: { count: 9_500, account_id: 'acme' }, timestamp: new Date(now - 60_000) });
    await analytics.closeAndFlush({ timeout: 10_000 });
    await live.server.tierwise.ctx.engine?.cycle();

    const ranked = await (await get('/v1/accounts?limit=10')).json() as { total: number; accounts: { account: string; score: number; plan: string }[] };
    expect(ranked.accounts[0]).toMatchObject({ account: 'acme', plan: 'basic' });
    expect(ranked.accounts[0]?.score).toBeGreaterThan(0);

    const explained = await (await get('/v1/accounts/acme/explain')).json() as { signals: { id: string; kind: string }[]; score: { score: number } };
    expect(explained.signals.map((s) => s.id)).toContain('feature_gate');
    expect((await get('/v1/accounts/nobody/explain')).status).toBe(404);
    expect((await get('/v1/accounts', live.keys.ingest)).status).toBe(403);
    expect((await get('/v1/accounts?stage=nonsense')).status).toBe(400);

    const metrics = await (await fetch(`${live.server.url}/metrics`)).text();
    expect(metrics).toMatch(/tierwise_engine_seq \d+/);
    expect(metrics).toContain('tierwise_scheduler_lag_seconds');
  }, 30_000);
});
