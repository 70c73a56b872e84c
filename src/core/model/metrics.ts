// How good a ranking and a probability are: AUC, top-decile lift, Brier score, a reliability table.
// Pure: numbers in, numbers out.

/** Mann-Whitney AUC: the chance a random positive outranks a random negative (ties count half). */
export function auc(pairs: readonly (readonly [score: number, positive: boolean])[]): number {
  const sorted = [...pairs].sort((a, b) => a[0] - b[0]);
  let pos = 0;
  let neg = 0;
  let rankSum = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j]![0] === sorted[i]![0]) j++;
    const avg = (i + j + 1) / 2;
    for (let k = i; k < j; k++) {
      if (sorted[k]![1]) { rankSum += avg; pos++; } else neg++;
    }
    i = j;
  }
  return pos === 0 || neg === 0 ? Number.NaN : (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * The positive rate among the top 10 % by score over the overall rate. Ties at the cut are shared
 * out pro rata, so a score with few distinct values is not flattered by the order rows came in.
 */
export function topDecileLift(pairs: readonly (readonly [score: number, positive: boolean])[], share = 0.1): number {
  const n = pairs.length;
  const positives = pairs.filter((p) => p[1]).length;
  if (n === 0 || positives === 0) return Number.NaN;
  const sorted = [...pairs].sort((a, b) => b[0] - a[0]);
  const k = Math.max(1, Math.round(n * share));
  let taken = 0;
  let hits = 0;
  for (let i = 0; i < n && taken < k;) {
    let j = i;
    let pos = 0;
    while (j < n && sorted[j]![0] === sorted[i]![0]) { if (sorted[j]![1]) pos++; j++; }
    const room = Math.min(j - i, k - taken);
    hits += (pos * room) / (j - i);
    taken += room;
    i = j;
  }
  return hits / k / (positives / n);
}

/** Mean squared error of probabilities against 0/1 outcomes. */
export function brier(pairs: readonly (readonly [p: number, positive: boolean])[]): number {
  if (pairs.length === 0) return Number.NaN;
  let s = 0;
  for (const [p, y] of pairs) s += (p - (y ? 1 : 0)) ** 2;
  return s / pairs.length;
}

export interface ReliabilityBin { from: number; to: number; n: number; predicted: number; observed: number }

/** Deciles of predicted probability: the mean prediction against the observed rate in each. */
export function reliability(pairs: readonly (readonly [p: number, positive: boolean])[], bins = 10): ReliabilityBin[] {
  const sorted = [...pairs].sort((a, b) => a[0] - b[0]);
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const lo = Math.floor((b * sorted.length) / bins);
    const hi = Math.floor(((b + 1) * sorted.length) / bins);
    if (hi <= lo) continue;
    let p = 0;
    let y = 0;
    for (let i = lo; i < hi; i++) { p += sorted[i]![0]; if (sorted[i]![1]) y++; }
    out.push({ from: sorted[lo]![0], to: sorted[hi - 1]![0], n: hi - lo, predicted: p / (hi - lo), observed: y / (hi - lo) });
  }
  return out;
}
