// Small summaries shared by the upsell figures.
import type { Distribution } from './upsell-types.ts';

/** Nearest-rank percentile of sorted values (the convention spreadsheets call PERCENTILE.INC's floor). */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? null;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

export function distribution(days: readonly number[]): Distribution {
  const s = [...days].sort((a, b) => a - b);
  if (s.length === 0) return { count: 0, meanDays: null, medianDays: null, p90Days: null };
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
  return { count: s.length, meanDays: round1(s.reduce((a, b) => a + b, 0) / s.length), medianDays: round1(median), p90Days: round1(percentile(s, 0.9) ?? 0) };
}
