// The billing period that contains `now`, from the subscription's anchor (Stripe's billing_cycle_anchor).
import type { AccountState } from './types.ts';
import { addMonths } from './time.ts';

export interface Period { start: number; end: number }

export function periodAt(anchorTs: number, interval: 'month' | 'year', now: number): Period {
  const step = interval === 'year' ? 12 : 1;
  // jump close first so a long-lived subscription costs a few steps, not one per month since the anchor
  const approx = Math.max(0, Math.floor((now - anchorTs) / (step * 30.44 * 86_400_000)) - 1);
  let k = approx;
  let start = addMonths(anchorTs, k * step);
  while (start > now && k > 0) start = addMonths(anchorTs, --k * step);
  let end = addMonths(anchorTs, (k + 1) * step);
  while (end <= now) { k++; start = end; end = addMonths(anchorTs, (k + 1) * step); }
  return { start, end };
}

/** The next renewal: traits.renewal_at when it lies ahead, else the end of an annual term. Monthly plans renew every month, which is not a window worth a signal. */
export function nextRenewal(s: AccountState, now: number): number | null {
  if (s.renewalTs > now) return s.renewalTs;
  if (s.interval === 'year' && s.anchorTs > 0 && s.status !== 'canceled') return periodAt(s.anchorTs, 'year', now).end;
  return null;
}
