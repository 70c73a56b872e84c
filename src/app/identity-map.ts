// Who belongs to which account, as learned from Segment group calls (user -> account) and from
// Stripe metadata (customer -> account). Kept in the store's meta values so it survives restarts.
import type { StateStore } from './ports.ts';

export type IdentityKind = 'segment.user' | 'stripe.customer';

export class IdentityMap {
  // A small cache in front of the store: the same users send many events in a row.
  private readonly cache = new Map<string, string | null>();

  constructor(private readonly store: StateStore, private readonly maxCache = 100_000) {}

  async lookup(kind: IdentityKind, key: string): Promise<string | undefined> {
    const k = `${kind}:${key}`;
    const hit = this.cache.get(k);
    if (hit !== undefined) return hit ?? undefined;
    const v = await this.store.getMeta(k);
    this.remember(k, v ?? null);
    return v;
  }

  /** Records the link; call it after the events that taught it are committed. */
  async learn(kind: IdentityKind, key: string, account: string): Promise<void> {
    const k = `${kind}:${key}`;
    if (this.cache.get(k) === account) return;
    await this.store.setMeta(k, account);
    this.remember(k, account);
  }

  private remember(k: string, v: string | null): void {
    if (this.cache.size >= this.maxCache) this.cache.clear();
    this.cache.set(k, v);
  }
}
