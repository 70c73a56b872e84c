// The statistics of an experiment report: the sample-ratio-mismatch check (chi-square goodness of
// fit), a difference of means with its fixed-horizon 95 % interval, and an always-valid interval
// (an asymptotic confidence sequence, Waudby-Smith et al. 2023, the form GrowthBook uses for its
// sequential testing) that stays valid however often the report is looked at.

const Z95 = 1.959963984540054;

/** ln Gamma(x), Lanczos approximation (g = 7, n = 9). */
function lnGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const y = x - 1;
  let a = c[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularized upper incomplete gamma Q(s, x) (series below s + 1, continued fraction above). */
function gammaQ(s: number, x: number): number {
  if (x <= 0) return 1;
  if (x < s + 1) {
    let sum = 1 / s;
    let term = sum;
    for (let n = 1; n < 500; n++) { term *= x / (s + n); sum += term; if (Math.abs(term) < Math.abs(sum) * 1e-15) break; }
    return 1 - sum * Math.exp(-x + s * Math.log(x) - lnGamma(s));
  }
  // Lentz's continued fraction
  let b = x + 1 - s;
  let c = 1e300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - s);
    b += 2;
    d = an * d + b; if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c; if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return Math.exp(-x + s * Math.log(x) - lnGamma(s)) * h;
}

/** P(X >= x) for a chi-square with `df` degrees of freedom. */
export const chiSquareSurvival = (x: number, df: number): number => gammaQ(df / 2, x / 2);

export interface SrmCheck {
  chiSquare: number;
  df: number;
  p: number;
  /** p below the threshold: the arms' sizes are not what the design says; do not trust the results */
  mismatch: boolean;
}

/** GrowthBook and Optimizely flag a mismatch at p < 0.001: strict, since every report runs the check. */
export const SRM_THRESHOLD = 0.001;

export function srmCheck(observed: Record<string, number>, expectedShare: Record<string, number>): SrmCheck {
  const arms = Object.keys(expectedShare).filter((k) => (expectedShare[k] ?? 0) > 0);
  const n = arms.reduce((a, k) => a + (observed[k] ?? 0), 0);
  const totalShare = arms.reduce((a, k) => a + expectedShare[k]!, 0);
  let chi = 0;
  for (const k of arms) {
    const e = (n * expectedShare[k]!) / totalShare;
    if (e > 0) chi += ((observed[k] ?? 0) - e) ** 2 / e;
  }
  const df = Math.max(1, arms.length - 1);
  const p = n === 0 ? 1 : chiSquareSurvival(chi, df);
  return { chiSquare: chi, df, p, mismatch: p < SRM_THRESHOLD };
}

/** One arm's per-account outcome: how many accounts, the sum and the sum of squares of the metric. */
export interface ArmSample { n: number; sum: number; sumSq: number }

export interface Difference {
  /** treatment mean minus control mean */
  diff: number;
  /** the fixed-horizon 95 % interval (valid if looked at once, at the planned end) */
  ci: [number, number];
  /** the always-valid 95 % interval (valid at every look) */
  sequentialCi: [number, number];
}

const mean = (a: ArmSample): number => (a.n > 0 ? a.sum / a.n : 0);
const variance = (a: ArmSample): number => (a.n > 1 ? Math.max(0, (a.sumSq - a.n * mean(a) ** 2) / (a.n - 1)) : 0);

/**
 * Half-width of the asymptotic confidence sequence for a mean estimated from `n` units with
 * per-unit variance `s2`. `tuning` is the sample size at which the sequence is tightest (GrowthBook's
 * "sequential tuning parameter", default 5,000).
 */
export function sequentialHalfWidth(s2: number, n: number, alpha = 0.05, tuning = 5000): number {
  if (n <= 0) return Number.POSITIVE_INFINITY;
  const rho2 = (-2 * Math.log(alpha) + Math.log(-2 * Math.log(alpha) + 1)) / tuning;
  return Math.sqrt(s2) * Math.sqrt(((2 * (n * rho2 + 1)) / (n * n * rho2)) * Math.log(Math.sqrt(n * rho2 + 1) / alpha));
}

export function difference(treatment: ArmSample, control: ArmSample, tuning = 5000): Difference | null {
  if (treatment.n < 2 || control.n < 2) return null;
  const diff = mean(treatment) - mean(control);
  const se2 = variance(treatment) / treatment.n + variance(control) / control.n;
  const half = Z95 * Math.sqrt(se2);
  // the sequence is built on the pooled sample: per-unit variance = se2 x N
  const n = treatment.n + control.n;
  const seq = sequentialHalfWidth(se2 * n, n, 0.05, tuning);
  return { diff, ci: [diff - half, diff + half], sequentialCi: [diff - seq, diff + seq] };
}
