// HubSpot round trip with the official @hubspot/api-client against a local server that checks each
// request against HubSpot's CRM v3 shapes: a CSM's opportunity becomes a deal (stage, ARR delta,
// owner) with a task and a note holding the brief, through the outbox (retry on 429, dead letter
// on a refusal, nothing doubled on redelivery); a stage change updates the same deal; closing it
// lost in HubSpot (a signed v3 webhook) closes the Tierwise opportunity with the loss reason.
import { Signature } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/memory-store.ts';
import { enqueueCrmSync } from '../../src/app/crm-sync.ts';
import { deliverOutbox } from '../../src/app/delivery.ts';
import { moveOpportunityStage } from '../../src/app/opportunity-actions.ts';
import type { Store } from '../../src/app/ports.ts';
import { hubspotTransport } from '../../src/channels/hubspot.ts';
import { startServer, type RunningServer } from '../../src/compose.ts';
import { HUBSPOT_DEFAULT_STAGES, type HubspotSettings } from '../../src/config/crm-schema.ts';
import { assign, openOpportunity } from '../../src/core/playbooks/opportunity.ts';
import { startHubspotMock, type HubspotMock } from '../support/hubspot-api.ts';
import { testConfig } from './http-helpers.ts';

const TOKEN = 'pat-na1-test';
const SECRET = 'hubspot-client-secret';
const RETRY = { baseMs: 1_000, maxMs: 60_000, maxAttempts: 3 };
let hub: HubspotMock;
let store: Store;
let server: RunningServer;
let settings: HubspotSettings;
const T0 = Date.now();

const brief = {
  evidence: ['API calls at 92% of the 10,000 limit', '3 users met the Audit logs gate this week'],
  roi: { multiple: 8, annualValueCents: 4_320_000, annualCostCents: 540_000 },
  comparison: { from: 'Basic', to: 'Pro', gainedFeatures: ['Audit logs', 'SSO'], limits: [{ meter: 'api_calls', from: 10_000, to: 100_000, observed: 9_200 }] },
  price: { monthlyDeltaCents: 45_000, arrDeltaCents: 540_000 },
};

beforeAll(async () => {
  hub = await startHubspotMock(TOKEN);
  settings = {
    token: TOKEN, clientSecret: SECRET, baseUrl: hub.url, pipeline: 'default', stages: HUBSPOT_DEFAULT_STAGES, owners: { dana: '111' },
    externalIdProperty: 'tierwise_opportunity_id', activityKeyProperty: 'tierwise_key', lossReasonProperty: 'closed_lost_reason', closeInDays: 30,
  };
  store = createMemoryStore();
  await store.appendEvents([{ id: 'a1', ts: T0 - 86_400_000, account: 'acme', type: 'account', traits: { name: 'Acme Corp' } }]);
  const o = assign(openOpportunity({ id: 'opp_acme_pro', account: 'acme', fromPlan: 'basic', target: 'pro', targetName: 'Pro', route: 'csm', segment: 'mid_market', arrDeltaCents: 540_000, monthlyDeltaCents: 45_000, score: 72, brief }, 'usage_limit', 'api_calls at 92%', T0), 'dana', 'csm', T0, 'csm route');
  await store.commitPlaybook({ opportunities: [o] });
  server = await startServer({ store, config: testConfig(), crm: { hubspot: settings }, port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await server.close();
  await store.close();
  await hub.close();
});

const deliver = (now = Date.now()) => deliverOutbox(store, { hubspot: hubspotTransport(settings) }, RETRY, now);
const systems = [{ system: 'hubspot' as const, closeInDays: 30 }];

describe('HubSpot hand-off', () => {
  it('creates the deal (stage, ARR delta, owner), a task for the owner and a note with the brief; a 429 is retried', async () => {
    expect(await enqueueCrmSync(store, systems, T0)).toBe(3);
    hub.failNext(429);
    // The deal meets a 429 and waits for its retry; its task and note wait for the deal.
    expect(await deliver(T0)).toMatchObject({ delivered: 0, retrying: 3, dead: 0 });
    let delivered = 0;
    for (let hour = 1; hour <= 3; hour++) {
      const r = await deliver(T0 + hour * 3_600_000);
      expect(r.dead).toBe(0);
      delivered += r.delivered;
    }
    expect(delivered).toBe(3);
    expect(hub.requests.filter((r) => r.path === '/crm/v3/objects/deals/batch/upsert')).toHaveLength(2);

    expect([...hub.deals.keys()]).toEqual(['opp_acme_pro']);
    const deal = hub.deals.get('opp_acme_pro');
    expect(deal?.properties).toMatchObject({ dealname: 'Acme Corp: upgrade to Pro', pipeline: 'default', dealstage: 'appointmentscheduled', amount: '5400.00', hubspot_owner_id: '111' });
    expect(hub.tasks).toHaveLength(1);
    expect(hub.tasks[0]?.properties).toMatchObject({ hs_task_subject: 'Upsell Acme Corp to Pro ($5,400 ARR)', hs_task_status: 'NOT_STARTED', hubspot_owner_id: '111' });
    expect(hub.tasks[0]?.associations[0]).toEqual({ to: { id: deal?.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 216 }] });
    expect(hub.notes[0]?.properties['hs_note_body']).toContain('3 users met the Audit logs gate this week');
    expect(hub.notes[0]?.associations[0]?.types[0]?.associationTypeId).toBe(214);
  });

  it('a second sync of the same state enqueues nothing new; a redelivered task is not created twice', async () => {
    await enqueueCrmSync(store, systems, T0 + 1);
    expect(await deliver(T0 + 7_200_000)).toMatchObject({ delivered: 0, retrying: 0, dead: 0 });
    const [task] = await store.listOutbox({ status: 'delivered' }).then((l) => l.filter((m) => m.key.startsWith('crm_hubspot_task_')));
    await hubspotTransport(settings).send(task as never, JSON.parse(task?.payload ?? '{}'));
    expect(hub.tasks).toHaveLength(1);
  });

  it('a stage change updates the same deal', async () => {
    await moveOpportunityStage(server.tierwise.ctx.playbookDeps, 'opp_acme_pro', 'engaged', T0 + 86_400_000, 'call booked');
    await enqueueCrmSync(store, systems, T0 + 86_400_000);
    expect(await deliver(T0 + 86_400_000)).toMatchObject({ delivered: 1 });
    expect(hub.deals.size).toBe(1);
    expect(hub.deals.get('opp_acme_pro')?.properties['dealstage']).toBe('decisionmakerboughtin');
  });

  it('closing the deal lost in HubSpot comes back through the signed v3 webhook, with the loss reason', async () => {
    const deal = hub.deals.get('opp_acme_pro');
    if (!deal) throw new Error('no deal');
    deal.properties['dealstage'] = 'closedlost';
    deal.properties['closed_lost_reason'] = 'Budget frozen until Q3';
    const url = `${server.url}/webhooks/hubspot`;
    const body = JSON.stringify([{ eventId: 1, subscriptionId: 22, portalId: 333, appId: 44, occurredAt: Date.now(), subscriptionType: 'deal.propertyChange', attemptNumber: 0, objectId: Number(deal.id), propertyName: 'dealstage', propertyValue: 'closedlost', changeSource: 'CRM_UI' }]);
    const post = (sig: string, ts: number) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': sig, 'x-hubspot-request-timestamp': String(ts) }, body });
    const ts = Date.now();
    const sign = (secret: string, at: number) => Signature.getSignature('POST', 'v3', { clientSecret: secret, requestBody: body, url, timestamp: at, signature: '' });

    expect((await post(sign('wrong-secret', ts), ts)).status).toBe(400);
    expect((await post(sign(SECRET, ts - 400_000), ts - 400_000)).status).toBe(400);
    expect((await store.getOpportunity('opp_acme_pro'))?.status).toBe('open');

    const res = await post(sign(SECRET, ts), ts);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, results: [{ opportunity: 'opp_acme_pro', outcome: 'lost' }] });
    const o = await store.getOpportunity('opp_acme_pro');
    expect(o).toMatchObject({ status: 'lost', stage: 'closed_lost' });
    expect(o?.history.at(-1)?.detail).toContain('Budget frozen until Q3');
    // HubSpot retries a webhook it thinks failed: the second delivery changes nothing.
    expect(await (await post(sign(SECRET, ts), ts)).json()).toEqual({ received: true, results: [{ opportunity: 'opp_acme_pro', outcome: 'already_closed' }] });
  });

  it('a deal HubSpot refuses goes to the dead letter at once', async () => {
    const bad = { ...settings, stages: { ...settings.stages, proposal: 'no_such_stage' } };
    const o = assign(openOpportunity({ id: 'opp_bad', account: 'acme', fromPlan: 'basic', target: 'pro', targetName: 'Pro', route: 'csm', segment: 'smb', arrDeltaCents: 1, monthlyDeltaCents: 1, score: 1, brief }, 'usage_limit', 'x', T0), 'dana', 'csm', T0, 'x');
    await store.commitPlaybook({ opportunities: [{ ...o, stage: 'proposal' }] });
    await enqueueCrmSync(store, systems, T0 + 2 * 86_400_000);
    const r = await deliverOutbox(store, { hubspot: hubspotTransport(bad) }, RETRY, T0 + 2 * 86_400_000);
    expect(r.dead).toBeGreaterThanOrEqual(1);
    const dead = await store.listOutbox({ status: 'dead' });
    expect(dead.find((m) => m.opportunity === 'opp_bad' && m.key.startsWith('crm_hubspot_deal_'))?.lastError).toContain('HubSpot answered 400');
  });
});
