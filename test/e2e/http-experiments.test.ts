// Experiments over HTTP and on the dashboard, in an in-process server on a memory store: create
// (bad definitions refused with the field named, a taken id a conflict), list with the configured
// expansion holdout, and the report (the same JSON as the CLI's) once the pipeline has tagged
// opportunities; the /experiments page shows the arms and flags a broken split.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/memory-store.ts';
import type { Store } from '../../src/app/ports.ts';
import { startServer, type RunningServer } from '../../src/compose.ts';
import { openOpportunity, type Opportunity } from '../../src/core/playbooks/opportunity.ts';
import type { ExperimentReport } from '../../src/core/experiments/report.ts';
import { keysFor, testConfig } from './http-helpers.ts';

let store: Store;
let server: RunningServer;
let keys: { ingest: string; admin: string };
const now = Date.parse('2026-04-01T00:00:00Z');

beforeAll(async () => {
  store = createMemoryStore();
  keys = await keysFor(store);
  server = await startServer({ store, config: testConfig({ experiments: { holdout: { share: 0.1, salt: 'http' } } }), port: 0, host: '127.0.0.1', now: () => now, runEngine: false });
});
afterAll(async () => {
  await server.close();
  await store.close();
});

const call = (method: string, path: string, body?: unknown, key = keys.admin) => fetch(`${server.url}${path}`, {
  method, headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
  ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
});

const definition = {
  id: 'limit-copy', playbook: 'usage_limit', step: 1, factor: 'copy', holdout: 0.1,
  variants: [{ id: 'a', template: { body: 'A: {{target_name}}' } }, { id: 'b', template: { body: 'B: {{target_name}}' } }],
};

/** n accounts of `arm`, k of them won. */
function tagged(arm: string, n: number, k: number): Opportunity[] {
  return Array.from({ length: n }, (_, i) => ({
    ...openOpportunity({
      id: `opp:${arm}:${i}`, account: `${arm}-${i}`, fromPlan: 'basic', target: 'pro', targetName: 'Pro', route: 'product_led', segment: 'smb',
      arrDeltaCents: 540_000, monthlyDeltaCents: 45_000, score: 60,
      brief: { evidence: [], roi: { multiple: null, annualValueCents: 0, annualCostCents: 0 }, comparison: { from: 'basic', to: 'pro', gainedFeatures: [], limits: [] }, price: { monthlyDeltaCents: 45_000, arrDeltaCents: 540_000 } },
    }, 'usage_limit', 'test', now - 10 * 86_400_000),
    arms: [{ experiment: 'limit-copy', arm }], ...(i < k ? { status: 'won' as const, stage: 'closed_won' as const, closedAt: now - 86_400_000 } : {}),
  }));
}

async function dashboardCookie(): Promise<string> {
  const form = await fetch(`${server.url}/login`);
  const loginCookie = (form.headers.get('set-cookie') ?? '').split(';')[0]!;
  const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const r = await fetch(`${server.url}/login`, {
    method: 'POST', redirect: 'manual', body: new URLSearchParams({ csrf, key: keys.admin }),
    headers: { cookie: loginCookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(r.status).toBe(303);
  return r.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('tw_session='))!;
}

describe('experiments over HTTP', () => {
  it('refuses a bad definition naming the field, needs an admin key, and creates a good one once', async () => {
    const bad = await call('POST', '/v1/experiments', { ...definition, playbook: 'nope' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toContain('playbook: unknown playbook "nope"');
    expect((await call('POST', '/v1/experiments', definition, keys.ingest)).status).toBe(403);
    const ok = await call('POST', '/v1/experiments', definition);
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ id: 'limit-copy', step: 0, factor: 'copy', holdout: 0.1, createdAt: new Date(now).toISOString() });
    expect((await call('POST', '/v1/experiments', definition)).status).toBe(409);
    const list = await (await call('GET', '/v1/experiments')).json() as { holdout: { share: number }; experiments: { id: string }[] };
    expect(list.holdout).toEqual({ share: 0.1, salt: 'http' });
    expect(list.experiments.map((e) => e.id)).toEqual(['limit-copy']);
    const spec = await (await fetch(`${server.url}/openapi.json`)).json() as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/experiments', '/v1/experiments/{id}/report']));
  });

  it('reports the arms from the tagged pipeline; 404 for an unknown experiment', async () => {
    await store.commitPlaybook({ opportunities: [...tagged('holdout', 40, 2), ...tagged('a', 180, 18), ...tagged('b', 180, 27)] });
    const r = await (await call('GET', '/v1/experiments/limit-copy/report?as_of=2026-04-01')).json() as ExperimentReport & { asOf: string };
    expect(r.arms.map((a) => [a.arm, a.accounts, a.conversions])).toEqual([['holdout', 40, 2], ['a', 180, 18], ['b', 180, 27]]);
    expect(r.srm.mismatch).toBe(false);
    expect(r.lift.find((c) => c.arm === 'all_variants' && c.metric === 'conversion')!.diff).toBeCloseTo(45 / 360 - 0.05, 10);
    expect(r.asOf).toBe('2026-04-01T23:59:59.999Z'); // a date reads as its end, as --as-of does
    expect((await call('GET', '/v1/experiments/nope/report')).status).toBe(404);
    expect((await call('GET', '/v1/experiments/limit-copy/report?as_of=someday')).status).toBe(400);
  });

  it('shows the experiments page, and the mismatch once a split is broken', async () => {
    const cookie = await dashboardCookie();
    const page = async () => (await fetch(`${server.url}/experiments`, { headers: { cookie } })).text();
    const fair = await page();
    expect(fair).toContain('Usage limit upsell, step 1, copy; holdout 10.0%');
    expect(fair).toContain('holdout (organic)');
    expect(fair).toContain('Incremental lift over the holdout (organic expansion)');
    expect(fair).toContain('Expansion holdout (no plays)');
    expect(fair).not.toContain('Sample-ratio mismatch');
    await store.commitPlaybook({ opportunities: tagged('a', 300, 0).map((o) => ({ ...o, id: `${o.id}:more`, account: `${o.account}:more` })) });
    expect(await page()).toContain('<strong>Sample-ratio mismatch</strong>');
  });
});
