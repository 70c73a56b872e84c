// Deduplication by message id alone, for sources whose redeliveries may carry another time
// (Segment and RudderStack: a message without `timestamp` gets the receive time; a client may
// restamp a retry). The store dedupes on (ts, id) (ADR 0002); this pins the ts of the first
// delivery of each id, so every later delivery gets the same (ts, id) and the store drops it.
// Kept in the store's meta values, for as long as the store lives (a window longer than
// Segment's own ~24 h), so a redelivery after a restart is caught too.
import type { StateStore } from './ports.ts';

export class FirstSeen {
  // Pinned times, also those still being written: two requests carrying the same new id at
  // once must get the same time, so the cache is filled before any await.
  private readonly cache = new Map<string, number>();

  constructor(private readonly store: Pick<StateStore, 'getMeta' | 'setMeta'>, private readonly namespace: string, private readonly maxCache = 200_000) {}

  /**
   * The ts to store for `id`: the one pinned by its first delivery, or `ts` (now pinned) when
   * this is the first. Pinned before the events are committed: if the commit then fails, the
   * sender's retry gets the same ts and is stored then; nothing is lost or doubled.
   */
  async pin(id: string, ts: number): Promise<number> {
    const key = `${this.namespace}:${id}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const stored = await this.store.getMeta(key);
    const raced = this.cache.get(key);
    if (raced !== undefined) return raced;
    if (stored !== undefined) {
      const t = Number(stored);
      this.remember(key, t);
      return t;
    }
    this.remember(key, ts);
    await this.store.setMeta(key, String(ts));
    return ts;
  }

  private remember(key: string, ts: number): void {
    // Dropping the cache only costs store reads: the meta values stay the truth.
    if (this.cache.size >= this.maxCache) this.cache.clear();
    this.cache.set(key, ts);
  }
}
