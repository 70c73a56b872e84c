// `tierwise serve`'s playbook runner syncs CSM / AE opportunities into the configured CRM on its own:
// one pass enqueues the deal, task and note and delivers them through the official client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/memory-store.ts';
import type { Store } from '../../src/app/ports.ts';
import { startServer, type RunningServer } from '../../src/compose.ts';
import { HUBSPOT_DEFAULT_STAGES } from '../../src/config/crm-schema.ts';
import { assign, openOpportunity } from '../../src/core/playbooks/opportunity.ts';
import { startHubspotMock, type HubspotMock } from '../support/hubspot-api.ts';
import { testConfig } from './http-helpers.ts';

let hub: HubspotMock;
let store: Store;
let server: RunningServer;
const T0 = Date.now();

beforeAll(async () => {
  hub = await startHubspotMock('pat-runner');
  store = createMemoryStore();
  await store.appendEvents([{ id: 'a1', ts: T0 - 86_400_000, account: 'initech', type: 'account', traits: { name: 'Initech' } }]);
  const brief = { evidence: ['Storage at 95%'], roi: { multiple: null, annualValueCents: 0, annualCostCents: 0 }, comparison: { from: 'Basic', to: 'Pro', gainedFeatures: [], limits: [] }, price: { monthlyDeltaCents: 45_000, arrDeltaCents: 540_000 } };
  const o = assign(openOpportunity({ id: 'opp_initech', account: 'initech', fromPlan: 'basic', target: 'pro', targetName: 'Pro', route: 'csm', segment: 'smb', arrDeltaCents: 540_000, monthlyDeltaCents: 45_000, score: 70, brief }, 'usage_limit', 'storage', T0), 'lee', 'csm', T0, 'csm route');
  await store.commitPlaybook({ opportunities: [o] });
  server = await startServer({
    store, config: testConfig(), port: 0, host: '127.0.0.1', runEngine: true, engineCycleMs: 50, deliverMs: 60_000, playbookRunMs: 60_000,
    crm: { hubspot: { token: 'pat-runner', baseUrl: hub.url, pipeline: 'default', stages: HUBSPOT_DEFAULT_STAGES, owners: { lee: '222' }, externalIdProperty: 'tierwise_opportunity_id', activityKeyProperty: 'tierwise_key', lossReasonProperty: 'closed_lost_reason', closeInDays: 30 } },
  });
});
afterAll(async () => {
  await server.close();
  await store.close();
  await hub.close();
});

describe('the playbook runner and the CRM', () => {
  it('one pass puts the CSM opportunity into HubSpot, with its owner, task and note', async () => {
    const runner = server.tierwise.ctx.playbooks;
    if (!runner) throw new Error('no runner');
    for (let i = 0; i < 3 && hub.notes.length === 0; i++) await runner.pass();
    expect(hub.deals.get('opp_initech')?.properties).toMatchObject({ dealname: 'Initech: upgrade to Pro', hubspot_owner_id: '222', amount: '5400.00' });
    expect(hub.tasks).toHaveLength(1);
    expect(hub.notes).toHaveLength(1);
  }, 30_000);
});
