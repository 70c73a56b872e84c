// Outbound delivery from the outbox (DESIGN §6): at-least-once with the message's idempotency key,
// exponential backoff with jitter between tries, a dead letter after the last one. A receiver that
// is down only delays its own messages.
import { afterFailure, type BackoffSettings } from '../core/playbooks/backoff.ts';
import type { OutboxChannel, OutboxMessage, PlaybookStore } from './ports.ts';

/** A failed send; `permanent` failures (a 4xx, a rejected address) go to the dead letter at once. */
export class DeliveryError extends Error {
  readonly code = 'delivery_failed';
  constructor(message: string, readonly permanent = false) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface Transport {
  send(message: OutboxMessage, payload: unknown): Promise<void>;
}
export type Transports = Partial<Record<OutboxChannel, Transport>>;

export interface DeliveryReport { delivered: number; retrying: number; dead: number }

export async function deliverOutbox(store: PlaybookStore, transports: Transports, retry: BackoffSettings, now: number, opts: { limit?: number } = {}): Promise<DeliveryReport> {
  const report: DeliveryReport = { delivered: 0, retrying: 0, dead: 0 };
  const due = await store.listOutbox({ status: 'pending', dueBy: now, limit: opts.limit ?? 1_000 });
  for (const m of due) {
    const t = transports[m.channel];
    let update: OutboxMessage;
    if (!t) {
      update = { ...m, status: 'dead', lastError: `channels.${m.channel === 'email' ? 'email' : m.channel} is not configured` };
    } else {
      try {
        await t.send(m, JSON.parse(m.payload));
        update = { ...m, status: 'delivered', attempts: m.attempts + 1, deliveredAt: now };
      } catch (err) {
        const attempts = m.attempts + 1;
        const error = err instanceof Error ? err.message : String(err);
        const next = err instanceof DeliveryError && err.permanent ? { dead: true as const } : afterFailure(attempts, m.key, now, retry);
        update = next.dead ? { ...m, attempts, status: 'dead', lastError: error } : { ...m, attempts, nextAt: next.nextAt, lastError: error };
      }
    }
    await store.commitPlaybook({ outboxUpdates: [update] });
    if (update.status === 'delivered') report.delivered++;
    else if (update.status === 'dead') report.dead++;
    else report.retrying++;
  }
  return report;
}
