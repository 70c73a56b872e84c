// The calibrators on data with a known answer: pool-adjacent-violators gives the known monotone fit,
// isotonic calibration keeps the order of raw scores and recovers a shape Platt's sigmoid cannot.
import { describe, expect, it } from 'vitest';
import { applyIsotonic, applyPlatt, fitIsotonic, fitPlatt, pav } from './calibration.ts';
import { reliability } from './metrics.ts';

/** A seeded LCG (Park-Miller): the core takes randomness as a seed, never Math.random. */
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

describe('pool-adjacent-violators', () => {
  it('gives the known non-decreasing fit', () => {
    expect(pav([1, 3, 2, 4, 3, 5])).toEqual([1, 2.5, 2.5, 3.5, 3.5, 5]);
    expect(pav([4, 3, 2, 1])).toEqual([2.5, 2.5, 2.5, 2.5]);
    expect(pav([0, 1, 0, 0, 1, 1])).toEqual([0, 1 / 3, 1 / 3, 1 / 3, 1, 1]);
    expect(pav([1, 2, 3])).toEqual([1, 2, 3]);
    expect(pav([])).toEqual([]);
  });

  it('pools by weight', () => {
    expect(pav([1, 0], [3, 1])).toEqual([0.75, 0.75]);
  });

  it('is non-decreasing and keeps the total on any sequence', () => {
    const r = rng(5);
    const v = Array.from({ length: 500 }, () => r());
    const f = pav(v);
    for (let i = 1; i < f.length; i++) expect(f[i]!).toBeGreaterThanOrEqual(f[i - 1]!);
    expect(f.reduce((a, b) => a + b, 0)).toBeCloseTo(v.reduce((a, b) => a + b, 0), 8);
  });

  it('names the bad input', () => {
    expect(() => pav([1, Number.NaN])).toThrow(/position 1/);
    expect(() => pav([1, 2], [1])).toThrow(/2 values but 1 weights/);
    expect(() => pav([1, 2], [1, 0])).toThrow(/weights positive/);
  });
});

describe('isotonic calibration', () => {
  it('is flat inside each pooled block and linear across the gap to the next', () => {
    // PAV pools scores 2-4 (outcomes 1, 0, 0) into one third, and 5-6 into one
    const c = fitIsotonic([1, 2, 3, 4, 5, 6], [false, true, false, false, true, true]);
    expect(c.x).toEqual([1, 2, 4, 5, 6]);
    expect(c.p).toEqual([0, 1 / 3, 1 / 3, 1, 1]);
    expect(applyIsotonic(c, 3)).toBeCloseTo(1 / 3, 10);
    expect(applyIsotonic(c, 1.5)).toBeCloseTo(1 / 6, 10);
    expect(applyIsotonic(c, 4.5)).toBeCloseTo(2 / 3, 10);
    // flat beyond the fitted range
    expect(applyIsotonic(c, -10)).toBe(0);
    expect(applyIsotonic(c, 99)).toBe(1);
  });

  it('gives equal scores one probability', () => {
    const c = fitIsotonic([2, 1, 2, 1], [true, true, false, false]);
    expect(c).toEqual({ x: [1, 2], p: [0.5, 0.5] });
  });

  it('refuses rows it cannot calibrate on', () => {
    expect(() => fitIsotonic([], [])).toThrow(/no rows/);
    expect(() => fitIsotonic([1, 2], [true])).toThrow(/2 scores but 1 outcomes/);
  });

  // outcomes that jump from 2 % to 40 % at the top tenth of scores: a shape no sigmoid follows
  const stepWorld = (n: number, seed: number) => {
    const r = rng(seed);
    const scores: number[] = [];
    const ys: boolean[] = [];
    for (let i = 0; i < n; i++) { const s = r() * 10; scores.push(s); ys.push(r() < (s >= 9 ? 0.4 : 0.02)); }
    return { scores, ys };
  };

  it('keeps the order of raw scores: its probabilities never fall as the score rises', () => {
    const { scores, ys } = stepWorld(20_000, 7);
    const c = fitIsotonic(scores, ys);
    let prev = -1;
    for (let s = -1; s <= 11; s += 0.01) {
      const p = applyIsotonic(c, s);
      expect(p).toBeGreaterThanOrEqual(prev);
      prev = p;
    }
  });

  it('holds every decile within 2 points on new rows where Platt misses the top one by more than 5', () => {
    const fit = stepWorld(20_000, 8);
    const fresh = stepWorld(20_000, 9);
    const gap = (f: (s: number) => number) =>
      Math.max(...reliability(fresh.scores.map((s, i) => [f(s), fresh.ys[i]!] as const)).map((b) => Math.abs(b.predicted - b.observed)));
    const iso = fitIsotonic(fit.scores, fit.ys);
    const platt = fitPlatt(fit.scores, fit.ys);
    expect(gap((s) => applyIsotonic(iso, s))).toBeLessThan(0.02);
    expect(gap((s) => applyPlatt(platt, s))).toBeGreaterThan(0.05);
  });
});
