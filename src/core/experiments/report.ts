// An experiment's report from what the pipeline recorded: each account's arm (tagged on its
// opportunities at exposure), whether it expanded (an opportunity of that arm closed won, which the
// subscription decides) and by how much MRR. Per arm: accounts, conversion, expansion MRR; the
// sample-ratio check against the design; each variant against the holdout (the incremental lift
// over organic expansion) and against the first variant, with the fixed and the always-valid 95 %
// intervals. Verdicts use the always-valid one, so a report read every day stays honest
// (docs/adr/0012-experiments.md).
import type { Opportunity } from '../playbooks/opportunity.ts';
import { expectedShares, HOLDOUT } from './assign.ts';
import { designOf, EXPANSION_HOLDOUT, holdoutDesign, PLAYS_ARM } from './apply.ts';
import { difference, srmCheck, type ArmSample, type SrmCheck } from './stats.ts';
import type { Experiment, HoldoutSetting } from './types.ts';

export interface ArmResult {
  arm: string;
  accounts: number;
  expectedShare: number;
  observedShare: number;
  conversions: number;
  rate: number;
  expansionMrrCents: number;
  mrrPerAccountCents: number;
}

export type Metric = 'conversion' | 'expansion_mrr';
export type Verdict = 'better' | 'worse' | 'inconclusive';

export interface Comparison {
  /** an arm id, or ALL_VARIANTS for every variant pooled */
  arm: string;
  against: string;
  metric: Metric;
  /** arm minus against: a rate (0..1) or cents per account */
  diff: number;
  ci: [number, number];
  sequentialCi: [number, number];
  /** diff over the baseline's mean; null when the baseline is 0 */
  relative: number | null;
  /** from the always-valid interval: does it exclude 0? */
  verdict: Verdict;
}

export interface ExperimentReport {
  id: string;
  name: string;
  playbook: string | null;
  step: number | null;
  factor: string | null;
  holdout: number;
  status: Experiment['status'];
  createdAt: number;
  asOf: number;
  accounts: number;
  arms: ArmResult[];
  srm: SrmCheck;
  /** variants (and all of them pooled) against the holdout: what the plays add to organic expansion */
  lift: Comparison[];
  /** each variant against the first one */
  ab: Comparison[];
  /** the report's one-line reading, in words */
  summary: string;
}

export const ALL_VARIANTS = 'all_variants';

/** The expansion holdout reported like an experiment: holdout against every account that may get plays. */
export function holdoutExperiment(h: HoldoutSetting, createdAt = 0): Experiment {
  return {
    id: EXPANSION_HOLDOUT, name: 'Expansion holdout (no plays)', playbook: '*', step: 0, factor: 'copy', holdout: h.share,
    variants: [{ id: PLAYS_ARM, weight: 1 }], createdAt, status: 'running',
  };
}

interface Unit { arm: string; first: number; converted: boolean; mrr: number }

/** Each account's arm (its earliest tagged opportunity's), conversion and expansion MRR, as known at `asOf`. */
function unitsOf(id: string, opps: readonly Opportunity[], asOf: number): Map<string, Unit> {
  const units = new Map<string, Unit>();
  for (const o of [...opps].filter((x) => x.openedAt <= asOf).sort((a, b) => a.openedAt - b.openedAt || a.id.localeCompare(b.id))) {
    const tag = o.arms?.find((a) => a.experiment === id);
    if (!tag) continue;
    let u = units.get(o.account);
    if (!u) { u = { arm: tag.arm, first: o.openedAt, converted: false, mrr: 0 }; units.set(o.account, u); }
    if (tag.arm !== u.arm) continue; // a later opportunity that disagrees is the assignment's fault; the SRM check sees the first
    if (o.status === 'won' && (o.closedAt ?? 0) <= asOf) { u.converted = true; u.mrr += Math.max(0, o.monthlyDeltaCents); }
  }
  return units;
}

const sampleOf = (values: number[]): ArmSample => ({ n: values.length, sum: values.reduce((a, v) => a + v, 0), sumSq: values.reduce((a, v) => a + v * v, 0) });

const meanOf = (a: ArmSample): number => (a.n > 0 ? a.sum / a.n : 0);
const varianceOf = (a: ArmSample): number => (a.n > 1 ? Math.max(0, (a.sumSq - a.n * meanOf(a) ** 2) / (a.n - 1)) : 0);

/**
 * The samples the intervals are computed from. An arm with no conversions (a small holdout often
 * has none) has a sample variance of 0, and a Welch interval would treat its rate as known exactly:
 * 0 of 91 read as "certainly 0 %". For conversion, Agresti and Caffo's adjustment (one success and
 * one failure added to each arm) keeps the interval honest at small counts; for MRR, an arm with no
 * spread borrows the two arms' pooled variance.
 */
function forInterval(metric: Metric, t: ArmSample, c: ArmSample): [ArmSample, ArmSample] {
  if (metric === 'conversion') return [t, c].map((a) => ({ n: a.n + 2, sum: a.sum + 1, sumSq: a.sumSq + 1 })) as [ArmSample, ArmSample];
  const pooled: ArmSample = { n: t.n + c.n, sum: t.sum + c.sum, sumSq: t.sumSq + c.sumSq };
  const v = varianceOf(pooled);
  const floor = (a: ArmSample): ArmSample => (varianceOf(a) > 0 || a.n < 2 ? a : { ...a, sumSq: v * (a.n - 1) + a.n * meanOf(a) ** 2 });
  return [floor(t), floor(c)];
}

function compare(arm: string, against: string, metric: Metric, t: number[], c: number[]): Comparison | null {
  const [st, sc] = forInterval(metric, sampleOf(t), sampleOf(c));
  const d0 = difference(st, sc);
  if (!d0 || t.length < 2 || c.length < 2) return null;
  // the difference as observed; the intervals as the adjusted samples give them
  const d = { ...d0, diff: meanOf(sampleOf(t)) - meanOf(sampleOf(c)) };
  const base = c.reduce((a, v) => a + v, 0) / c.length;
  // a difference of two rates lies in [-1, 1]: an interval reaching past it (the always-valid one at a
  // few dozen accounts) says no more clipped there
  const clip = (x: [number, number]): [number, number] => (metric === 'conversion' ? [Math.max(-1, x[0]), Math.min(1, x[1])] : x);
  const ci = clip(d.ci);
  const sequentialCi = clip(d.sequentialCi);
  const [lo, hi] = sequentialCi;
  return { arm, against, metric, diff: d.diff, ci, sequentialCi, relative: base > 0 ? d.diff / base : null, verdict: lo > 0 ? 'better' : hi < 0 ? 'worse' : 'inconclusive' };
}

export function experimentReport(e: Experiment, opps: readonly Opportunity[], asOf: number, holdout?: HoldoutSetting): ExperimentReport {
  const design = e.id === EXPANSION_HOLDOUT && holdout ? holdoutDesign(holdout) : designOf(e);
  const shares = expectedShares(design);
  const units = unitsOf(e.id, opps, asOf);
  const armIds = [...(e.holdout > 0 ? [HOLDOUT] : []), ...e.variants.map((v) => v.id)];
  const values = (arm: string, metric: Metric): number[] => [...units.values()].filter((u) => arm === ALL_VARIANTS ? u.arm !== HOLDOUT : u.arm === arm)
    .map((u) => (metric === 'conversion' ? (u.converted ? 1 : 0) : u.mrr));
  const counts: Record<string, number> = {};
  for (const u of units.values()) counts[u.arm] = (counts[u.arm] ?? 0) + 1;
  const total = units.size;
  const arms: ArmResult[] = armIds.map((arm) => {
    const conv = values(arm, 'conversion');
    const mrr = values(arm, 'expansion_mrr');
    const k = conv.reduce((a, v) => a + v, 0);
    const m = mrr.reduce((a, v) => a + v, 0);
    return {
      arm, accounts: conv.length, expectedShare: shares[arm] ?? 0, observedShare: total > 0 ? conv.length / total : 0,
      conversions: k, rate: conv.length > 0 ? k / conv.length : 0, expansionMrrCents: m, mrrPerAccountCents: mrr.length > 0 ? m / mrr.length : 0,
    };
  });
  const srm = srmCheck(counts, shares);
  const metrics: Metric[] = ['conversion', 'expansion_mrr'];
  const lift: Comparison[] = [];
  const ab: Comparison[] = [];
  if (e.holdout > 0) {
    const against = [...e.variants.map((v) => v.id), ...(e.variants.length > 1 ? [ALL_VARIANTS] : [])];
    for (const arm of against) for (const m of metrics) {
      const c = compare(arm, HOLDOUT, m, values(arm, m), values(HOLDOUT, m));
      if (c) lift.push(c);
    }
  }
  const [first, ...rest] = e.variants;
  for (const v of rest) for (const m of metrics) {
    const c = compare(v.id, first!.id, m, values(v.id, m), values(first!.id, m));
    if (c) ab.push(c);
  }
  return {
    id: e.id, name: e.name, playbook: e.playbook === '*' ? null : e.playbook, step: e.playbook === '*' ? null : e.step,
    factor: e.playbook === '*' ? null : e.factor, holdout: e.holdout, status: e.status, createdAt: e.createdAt, asOf, accounts: total,
    arms, srm, lift, ab, summary: summarize(srm, lift, ab, total),
  };
}

const pts = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pts`;

function summarize(srm: SrmCheck, lift: Comparison[], ab: Comparison[], total: number): string {
  if (total === 0) return 'no account has been assigned yet';
  if (srm.mismatch) return `sample-ratio mismatch (p = ${srm.p.toExponential(1)}): the arms' sizes are not the configured split, so the assignment or the recording is broken; do not trust these results`;
  const pooled = lift.find((c) => c.metric === 'conversion' && (c.arm === ALL_VARIANTS || lift.filter((x) => x.metric === 'conversion').length === 1));
  const parts: string[] = [];
  if (pooled) parts.push(`plays against the holdout: ${pts(pooled.diff)} conversion (${pooled.verdict}; always-valid 95 % interval ${pts(pooled.sequentialCi[0])} to ${pts(pooled.sequentialCi[1])})`);
  for (const c of ab.filter((x) => x.metric === 'conversion')) parts.push(`${c.arm} against ${c.against}: ${pts(c.diff)} (${c.verdict})`);
  return parts.join('; ') || 'no comparison yet (too few accounts)';
}
