// Honest rates: a conversion rate from a few hundred offers has an interval, and a difference
// between two strategies may be noise. Wilson score intervals (good at small counts and rates near
// 0 or 1), Newcombe's hybrid score interval for a difference of two rates (method 10 of Newcombe
// 1998, built from the two Wilson intervals), and the pooled two-proportion z-test for its p-value.
import { errorFunction } from 'simple-statistics';

/** two-sided 95 % */
const Z = 1.959963984540054;

export type Interval = [lo: number, hi: number];

export function wilson(k: number, n: number, z = Z): Interval | null {
  if (n <= 0) return null;
  const p = k / n;
  const z2 = z * z;
  const mid = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, mid - half), Math.min(1, mid + half)];
}

export interface RateDifference {
  /** rate a minus rate b */
  diff: number;
  ci: Interval;
  /** two-sided p-value of "the rates are equal" */
  p: number;
}

export function compareRates(ka: number, na: number, kb: number, nb: number): RateDifference | null {
  const a = wilson(ka, na);
  const b = wilson(kb, nb);
  if (!a || !b) return null;
  const pa = ka / na;
  const pb = kb / nb;
  const diff = pa - pb;
  const ci: Interval = [diff - Math.hypot(pa - a[0], b[1] - pb), diff + Math.hypot(a[1] - pa, pb - b[0])];
  const pooled = (ka + kb) / (na + nb);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb));
  const p = se === 0 ? 1 : 1 - errorFunction(Math.abs(diff) / se / Math.SQRT2);
  return { diff, ci, p };
}
