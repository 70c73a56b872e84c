// Reference values: Wilson intervals as tabulated by Newcombe (1998, Stat Med 17:857, table I) and
// his worked difference 56/70 vs 48/80 (method 10: 0.0524 to 0.3339); the z-test by hand.
import { describe, expect, it } from 'vitest';
import { compareRates, wilson } from './proportions.ts';

describe('rates with intervals', () => {
  it('Wilson score intervals', () => {
    const cases: [number, number, number, number][] = [[81, 263, 0.2553, 0.3662], [15, 148, 0.0624, 0.1605], [0, 20, 0, 0.1611], [1, 29, 0.0061, 0.1718]];
    for (const [k, n, lo, hi] of cases) {
      const ci = wilson(k, n)!;
      expect(ci[0]).toBeCloseTo(lo, 4);
      expect(ci[1]).toBeCloseTo(hi, 4);
    }
    expect(wilson(0, 0)).toBeNull();
  });

  it("Newcombe's interval for a difference and the pooled z-test", () => {
    const d = compareRates(56, 70, 48, 80)!;
    expect(d.diff).toBeCloseTo(0.2, 10);
    expect(d.ci[0]).toBeCloseTo(0.0524, 4);
    expect(d.ci[1]).toBeCloseTo(0.3339, 4);
    expect(d.p).toBeCloseTo(0.0080, 3);
    const same = compareRates(30, 100, 30, 100)!;
    expect(same.p).toBeCloseTo(1, 6);
    expect(same.ci[0]).toBeLessThan(0);
    expect(same.ci[1]).toBeGreaterThan(0);
  });
});
