// Expected expansion MRR next period = sum over open opportunities of P(won within the period |
// its stage) x its MRR delta. P is learnt the way it is used: at each past period boundary, the
// opportunities open at a stage then (their exposures) and how many of them were won within the
// following period (hits). Counting the ones still open or lost as misses keeps the estimate free
// of the bias of learning from closed deals only (the quick decisions, mostly wins). Each stage's
// rate is smoothed with a stated prior worth `priorWeight` exposures: (hits + prior x w) / (n + w),
// so a stage with no history gets the prior, not 0 or 1.
import type { Opportunity } from '../playbooks/opportunity.ts';
import { DAY_MS, recordedRankAt } from './opportunity-facts.ts';
import { OPEN_STAGES } from './pipeline-health.ts';
import type { ForecastSettings, OpenStage } from './upsell-types.ts';

export interface StageProbability {
  stage: OpenStage;
  /** opportunity-periods observed at this stage at past boundaries, and the wins within the period */
  exposures: number;
  wins: number;
  prior: number;
  probability: number;
}

export interface ForecastLine { opportunity: string; account: string; stage: OpenStage; monthlyDeltaCents: number; probability: number; expectedMrr: number }

export interface Forecast {
  asOf: number;
  periodDays: number;
  priorWeight: number;
  /** past boundaries the probabilities were learnt from */
  windows: number;
  stages: StageProbability[];
  open: number;
  pipelineMrr: number;
  expectedMrr: number;
  lines: ForecastLine[];
}

const stageAt = (o: Opportunity, at: number): OpenStage => OPEN_STAGES[Math.min(recordedRankAt(o, at), OPEN_STAGES.length - 1)] ?? 'trigger_identified';
const openAt = (o: Opportunity, at: number): boolean => o.openedAt <= at && (o.closedAt === undefined || o.closedAt > at);

/** P(won within a period | stage), from the boundaries asOf - k x period that lie after the first opening. */
export function stageProbabilities(opps: readonly Opportunity[], asOf: number, s: ForecastSettings): { windows: number; stages: StageProbability[] } {
  const period = s.periodDays * DAY_MS;
  const first = opps.reduce((a, o) => Math.min(a, o.openedAt), Number.POSITIVE_INFINITY);
  const n = new Map<OpenStage, number>();
  const hits = new Map<OpenStage, number>();
  let windows = 0;
  for (let t = asOf - period; t >= first; t -= period) {
    windows++;
    for (const o of opps) {
      if (!openAt(o, t)) continue;
      const st = stageAt(o, t);
      n.set(st, (n.get(st) ?? 0) + 1);
      if (o.status === 'won' && o.closedAt !== undefined && o.closedAt <= t + period) hits.set(st, (hits.get(st) ?? 0) + 1);
    }
  }
  return {
    windows,
    stages: OPEN_STAGES.map((stage) => {
      const exposures = n.get(stage) ?? 0;
      const wins = hits.get(stage) ?? 0;
      const prior = s.stagePriors[stage];
      return { stage, exposures, wins, prior, probability: (wins + prior * s.priorWeight) / (exposures + s.priorWeight) };
    }),
  };
}

/** The forecast as of `asOf`, using only what was known then (history up to it). */
export function forecast(opps: readonly Opportunity[], asOf: number, s: ForecastSettings): Forecast {
  const { windows, stages } = stageProbabilities(opps, asOf, s);
  const lines = opps.filter((o) => openAt(o, asOf)).map((o): ForecastLine => {
    const stage = stageAt(o, asOf);
    const p = stages.find((g) => g.stage === stage)?.probability ?? 0;
    return { opportunity: o.id, account: o.account, stage, monthlyDeltaCents: o.monthlyDeltaCents, probability: p, expectedMrr: Math.round(p * o.monthlyDeltaCents) };
  }).sort((a, b) => b.expectedMrr - a.expectedMrr || a.opportunity.localeCompare(b.opportunity));
  return {
    asOf, periodDays: s.periodDays, priorWeight: s.priorWeight, windows, stages, open: lines.length,
    pipelineMrr: lines.reduce((a, l) => a + l.monthlyDeltaCents, 0),
    expectedMrr: lines.reduce((a, l) => a + l.expectedMrr, 0),
    lines,
  };
}

export interface ForecastCheck { asOf: number; open: number; expectedMrr: number; actualMrr: number; wins: number; error: number }

/**
 * How past forecasts matched: at each `asOf`, the forecast made then against the quoted MRR delta of
 * the opportunities open then that were won within the following period (quoted on both sides, so
 * the check measures the probabilities, not price drift).
 */
export function forecastAccuracy(opps: readonly Opportunity[], asOfs: readonly number[], s: ForecastSettings): { checks: ForecastCheck[]; meanAbsError: number | null; bias: number | null } {
  const checks = asOfs.map((asOf) => {
    const f = forecast(opps, asOf, s);
    const open = new Set(f.lines.map((l) => l.opportunity));
    const end = asOf + s.periodDays * DAY_MS;
    const won = opps.filter((o) => open.has(o.id) && o.status === 'won' && o.closedAt !== undefined && o.closedAt <= end);
    const actual = won.reduce((a, o) => a + o.monthlyDeltaCents, 0);
    return { asOf, open: f.open, expectedMrr: f.expectedMrr, actualMrr: actual, wins: won.length, error: f.expectedMrr - actual };
  });
  const n = checks.length;
  return {
    checks,
    meanAbsError: n === 0 ? null : Math.round(checks.reduce((a, c) => a + Math.abs(c.error), 0) / n),
    bias: n === 0 ? null : Math.round(checks.reduce((a, c) => a + c.error, 0) / n),
  };
}
