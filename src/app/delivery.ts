// Outbound delivery from the outbox (DESIGN §6): at-least-once with the message's idempotency key,
// exponential backoff with jitter between tries, a dead letter after the last one.
// A slow or dead receiver only delays its own messages: each destination (a channel's endpoint) gets
// its own few attempts in flight, all destinations run side by side, and a destination that keeps
// failing opens its circuit breaker so the rest of its messages wait instead of each hanging for the
// timeout. Backoff counts from the end of each attempt, not from the start of the pass. An abort
// (SIGTERM) cancels the attempts in flight; they stay pending, uncounted, and are retried later.
import { afterFailure, type BackoffSettings } from '../core/playbooks/backoff.ts';
import { CircuitBreakers } from './circuit-breaker.ts';
import type { OutboxChannel, OutboxMessage, PlaybookStore } from './ports.ts';

export { CircuitBreakers } from './circuit-breaker.ts';

/** A failed send; `permanent` failures (a 4xx, a rejected address) go to the dead letter at once. */
export class DeliveryError extends Error {
  readonly code = 'delivery_failed';
  constructor(message: string, readonly permanent = false) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface Transport {
  /** `signal` aborts the attempt (shutdown); a transport that cannot abort may finish it */
  send(message: OutboxMessage, payload: unknown, signal?: AbortSignal): Promise<void>;
}
export type Transports = Partial<Record<OutboxChannel, Transport>>;

export interface DeliveryReport { delivered: number; retrying: number; dead: number; /** left pending: breaker open or shutdown */ deferred: number }

export interface DeliveryOptions {
  /** messages per pass at most (default 1,000) */
  limit?: number;
  /** attempts in flight per destination (default 4) */
  perDestination?: number;
  /** breaker state, kept across passes by a long-running caller (default: fresh for this pass) */
  breakers?: CircuitBreakers;
  /** aborts the pass: attempts in flight are cancelled and stay pending */
  signal?: AbortSignal;
  /** epoch ms at the end of an attempt (default: `now` plus the wall time since the pass began) */
  clock?: () => number;
}

export const DEFAULT_PER_DESTINATION = 4;

export async function deliverOutbox(store: PlaybookStore, transports: Transports, retry: BackoffSettings, now: number, opts: DeliveryOptions = {}): Promise<DeliveryReport> {
  const report: DeliveryReport = { delivered: 0, retrying: 0, dead: 0, deferred: 0 };
  const t0 = performance.now();
  const clock = opts.clock ?? (() => now + Math.round(performance.now() - t0));
  const breakers = opts.breakers ?? new CircuitBreakers();
  const due = await store.listOutbox({ status: 'pending', dueBy: now, limit: opts.limit ?? 1_000 });
  const byDestination = new Map<OutboxChannel, OutboxMessage[]>();
  for (const m of due) {
    const list = byDestination.get(m.channel);
    if (list) list.push(m); else byDestination.set(m.channel, [m]);
  }
  const commit = async (update: OutboxMessage) => {
    await store.commitPlaybook({ outboxUpdates: [update] });
    if (update.status === 'delivered') report.delivered++;
    else if (update.status === 'dead') report.dead++;
    else report.retrying++;
  };

  const attempt = async (m: OutboxMessage, t: Transport, dest: string): Promise<void> => {
    const gate = breakers.admit(dest, clock());
    if (gate !== 'go') {
      // The breaker is open: wait for it to half-open, without spending an attempt.
      report.deferred++;
      if (gate > m.nextAt) await store.commitPlaybook({ outboxUpdates: [{ ...m, nextAt: gate }] });
      return;
    }
    try {
      await sendUnlessAborted(t, m, opts.signal);
      breakers.succeeded(dest);
      await commit({ ...m, status: 'delivered', attempts: m.attempts + 1, deliveredAt: clock() });
    } catch (err) {
      if (opts.signal?.aborted) {
        // Shutdown, not the receiver's fault: the message stays as it was and goes out after restart.
        breakers.released(dest);
        report.deferred++;
        return;
      }
      const at = clock();
      breakers.failed(dest, at);
      const attempts = m.attempts + 1;
      const error = err instanceof Error ? err.message : String(err);
      const next = err instanceof DeliveryError && err.permanent ? { dead: true as const } : afterFailure(attempts, m.key, at, retry);
      await commit(next.dead ? { ...m, attempts, status: 'dead', lastError: error } : { ...m, attempts, nextAt: next.nextAt, lastError: error });
    }
  };

  const perDestination = Math.max(1, opts.perDestination ?? DEFAULT_PER_DESTINATION);
  await Promise.all([...byDestination].map(async ([channel, list]) => {
    const t = transports[channel];
    if (!t) {
      for (const m of list) await commit({ ...m, status: 'dead', lastError: `channels.${channel} is not configured` });
      return;
    }
    let next = 0;
    const worker = async () => {
      while (next < list.length && !opts.signal?.aborted) await attempt(list[next++] as OutboxMessage, t, channel);
    };
    await Promise.all(Array.from({ length: Math.min(perDestination, list.length) }, worker));
    if (opts.signal?.aborted) report.deferred += list.length - next;
  }));
  return report;
}

/** The send, or a rejection as soon as `signal` aborts (a transport without abort support is left behind). */
function sendUnlessAborted(t: Transport, m: OutboxMessage, signal: AbortSignal | undefined): Promise<void> {
  const payload: unknown = JSON.parse(m.payload);
  if (!signal) return t.send(m, payload);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    t.send(m, payload, signal).then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
