// Retry delays for outbound deliveries: exponential with jitter. The jitter is derived from the
// idempotency key and attempt (a seed), so a replay computes the same schedule.

export interface BackoffSettings { baseMs: number; maxMs: number; maxAttempts: number }
export const DEFAULT_BACKOFF: BackoffSettings = { baseMs: 1_000, maxMs: 3_600_000, maxAttempts: 8 };

function unit(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  return ((h >>> 0) % 10_000) / 10_000;
}

/** Delay before retry number `attempt` (1 = the first retry): base * 2^(attempt-1), capped, 50-100 % of it. */
export function backoffDelay(attempt: number, key: string, s: BackoffSettings): number {
  const ceiling = Math.min(s.maxMs, s.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + 0.5 * unit(`${key}#${attempt}`)));
}

/** After `attempts` failed tries: wait and retry, or give up into the dead letter. */
export function afterFailure(attempts: number, key: string, now: number, s: BackoffSettings): { dead: true } | { dead: false; nextAt: number } {
  if (attempts >= s.maxAttempts) return { dead: true };
  return { dead: false, nextAt: now + backoffDelay(attempts, key, s) };
}
