// The model's parts on data with a known answer: logistic regression recovers the coefficients that
// generated the labels, Platt scaling recovers a known calibration, the metrics match hand counts,
// and training refuses data it cannot learn from.
import { describe, expect, it } from 'vitest';
import { applyPlatt, fitPlatt } from './calibration.ts';
import { fitLogistic, logit, sigmoid } from './logistic.ts';
import { auc, brier, reliability, topDecileLift } from './metrics.ts';
import { calibrationGap, evaluateModel, predict, trainModel, TrainingError, type Snapshot } from './train.ts';

/** A seeded LCG (Park-Miller): the core takes randomness as a seed, never Math.random. */
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

function world(n: number, seed: number, w: number[], b: number): { xs: number[][]; ys: boolean[] } {
  const r = rng(seed);
  const xs: number[][] = [];
  const ys: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const x = w.map(() => r() * 2 - 1);
    xs.push(x);
    ys.push(r() < sigmoid(b + x.reduce((a, v, j) => a + v * w[j]!, 0)));
  }
  return { xs, ys };
}

describe('logistic regression', () => {
  it('recovers the coefficients that generated the labels', () => {
    const truth = [2, -1, 0];
    const { xs, ys } = world(20_000, 7, truth, -0.5);
    const m = fitLogistic(xs, ys, { l2: 0.01 });
    // weights are per standard deviation: back to the raw scale to compare
    const raw = m.weights.map((v, j) => v / m.sd[j]!);
    expect(raw[0]).toBeCloseTo(2, 0);
    expect(raw[1]).toBeCloseTo(-1, 0);
    expect(Math.abs(raw[2]!)).toBeLessThan(0.1);
    expect(logit(m, [0, 0, 0])).toBeCloseTo(-0.5, 0);
  });

  it('keeps weights finite on separable data when penalized', () => {
    const xs = [[0], [1], [2], [3], [4], [5]];
    const ys = [false, false, false, true, true, true];
    const loose = fitLogistic(xs, ys, { l2: 0.001 });
    const tight = fitLogistic(xs, ys, { l2: 1 });
    expect(Number.isFinite(loose.weights[0]!)).toBe(true);
    expect(tight.weights[0]!).toBeGreaterThan(0);
    expect(tight.weights[0]!).toBeLessThan(loose.weights[0]!);
  });
});

describe('Platt scaling', () => {
  it('maps a score to the probability that generated the outcomes', () => {
    const r = rng(3);
    const scores: number[] = [];
    const ys: boolean[] = [];
    for (let i = 0; i < 20_000; i++) { const s = r() * 100; scores.push(s); ys.push(r() < sigmoid(0.08 * s - 4)); }
    const c = fitPlatt(scores, ys);
    expect(c.a).toBeCloseTo(0.08, 1);
    expect(applyPlatt(c, 50)).toBeCloseTo(0.5, 1);
  });
});

describe('metrics', () => {
  it('AUC, lift, Brier and reliability match hand counts', () => {
    const pairs: [number, boolean][] = [[0.9, true], [0.8, false], [0.7, true], [0.1, false]];
    expect(auc(pairs)).toBe(0.75);
    expect(brier(pairs)).toBeCloseTo((0.01 + 0.64 + 0.09 + 0.01) / 4, 10);
    // 20 rows, 4 positives: the top 2 rows are both positive -> 100 % against 20 % overall = 5x
    const many: [number, boolean][] = Array.from({ length: 20 }, (_, i) => [i, i >= 18 || i === 5 || i === 6]);
    expect(topDecileLift(many)).toBe(5);
    // ties at the cut are shared out: one score for every row gives no lift at all
    expect(topDecileLift(many.map(([, y]) => [1, y]))).toBe(1);
    const bins = reliability(many.map(([s, y]) => [s / 20, y]), 2);
    expect(bins.map((b) => b.n)).toEqual([10, 10]);
    expect(bins[1]!.observed).toBe(0.2);
  });
});

describe('training', () => {
  const weekly = (weeks: number, perWeek: number, seed: number): Snapshot[] => {
    const r = rng(seed);
    const out: Snapshot[] = [];
    for (let w = 0; w < weeks; w++) {
      for (let i = 0; i < perWeek; i++) {
        const a = r();
        const noise = r();
        const y = r() < sigmoid(6 * a - 5);
        out.push({ account: `a${i}`, at: w * 7 * 86_400_000, x: [a, noise], y, rulesScore: Math.round(100 * (0.5 * a + 0.5 * noise)) });
      }
    }
    return out;
  };

  it('fits on the early weeks, judges on the later ones, and beats a noisier rules score', () => {
    // this world is logistic by construction, so Platt is the right calibrator for it; isotonic,
    // below, is noisier on 1,200 calibration rows
    const m = trainModel(weekly(20, 400, 11), { features: ['need', 'noise'], horizonDays: 30, calibration: 'platt' });
    const r = m.report;
    expect(r.fit.to + 30 * 86_400_000).toBeLessThanOrEqual(r.test.from);
    expect(r.calibration.from).toBeGreaterThan(r.fit.to);
    expect(r.model.auc).toBeGreaterThan(r.rules.auc);
    expect(calibrationGap(r.model)).toBeLessThanOrEqual(0.05);
    expect(m.active).toBe(true);
    expect(r.topWeights[0]!.feature).toBe('need');
    // isotonic (the default) ranks the same; with 1,200 calibration rows a pooled block in the middle
    // misses by ~8 points, so the model then stays out of use: noise costs use, never wrong odds
    const iso = trainModel(weekly(20, 400, 11), { features: ['need', 'noise'], horizonDays: 30 });
    expect(iso.report.model.auc).toBeCloseTo(r.model.auc, 12);
    expect(calibrationGap(iso.report.model)).toBeGreaterThan(0.05);
    expect(iso.active).toBe(false);
  });

  it('calibrates isotonically and still ranks every account as its logit does', () => {
    const snaps = weekly(20, 400, 13);
    const m = trainModel(snaps, { features: ['need', 'noise'], horizonDays: 30 });
    expect(m.isotonic).toBeDefined();
    const byLogit = [...snaps].sort((a, b) => logit(m.logistic, a.x) - logit(m.logistic, b.x));
    for (let i = 1; i < byLogit.length; i++) {
      const [lo, hi] = [byLogit[i - 1]!, byLogit[i]!];
      if (logit(m.logistic, hi.x) > logit(m.logistic, lo.x)) expect(predict(m, hi.x)).toBeGreaterThan(predict(m, lo.x));
    }
    // isotonic calibration must not cost ranking: the same AUC as the Platt-calibrated model
    const platt = trainModel(snaps, { features: ['need', 'noise'], horizonDays: 30, calibration: 'platt' });
    expect(platt.isotonic).toBeUndefined();
    expect(m.report.model.auc).toBeCloseTo(platt.report.model.auc, 12);
  });

  it('a model stored before isotonic calibration still predicts with its Platt map', () => {
    const m = trainModel(weekly(20, 400, 14), { features: ['need', 'noise'], horizonDays: 30 });
    const { isotonic, rulesIsotonic, ...old } = m;
    void isotonic; void rulesIsotonic;
    const x = [0.7, 0.2];
    expect(predict(old, x)).toBe(applyPlatt(m.platt, logit(m.logistic, x)));
    expect(evaluateModel(old, weekly(4, 400, 15)).model.rows).toBe(1600);
  });

  it('stays out of use when it does not rank better than the rules', () => {
    const snaps = weekly(20, 400, 12).map((s) => ({ ...s, rulesScore: Math.round(100 * s.x[0]!) }));
    // the model sees only the noise; the rules see the need itself
    const m = trainModel(snaps.map((s) => ({ ...s, x: [s.x[1]!] })), { features: ['noise'], horizonDays: 30 });
    expect(m.active).toBe(false);
  });

  it('refuses history too short to label or with no expansion to learn from', () => {
    expect(() => trainModel(weekly(3, 50, 1), { features: ['need', 'noise'], horizonDays: 30 })).toThrow(TrainingError);
    const none = weekly(20, 50, 2).map((s) => ({ ...s, y: false }));
    expect(() => trainModel(none, { features: ['need', 'noise'], horizonDays: 30 })).toThrow(/no account expanded/);
  });
});
