// Salesforce round trip with the official jsforce client against a local server that checks each
// request against the REST API's documented shapes: an AE's opportunity becomes an Opportunity
// (StageName, Amount = ARR delta, OwnerId, CloseDate) upserted by its Tierwise external id, with a
// Task for the owner; a stage change updates the same record; a closed-lost outbound message (SOAP)
// closes the Tierwise opportunity with the loss reason and is acknowledged as Salesforce expects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/memory-store.ts';
import { enqueueCrmSync } from '../../src/app/crm-sync.ts';
import { deliverOutbox } from '../../src/app/delivery.ts';
import { moveOpportunityStage } from '../../src/app/opportunity-actions.ts';
import type { Store } from '../../src/app/ports.ts';
import { salesforceTransport } from '../../src/channels/salesforce.ts';
import { startServer, type RunningServer } from '../../src/compose.ts';
import { SALESFORCE_DEFAULT_STAGES, type SalesforceSettings } from '../../src/config/crm-schema.ts';
import { assign, openOpportunity } from '../../src/core/playbooks/opportunity.ts';
import { startSalesforceMock, type SalesforceMock } from '../support/salesforce-api.ts';
import { testConfig } from './http-helpers.ts';

const TOKEN = '00Dxx0000000001!AQ4AQ.session';
const ORG = '00Dxx0000000001EAA';
const RETRY = { baseMs: 1_000, maxMs: 60_000, maxAttempts: 3 };
const T0 = Date.now();
let sf: SalesforceMock;
let store: Store;
let server: RunningServer;
let settings: SalesforceSettings;

const brief = {
  evidence: ['Seats at 48 of 50', 'Security review asked for SSO and audit logs'],
  roi: { multiple: 6, annualValueCents: 36_000_000, annualCostCents: 6_000_000 },
  comparison: { from: 'Pro', to: 'Enterprise', gainedFeatures: ['SSO', 'Audit logs'], limits: [] },
  price: { monthlyDeltaCents: 500_000, arrDeltaCents: 6_000_000 },
};

beforeAll(async () => {
  sf = await startSalesforceMock(TOKEN);
  settings = {
    instanceUrl: sf.url, accessToken: TOKEN, apiVersion: '62.0', organizationId: ORG, outboundToken: 'outbound-secret',
    stages: SALESFORCE_DEFAULT_STAGES, owners: { sam: '005xx000001Sv6AAAS' }, externalIdField: 'Tierwise_Opportunity_Id__c',
    taskKeyField: 'Tierwise_Key__c', lossReasonField: 'Loss_Reason__c', closeInDays: 45,
  };
  store = createMemoryStore();
  await store.appendEvents([{ id: 'a1', ts: T0 - 86_400_000, account: 'globex', type: 'account', traits: { name: 'Globex' } }]);
  const o = assign(openOpportunity({ id: 'opp_globex_ent', account: 'globex', fromPlan: 'pro', target: 'enterprise', targetName: 'Enterprise', route: 'ae', segment: 'enterprise', arrDeltaCents: 6_000_000, monthlyDeltaCents: 500_000, score: 81, brief }, 'seat_ceiling', 'seats at 96%', T0), 'sam', 'ae', T0, 'ae route');
  await store.commitPlaybook({ opportunities: [o] });
  server = await startServer({ store, config: testConfig(), crm: { salesforce: settings }, port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await server.close();
  await store.close();
  await sf.close();
});

const systems = [{ system: 'salesforce' as const, closeInDays: 45 }];
const deliver = (now: number) => deliverOutbox(store, { salesforce: salesforceTransport(settings) }, RETRY, now);
const dayIso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const outbound = (fields: Record<string, string>, org = ORG) => `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>${org}</OrganizationId>
   <ActionId>04kxx0000000001AAA</ActionId>
   <SessionId xsi:nil="true"/>
   <EnterpriseUrl>https://example.my.salesforce.com/services/Soap/c/62.0/00Dxx0000000001</EnterpriseUrl>
   <PartnerUrl>https://example.my.salesforce.com/services/Soap/u/62.0/00Dxx0000000001</PartnerUrl>
   <Notification>
    <Id>04lxx0000000001AAA</Id>
    <sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
     ${Object.entries(fields).map(([k, v]) => `<sf:${k}>${v}</sf:${k}>`).join('\n     ')}
    </sObject>
   </Notification>
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>`;

describe('Salesforce hand-off', () => {
  it('creates the Opportunity (StageName, Amount = ARR delta, OwnerId, CloseDate) and a Task for the AE', async () => {
    expect(await enqueueCrmSync(store, systems, T0)).toBe(2);
    let delivered = 0;
    for (let hour = 0; hour <= 2; hour++) delivered += (await deliver(T0 + hour * 3_600_000)).delivered;
    expect(delivered).toBe(2);
    const opp = sf.opportunities.get('opp_globex_ent');
    expect(opp).toMatchObject({ Name: 'Globex: upgrade to Enterprise', StageName: 'Prospecting', Amount: 60_000, OwnerId: '005xx000001Sv6AAAS', CloseDate: dayIso(T0 + 45 * 86_400_000) });
    const [task] = [...sf.tasks.values()];
    expect(task).toMatchObject({ WhatId: opp?.Id, OwnerId: '005xx000001Sv6AAAS', Status: 'Not Started', Subject: 'Upsell Globex to Enterprise ($60,000 ARR)' });
    expect(String(task?.['Description'])).toContain('Security review asked for SSO and audit logs');
  });

  it('a stage change updates the same Opportunity; redelivering the Task upserts it, never a second one', async () => {
    await moveOpportunityStage(server.tierwise.ctx.playbookDeps, 'opp_globex_ent', 'proposal', T0 + 86_400_000, 'quote sent');
    await enqueueCrmSync(store, systems, T0 + 86_400_000);
    expect(await deliver(T0 + 86_400_000)).toMatchObject({ delivered: 1, dead: 0 });
    expect(sf.opportunities.size).toBe(1);
    expect(sf.opportunities.get('opp_globex_ent')?.['StageName']).toBe('Proposal/Price Quote');
    const task = (await store.listOutbox({ status: 'delivered' })).find((m) => m.key.startsWith('crm_salesforce_task_'));
    await salesforceTransport(settings).send(task as never, JSON.parse(task?.payload ?? '{}'));
    expect(sf.tasks.size).toBe(1);
  });

  it('a closed-lost outbound message closes the opportunity with the reason, and is acknowledged', async () => {
    const url = `${server.url}/webhooks/salesforce?token=outbound-secret`;
    const lost = outbound({ Id: sf.opportunities.get('opp_globex_ent')?.Id ?? '', IsClosed: 'true', IsWon: 'false', StageName: 'Closed Lost', Tierwise_Opportunity_Id__c: 'opp_globex_ent', Loss_Reason__c: 'Chose a competitor' });
    expect((await fetch(`${server.url}/webhooks/salesforce?token=nope`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: lost })).status).toBe(401);
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: outbound({ IsClosed: 'true' }, '00Dxx0000000999') })).status).toBe(403);
    expect((await store.getOpportunity('opp_globex_ent'))?.status).toBe('open');

    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' }, body: lost });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<Ack>true</Ack>');
    const o = await store.getOpportunity('opp_globex_ent');
    expect(o).toMatchObject({ status: 'lost', stage: 'closed_lost' });
    expect(o?.history.at(-1)?.detail).toContain('Chose a competitor');
  });

  it('a record Salesforce refuses (a StageName outside the picklist) goes to the dead letter at once', async () => {
    const bad = { ...settings, stages: { ...settings.stages, engaged: 'Nope' } };
    const o = assign(openOpportunity({ id: 'opp_bad', account: 'globex', fromPlan: 'pro', target: 'enterprise', targetName: 'Enterprise', route: 'ae', segment: 'enterprise', arrDeltaCents: 1, monthlyDeltaCents: 1, score: 1, brief }, 'x', 'x', T0), 'sam', 'ae', T0, 'x');
    await store.commitPlaybook({ opportunities: [{ ...o, stage: 'engaged' }] });
    await enqueueCrmSync(store, systems, T0 + 2 * 86_400_000);
    await deliverOutbox(store, { salesforce: salesforceTransport(bad) }, RETRY, T0 + 2 * 86_400_000);
    const dead = (await store.listOutbox({ status: 'dead' })).find((m) => m.opportunity === 'opp_bad' && m.key.startsWith('crm_salesforce_deal_'));
    expect(dead?.lastError).toContain('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
  });
});
