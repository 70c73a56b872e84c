// Calibration: a monotone map from a raw score (the model's logit, or the rules' 0-100 score) to a
// probability, learned on rows the model was not fitted on. Monotone, so it keeps the ranking and
// only fixes the probabilities.
// - Platt scaling: a one-feature logistic fit; two parameters, so it can only shift and stretch the
//   sigmoid, and an over-confident top end stays over-confident.
// - Isotonic regression (pool-adjacent-violators): the best non-decreasing step fit of the outcomes
//   in score order, with no assumed shape; linear across the gap between two steps.
import { fitLogistic, sigmoid } from './logistic.ts';

export interface Platt { a: number; b: number }

export function fitPlatt(scores: readonly number[], ys: readonly boolean[]): Platt {
  const m = fitLogistic(scores.map((s) => [s]), ys, { l2: 1e-6 });
  // back from the standardized feature to the raw score
  const a = m.weights[0]! / m.sd[0]!;
  return { a, b: m.bias - a * m.mean[0]! };
}

export const applyPlatt = (c: Platt, score: number): number => sigmoid(c.a * score + c.b);

/**
 * Pool-adjacent-violators: the non-decreasing sequence closest (weighted least squares) to `values`,
 * which must already be in score order. Returns one fitted value per input.
 */
export function pav(values: readonly number[], weights?: readonly number[]): number[] {
  if (weights && weights.length !== values.length) throw new RangeError(`pav: ${values.length} values but ${weights.length} weights`);
  const mean: number[] = [];
  const weight: number[] = [];
  const count: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const w = weights ? weights[i]! : 1;
    if (!Number.isFinite(v) || !(w > 0)) throw new RangeError(`pav: value ${v} with weight ${w} at position ${i}: values must be finite and weights positive`);
    mean.push(v); weight.push(w); count.push(1);
    // merge backwards while the newest block breaks the order
    while (mean.length > 1 && mean[mean.length - 2]! >= mean[mean.length - 1]!) {
      const w2 = weight.pop()!; const m2 = mean.pop()!; const c2 = count.pop()!;
      const k = mean.length - 1;
      mean[k] = (mean[k]! * weight[k]! + m2 * w2) / (weight[k]! + w2);
      weight[k] = weight[k]! + w2;
      count[k] = count[k]! + c2;
    }
  }
  return mean.flatMap((m, k) => new Array<number>(count[k]!).fill(m));
}

/** Knots of an isotonic map: at raw score `x[k]` (a block's first or last score) the probability `p[k]`; both non-decreasing. */
export interface Isotonic { x: number[]; p: number[] }

export function fitIsotonic(scores: readonly number[], ys: readonly boolean[]): Isotonic {
  if (scores.length !== ys.length) throw new RangeError(`fitIsotonic: ${scores.length} scores but ${ys.length} outcomes`);
  if (scores.length === 0) throw new RangeError('fitIsotonic: no rows to calibrate on');
  // equal scores must get one probability: pool them before PAV
  const order = scores.map((s, i) => [s, ys[i]! ? 1 : 0] as const).sort((a, b) => a[0] - b[0]);
  const tx: number[] = []; const ty: number[] = []; const tw: number[] = [];
  for (const [s, y] of order) {
    if (tx.length > 0 && tx[tx.length - 1] === s) {
      const k = tx.length - 1;
      ty[k] = (ty[k]! * tw[k]! + y) / (tw[k]! + 1);
      tw[k] = tw[k]! + 1;
    } else { tx.push(s); ty.push(y); tw.push(1); }
  }
  const fitted = pav(ty, tw);
  // knots at the lowest and highest score of each block: flat inside a block (the step PAV fitted),
  // linear only across the gap to the next block
  const x: number[] = []; const p: number[] = [];
  for (let i = 0; i < fitted.length;) {
    let j = i;
    while (j < fitted.length && fitted[j] === fitted[i]) j++;
    x.push(tx[i]!); p.push(fitted[i]!);
    if (j - 1 > i) { x.push(tx[j - 1]!); p.push(fitted[i]!); }
    i = j;
  }
  return { x, p };
}

/** Linear between knots, flat beyond the first and last. */
export function applyIsotonic(c: Isotonic, score: number): number {
  const { x, p } = c;
  if (score <= x[0]!) return p[0]!;
  if (score >= x[x.length - 1]!) return p[p.length - 1]!;
  let lo = 0; let hi = x.length - 1;
  while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (x[mid]! <= score) lo = mid; else hi = mid; }
  const t = (score - x[lo]!) / (x[hi]! - x[lo]!);
  return p[lo]! + t * (p[hi]! - p[lo]!);
}
