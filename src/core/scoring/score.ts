// The composite 0-100 score: weighted signal strengths, positives add and negatives subtract,
// each signal's contribution shown. Linear so the parts add up to the whole a CSM sees.
import type { Signal } from '../signals/types.ts';
import type { ScoringSettings, SignalId } from './settings.ts';

export interface Contribution { id: SignalId; strength: number; weight: number; points: number }
export interface ScoreResult { score: number; raw: number; contributions: Contribution[] }

export function scoreOf(signals: readonly Signal[], cfg: ScoringSettings): ScoreResult {
  let raw = 0;
  const contributions: Contribution[] = [];
  for (const s of signals) {
    const weight = cfg.weights[s.id] ?? 0;
    const points = Math.round((s.kind === 'negative' ? -1 : 1) * weight * s.strength * 10) / 10;
    raw += points;
    contributions.push({ id: s.id, strength: s.strength, weight, points });
  }
  const score = Math.round(Math.max(0, Math.min(100, raw)));
  return { score, raw: Math.round(raw * 10) / 10, contributions };
}

/** The allocation-free form for ranking passes: the same number as scoreOf(...).score. */
export function scoreValue(signals: readonly Signal[], cfg: ScoringSettings): number {
  let raw = 0;
  for (const s of signals) raw += Math.round((s.kind === 'negative' ? -1 : 1) * (cfg.weights[s.id] ?? 0) * s.strength * 10) / 10;
  return Math.round(Math.max(0, Math.min(100, raw)));
}
