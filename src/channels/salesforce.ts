// Salesforce through its official Node client (jsforce 3, REST API v62.0 by default): the
// Opportunity upserted by its Tierwise external id (PATCH /services/data/vXX.X/sobjects/Opportunity/
// <external id field>/<id>), its Task upserted by a key field (PATCH .../sobjects/Task/<key field>/<key>)
// with WhatId found by a SOQL query (GET .../query). And the way back: a Salesforce outbound message
// (SOAP, notifications of Opportunity changes) answered with its Ack (docs/crm.md).
import jsforce from 'jsforce';
import { parseStringPromise, processors } from 'xml2js';
import { DeliveryError, type Transport } from '../app/delivery.ts';
import type { CrmPayload } from '../app/crm-sync.ts';
import type { SalesforceSettings } from '../config/crm-schema.ts';

function deliveryError(err: unknown): DeliveryError {
  const e = err as { name?: string; errorCode?: string; message?: string; statusCode?: number; data?: unknown };
  const why = `${e.errorCode ?? e.name ?? 'error'}: ${e.message ?? String(err)}`;
  // Salesforce's own refusals (a bad field, a validation rule, no access) will not get better.
  const permanent = typeof e.errorCode === 'string' && !/UNABLE_TO_LOCK_ROW|REQUEST_LIMIT_EXCEEDED|SERVER_UNAVAILABLE|ECONNREFUSED|ERROR_HTTP_5\d\d|ERROR_HTTP_4(08|29)/.test(e.errorCode);
  return new DeliveryError(`Salesforce: ${why}`, permanent);
}

export function salesforceTransport(s: SalesforceSettings): Transport {
  const conn = new jsforce.Connection({ instanceUrl: s.instanceUrl, accessToken: s.accessToken, version: s.apiVersion });
  const owner = (id: string | undefined): Record<string, string> => {
    const o = id !== undefined ? s.owners[id] : undefined;
    return o ? { OwnerId: o } : {};
  };
  return {
    async send(_m, payload) {
      const p = payload as CrmPayload;
      try {
        if (p.kind === 'deal') {
          await conn.sobject('Opportunity').upsert({
            [s.externalIdField]: p.opportunity, Name: p.name.slice(0, 120), StageName: s.stages[p.stage], Amount: p.amountCents / 100,
            CloseDate: p.closeDate, Description: p.description, ...owner(p.owner),
          }, s.externalIdField);
          return;
        }
        if (p.kind === 'note') return; // the brief rides in the Task's Description
        const opp = await conn.sobject('Opportunity').findOne({ [s.externalIdField]: p.opportunity }, ['Id']);
        if (!opp?.Id) throw new DeliveryError(`Salesforce has no Opportunity with ${s.externalIdField} = ${p.opportunity} yet`);
        await conn.sobject('Task').upsert({
          [s.taskKeyField]: p.key, Subject: p.subject.slice(0, 255), Description: p.body, WhatId: opp.Id,
          ActivityDate: new Date(p.at).toISOString().slice(0, 10), Status: 'Not Started', Priority: 'High', ...owner(p.owner),
        }, s.taskKeyField);
      } catch (err) {
        if (err instanceof DeliveryError) throw err;
        throw deliveryError(err);
      }
    },
  };
}

export interface OutboundOpportunity {
  salesforceId: string;
  opportunity?: string;
  isClosed: boolean;
  isWon: boolean;
  stageName?: string;
  lossReason?: string;
}

/** Reads an outbound message (SOAP 1.1, namespace http://soap.sforce.com/2005/09/outbound). */
export async function parseOutboundMessage(xml: string, s: SalesforceSettings): Promise<{ organizationId: string; notifications: OutboundOpportunity[] }> {
  const doc = await parseStringPromise(xml, { explicitArray: false, tagNameProcessors: [processors.stripPrefix], attrNameProcessors: [processors.stripPrefix], explicitCharkey: false }) as Record<string, unknown>;
  const body = (doc['Envelope'] as Record<string, unknown> | undefined)?.['Body'] as Record<string, unknown> | undefined;
  const n = body?.['notifications'] as Record<string, unknown> | undefined;
  if (!n) throw new Error('not an outbound message: no soapenv:Body/notifications');
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'object' && v !== null && typeof (v as { _?: unknown })._ === 'string' ? (v as { _: string })._ : undefined);
  const list = ([] as unknown[]).concat(n['Notification'] ?? []);
  return {
    organizationId: text(n['OrganizationId']) ?? '',
    notifications: list.map((x) => {
      const o = ((x as Record<string, unknown>)['sObject'] ?? {}) as Record<string, unknown>;
      const opportunity = text(o[s.externalIdField]);
      const stageName = text(o['StageName']);
      const lossReason = text(o[s.lossReasonField]);
      return {
        salesforceId: text(o['Id']) ?? '', isClosed: text(o['IsClosed']) === 'true', isWon: text(o['IsWon']) === 'true',
        ...(opportunity ? { opportunity } : {}), ...(stageName ? { stageName } : {}), ...(lossReason ? { lossReason } : {}),
      };
    }),
  };
}

/** The acknowledgement Salesforce waits for; without it, it retries the message for 24 hours. */
export const OUTBOUND_ACK = '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>';
