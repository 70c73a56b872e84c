import { describe, expect, it } from 'vitest';
import { Rng, mixSeed } from './rng.ts';

describe('Rng', () => {
  it('repeats for a seed and differs across seeds', () => {
    const a = new Rng(42); const b = new Rng(42); const c = new Rng(43);
    const xs = Array.from({ length: 5 }, () => a.u32());
    expect(Array.from({ length: 5 }, () => b.u32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.u32())).not.toEqual(xs);
  });

  it('is uniform enough: mean of float() near 0.5, normal() near N(0,1)', () => {
    const r = new Rng(mixSeed(7, 1));
    let s = 0; let n = 0; let n2 = 0;
    for (let i = 0; i < 20000; i++) { s += r.float(); const z = r.normal(); n += z; n2 += z * z; }
    expect(s / 20000).toBeGreaterThan(0.49); expect(s / 20000).toBeLessThan(0.51);
    expect(Math.abs(n / 20000)).toBeLessThan(0.03);
    expect(n2 / 20000).toBeGreaterThan(0.95); expect(n2 / 20000).toBeLessThan(1.05);
  });
});
