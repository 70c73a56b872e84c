// How well a score ranks accounts a ground truth marks positive: the Mann-Whitney AUC, the
// probability that a random positive outranks a random negative (ties count half).
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
