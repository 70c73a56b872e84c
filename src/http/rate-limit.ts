// A token bucket per API key: `perSecond` tokens refill each second up to `burst`; a request
// takes one. Kept per server instance (no process-wide singleton; DESIGN.md section 8).
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perSecond: number, private readonly burst: number, private readonly now: () => number = () => performance.now()) {}

  /** 0 when the request may go; otherwise the seconds to wait before a token is there. */
  take(key: string): number {
    if (this.perSecond <= 0) return 0;
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) {
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
}
