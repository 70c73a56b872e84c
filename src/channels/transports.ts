// Builds the delivery transports from the resolved channel settings. The `task` channel needs no
// transport: tasks are written to the store, and to the webhook as `task` payloads when enabled.
import type { Transports } from '../app/delivery.ts';
import type { ChannelSettings } from '../config/playbooks-schema.ts';
import { slackTransport } from './slack.ts';
import { smtpTransport } from './smtp.ts';
import { webhookTransport } from './webhook.ts';

export function makeTransports(c: ChannelSettings): { transports: Transports; close(): void } {
  const transports: Transports = {};
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
