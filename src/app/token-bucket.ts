// A token bucket per key (an API key, a client address): `perSecond` tokens refill each second up to
// `burst`; a request takes one. Kept per server instance (no process-wide singleton; DESIGN.md section 8).
// Full buckets are forgotten past `maxKeys`, so a flood of addresses cannot grow memory without bound.
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perSecond: number, private readonly burst: number, private readonly now: () => number = () => performance.now(), private readonly maxKeys = 100_000) {}

  /** 0 when the request may go; otherwise the seconds to wait before a token is there. */
  take(key: string): number {
    if (this.perSecond <= 0) return 0;
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxKeys) this.evict(t);
      b = { tokens: this.burst, at: t };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.perSecond);
    b.at = t;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return (1 - b.tokens) / this.perSecond;
  }

  /** Drops the buckets that have refilled (they behave as new ones), else the oldest. */
  private evict(t: number): void {
    for (const [k, b] of this.buckets) if (b.tokens + ((t - b.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(k);
    if (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
  }
}
