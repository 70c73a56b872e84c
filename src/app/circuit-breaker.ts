// A circuit breaker per delivery destination: after `threshold` failures in a row the destination is
// left alone for `openMs` (doubling while it keeps failing, up to `maxOpenMs`); then one probe is let
// through, and its success closes the breaker. Keeps a hanging receiver from eating every pass.

export interface BreakerSettings { threshold: number; openMs: number; maxOpenMs: number }
export const DEFAULT_BREAKER: BreakerSettings = { threshold: 5, openMs: 30_000, maxOpenMs: 600_000 };

interface State { failures: number; openUntil: number; openMs: number; probing: boolean }

export class CircuitBreakers {
  private readonly states = new Map<string, State>();

  constructor(private readonly s: BreakerSettings = DEFAULT_BREAKER) {}

  private state(dest: string): State {
    let st = this.states.get(dest);
    if (!st) this.states.set(dest, (st = { failures: 0, openUntil: 0, openMs: this.s.openMs, probing: false }));
    return st;
  }

  /** 'go' to attempt now, or the epoch ms when the destination may be tried again. */
  admit(dest: string, now: number): 'go' | number {
    const st = this.state(dest);
    if (st.failures < this.s.threshold) return 'go';
    if (now < st.openUntil || st.probing) return Math.max(st.openUntil, now + 1_000);
    st.probing = true; // half-open: this attempt is the probe
    return 'go';
  }

  succeeded(dest: string): void {
    const st = this.state(dest);
    st.failures = 0;
    st.probing = false;
    st.openMs = this.s.openMs;
  }

  failed(dest: string, now: number): void {
    const st = this.state(dest);
    if (st.probing) st.openMs = Math.min(this.s.maxOpenMs, st.openMs * 2);
    st.probing = false;
    st.failures++;
    if (st.failures >= this.s.threshold) st.openUntil = now + st.openMs;
  }

  /** The attempt was cancelled (shutdown): it tells nothing about the destination. */
  released(dest: string): void {
    this.state(dest).probing = false;
  }

  /** Whether the destination's breaker is open at `now` (for status output and tests). */
  isOpen(dest: string, now: number): boolean {
    const st = this.states.get(dest);
    return st !== undefined && st.failures >= this.s.threshold && now < st.openUntil;
  }
}
