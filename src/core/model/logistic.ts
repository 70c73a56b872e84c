// L2-regularized logistic regression fitted by Newton's method (IRLS) on standardized features.
// Small and exact: tens of features and tens of thousands of rows converge in a few iterations,
// and the same data always gives the same weights (no random start, no learning-rate schedule).

export interface LogisticModel {
  /** per feature: mean and standard deviation used to standardize, and the weight on the standardized value */
  mean: number[];
  sd: number[];
  weights: number[];
  bias: number;
}

export interface FitOptions { l2: number; maxIterations?: number; tolerance?: number }

export const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Solves A x = b for a symmetric positive definite A (Cholesky); A and b are not modified. */
export function solveSpd(a: number[][], b: number[]): number[] {
  const n = b.length;
  const l: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      if (i === j) l[i]![i] = Math.sqrt(Math.max(s, 1e-12));
      else l[i]![j] = s / l[j]![j]!;
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i]![k]! * y[k]!;
    y[i] = s / l[i]![i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k]![i]! * x[k]!;
    x[i] = s / l[i]![i]!;
  }
  return x;
}

export function logit(m: LogisticModel, x: readonly number[]): number {
  let z = m.bias;
  for (let j = 0; j < m.weights.length; j++) z += m.weights[j]! * ((x[j]! - m.mean[j]!) / m.sd[j]!);
  return z;
}

/** Negative log-likelihood plus the L2 penalty (bias not penalized). */
function loss(z: readonly number[][], ys: readonly boolean[], beta: readonly number[], l2: number): number {
  let l = 0;
  for (let i = 0; i < z.length; i++) {
    let eta = beta[0]!;
    const zi = z[i]!;
    for (let j = 0; j < zi.length; j++) eta += beta[j + 1]! * zi[j]!;
    // log(1 + e^eta) - y * eta, computed without overflow
    l += (eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta))) - (ys[i] ? eta : 0);
  }
  for (let j = 1; j < beta.length; j++) l += 0.5 * l2 * beta[j]! ** 2;
  return l;
}

export function fitLogistic(xs: readonly (readonly number[])[], ys: readonly boolean[], o: FitOptions): LogisticModel {
  const n = xs.length;
  const d = xs[0]?.length ?? 0;
  if (n === 0) throw new Error('fitLogistic: no rows');
  const mean = new Array<number>(d).fill(0);
  const sd = new Array<number>(d).fill(0);
  for (const x of xs) for (let j = 0; j < d; j++) mean[j]! += x[j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  for (const x of xs) for (let j = 0; j < d; j++) sd[j]! += (x[j]! - mean[j]!) ** 2;
  // a constant feature gets sd 1 and, through the penalty, weight 0
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j]! / n) || 1;
  const z = xs.map((x) => x.map((v, j) => (v - mean[j]!) / sd[j]!));
  // parameters: [bias, w_1..w_d]; the bias is not penalized
  let beta = new Array<number>(d + 1).fill(0);
  const pos = ys.filter(Boolean).length;
  beta[0] = Math.log(Math.max(pos, 0.5) / Math.max(n - pos, 0.5));
  const maxIt = o.maxIterations ?? 50;
  const tol = o.tolerance ?? 1e-8;
  for (let it = 0; it < maxIt; it++) {
    const grad = new Array<number>(d + 1).fill(0);
    const hess: number[][] = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const zi = z[i]!;
      let eta = beta[0]!;
      for (let j = 0; j < d; j++) eta += beta[j + 1]! * zi[j]!;
      const p = sigmoid(eta);
      const r = (ys[i] ? 1 : 0) - p;
      const w = Math.max(p * (1 - p), 1e-10);
      grad[0]! += r;
      hess[0]![0]! += w;
      for (let j = 0; j < d; j++) {
        const zj = zi[j]!;
        if (zj === 0) continue;
        grad[j + 1]! += r * zj;
        const row = hess[j + 1]!;
        hess[0]![j + 1]! += w * zj;
        for (let k = 0; k <= j; k++) row[k + 1]! += w * zj * zi[k]!;
      }
    }
    for (let j = 1; j <= d; j++) {
      grad[j]! -= o.l2 * beta[j]!;
      hess[j]![j]! += o.l2;
      for (let k = 1; k < j; k++) hess[k]![j] = hess[j]![k]!;
      hess[j]![0] = hess[0]![j]!;
    }
    const step = solveSpd(hess, grad);
    // a full Newton step can overshoot on near-separable data: halve it until the penalized loss falls
    const before = loss(z, ys, beta, o.l2);
    let t = 1;
    let cand = beta.map((b, j) => b + step[j]!);
    while (t > 1e-4 && loss(z, ys, cand, o.l2) > before + 1e-12) { t /= 2; cand = beta.map((b, j) => b + t * step[j]!); }
    beta = cand;
    if (t * Math.max(...step.map(Math.abs)) < tol) break;
  }
  return { mean, sd, weights: beta.slice(1), bias: beta[0]! };
}
