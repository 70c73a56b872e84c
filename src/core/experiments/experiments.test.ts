// Assignment by hash is stable and follows the design's shares; the SRM check flags a broken split
// and passes a fair one; the always-valid interval is wider than the fixed one and still shrinks.
import { describe, expect, it } from 'vitest';
import { assignArm, expectedShares, HOLDOUT, type ExperimentDesign } from './assign.ts';
import { chiSquareSurvival, difference, sequentialHalfWidth, srmCheck } from './stats.ts';

const design: ExperimentDesign = { id: 'prompt-copy', holdout: 0.1, variants: [{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }] };
const accounts = Array.from({ length: 20_000 }, (_, i) => `acct_${i}`);

describe('assignment by hash', () => {
  it('puts each account in one arm, always the same, in the designed shares', () => {
    const counts: Record<string, number> = {};
    for (const a of accounts) counts[assignArm(design, a)] = (counts[assignArm(design, a)] ?? 0) + 1;
    expect(counts[HOLDOUT]! / accounts.length).toBeCloseTo(0.1, 1);
    expect(counts['a']! / accounts.length).toBeCloseTo(0.45, 1);
    expect(srmCheck(counts, expectedShares(design)).mismatch).toBe(false);
    expect(assignArm(design, 'acct_42')).toBe(assignArm({ ...design }, 'acct_42'));
  });

  it('splits ids that differ only in their last digits in the designed shares, whatever the experiment id', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `acc-${String(i + 1).padStart(6, '0')}`);
    for (const id of ['prompt-copy', 'e2e-holdout', 'x', 'tierwise-holdout']) {
      const d: ExperimentDesign = { ...design, id };
      const counts: Record<string, number> = {};
      for (const a of ids) counts[assignArm(d, a)] = (counts[assignArm(d, a)] ?? 0) + 1;
      // within 4 standard deviations of the binomial: 1,000 +- 120 held out
      expect(Math.abs(counts[HOLDOUT]! - 1000), id).toBeLessThan(120);
      expect(srmCheck(counts, expectedShares(d)).p, id).toBeGreaterThan(0.001);
    }
  });

  it('keeps the holdout when variants are added or reweighted', () => {
    const more: ExperimentDesign = { ...design, variants: [...design.variants, { id: 'c', weight: 3 }] };
    for (const a of accounts.slice(0, 2000)) expect(assignArm(more, a) === HOLDOUT).toBe(assignArm(design, a) === HOLDOUT);
  });
});

describe('sample-ratio mismatch', () => {
  it('matches known chi-square tail values', () => {
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(5.991464547107979, 2)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(0, 3)).toBe(1);
  });

  it('flags a split that lost accounts from one arm', () => {
    const broken = { [HOLDOUT]: 1000, a: 4500, b: 3900 };
    const r = srmCheck(broken, expectedShares(design));
    expect(r.mismatch).toBe(true);
    expect(r.p).toBeLessThan(0.001);
    expect(r.df).toBe(2);
  });
});

describe('differences', () => {
  it('has a sequential interval wider than the fixed one, both around the difference', () => {
    const t = { n: 2000, sum: 300, sumSq: 300 };
    const c = { n: 2000, sum: 240, sumSq: 240 };
    const d = difference(t, c)!;
    expect(d.diff).toBeCloseTo(0.03, 10);
    expect(d.ci[0]).toBeLessThan(d.diff);
    expect(d.sequentialCi[0]).toBeLessThan(d.ci[0]);
    expect(d.sequentialCi[1]).toBeGreaterThan(d.ci[1]);
    expect(sequentialHalfWidth(1, 40_000)).toBeLessThan(sequentialHalfWidth(1, 4000));
    expect(difference({ n: 1, sum: 1, sumSq: 1 }, c)).toBeNull();
  });
});
