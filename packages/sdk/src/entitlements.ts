// The SDK's entitlement cache: can(feature) and limit(meter) answer from memory for a short time so
// a product may call them on every page view.
//
// - An answer is kept for the server's ttlSeconds (30 s today), or `entitlementsTtlMs` if shorter,
//   and never past the moment a trial in it ends (`changesAt`): a trial locks on time.
// - Calls for one account while a fetch is under way share that fetch.
// - Server unreachable (network error, 429 or 5xx): the last answer keeps serving for up to
//   `entitlementsMaxStaleMs` (10 min), but a feature a trial granted is withdrawn once its
//   trial's end has passed. With no usable answer, can() answers `offlineDefault` (false: fail
//   closed, nothing unlocks because the server is down) and limit() answers undefined.
// - Other errors (unknown account, bad key) are thrown: they are bugs to fix, not outages.
import { TierwiseError } from './errors.ts';
import type { EntitlementChange, Entitlements, MeterLimit } from './types.ts';

export interface EntitlementCacheOptions {
  ttlMs: number;
  maxStaleMs: number;
  offlineDefault: boolean;
  now: () => number;
}

interface Entry { value: Entitlements; fetchedAt: number; freshUntil: number }

const outage = (err: unknown): boolean => !(err instanceof TierwiseError) || err.retryable;

export class EntitlementCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Entitlements | undefined>>();
  private readonly listeners = new Set<(c: EntitlementChange) => void>();

  constructor(private readonly fetchOne: (account: string) => Promise<Entitlements>, private readonly o: EntitlementCacheOptions) {}

  onChange(listener: (c: EntitlementChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The account's entitlements as the cache rules allow (undefined: server unreachable and nothing usable cached). */
  async get(account: string): Promise<Entitlements | undefined> {
    const now = this.o.now();
    const e = this.entries.get(account);
    if (e && now < e.freshUntil) return e.value;
    let p = this.inflight.get(account);
    if (!p) {
      p = this.refresh(account).finally(() => this.inflight.delete(account));
      this.inflight.set(account, p);
    }
    return p;
  }

  async can(account: string, feature: string): Promise<boolean> {
    const e = await this.get(account);
    if (!e) return this.o.offlineDefault;
    return e.features.find((f) => f.id === feature)?.available ?? false;
  }

  async limit(account: string, meter: string): Promise<MeterLimit | undefined> {
    return (await this.get(account))?.meters.find((m) => m.id === meter);
  }

  /** Forget an account's answer (after an upgrade the product knows of, say). */
  invalidate(account?: string): void {
    if (account === undefined) this.entries.clear();
    else this.entries.delete(account);
  }

  private async refresh(account: string): Promise<Entitlements | undefined> {
    const before = this.entries.get(account);
    try {
      const value = await this.fetchOne(account);
      const now = this.o.now();
      const changesAt = value.changesAt === null ? Infinity : Date.parse(value.changesAt);
      this.entries.set(account, { value, fetchedAt: now, freshUntil: Math.min(now + Math.min(this.o.ttlMs, value.ttlSeconds * 1000), changesAt) });
      if (before) this.emit(account, before.value, value, 'server');
      return value;
    } catch (err) {
      if (!outage(err)) throw err;
      const now = this.o.now();
      if (!before || now - before.fetchedAt > this.o.maxStaleMs) return undefined;
      const withdrawn = withoutEndedTrials(before.value, now);
      if (withdrawn !== before.value) {
        this.entries.set(account, { ...before, value: withdrawn });
        this.emit(account, before.value, withdrawn, 'trial_ended');
      }
      return withdrawn;
    }
  }

  private emit(account: string, a: Entitlements, b: Entitlements, source: EntitlementChange['source']): void {
    const was = new Set(a.features.filter((f) => f.available).map((f) => f.id));
    const is = new Set(b.features.filter((f) => f.available).map((f) => f.id));
    const change: EntitlementChange = { account, unlocked: [...is].filter((f) => !was.has(f)), locked: [...was].filter((f) => !is.has(f)), source };
    if (change.locked.length === 0 && change.unlocked.length === 0) return;
    for (const l of this.listeners) l(change);
  }
}

/** The answer with every feature a trial granted withdrawn once that trial has ended (the same object when nothing changed). */
function withoutEndedTrials(e: Entitlements, now: number): Entitlements {
  const ended = (f: Entitlements['features'][number]) => f.available && f.via === 'trial' && f.trialEndsAt !== undefined && Date.parse(f.trialEndsAt) <= now;
  if (!e.features.some(ended)) return e;
  return {
    ...e,
    features: e.features.map((f) => (ended(f) ? { id: f.id, name: f.name, available: false, via: null } : f)),
    trials: e.trials.filter((t) => Date.parse(t.endsAt) > now),
  };
}
