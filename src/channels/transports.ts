// Builds the delivery transports from the resolved channel settings. The `task` channel needs no
// transport: tasks are written to the store, and to the webhook as `task` payloads when enabled.
// The CRMs (HubSpot, Salesforce) are transports too: their deals and tasks go through the outbox.
import type { Transports } from '../app/delivery.ts';
import type { CrmSettings } from '../config/crm-schema.ts';
import type { ChannelSettings } from '../config/playbooks-schema.ts';
import { hubspotTransport } from './hubspot.ts';
import { salesforceTransport } from './salesforce.ts';
import { slackTransport } from './slack.ts';
import { smtpTransport } from './smtp.ts';
import { webhookTransport } from './webhook.ts';

export function makeTransports(c: ChannelSettings, crm: CrmSettings = {}): { transports: Transports; close(): void } {
  const transports: Transports = {};
  if (crm.hubspot) transports.hubspot = hubspotTransport(crm.hubspot);
  if (crm.salesforce) transports.salesforce = salesforceTransport(crm.salesforce);
  const closers: (() => void)[] = [];
  if (c.webhook) transports.webhook = webhookTransport(c.webhook);
  if (c.slack) transports.slack = slackTransport(c.slack);
  if (c.email) {
    const smtp = smtpTransport(c.email);
    transports.email = smtp;
    closers.push(() => smtp.close());
  }
  return { transports, close: () => { for (const f of closers) f(); } };
}
