// One number a consumer can sort on (a CRM, the JSON, the API): the readiness tier first, then the
// score (or the model's propensity) inside it. Every ready account outranks every account that is
// not ready, those outrank the disqualified ones, and accounts with nothing to offer come last.
import type { Qualification } from './qualification.ts';

export const PRIORITY_TIERS = ['no_offer', 'disqualified', 'not_ready', 'ready'] as const;
export type PriorityTier = (typeof PRIORITY_TIERS)[number];

/** Each tier owns [1000 x tier, 1000 x tier + 100]: a tier's lowest account beats the tier below's highest. */
export const TIER_SPAN = 1000;

export interface Priority {
  /** tier x 1000 + the within-tier number (0..100: the score, or the propensity in % to four decimals) */
  value: number;
  tier: PriorityTier;
  /** what orders accounts inside the tier */
  within: 'score' | 'model';
  reason: string;
}

/** Checks whose failure disqualifies outright (billing, a critical ticket, a cooldown, configured disqualifiers). */
const HARD = new Set(['good_standing', 'no_critical_ticket', 'no_cooldown']);

export interface PriorityInput {
  qualification: Qualification;
  score: number;
  /** calibrated probability of expanding in the next 30 days, when a model is in use */
  propensity?: number | undefined;
  canceled: boolean;
}

export function priorityOf(p: PriorityInput): Priority {
  const failed = p.qualification.checks.filter((c) => !c.ok);
  const noOffer = p.canceled || failed.some((c) => c.id === 'has_target');
  const hard = failed.filter((c) => HARD.has(c.id) || c.id.startsWith('disqualified_'));
  const tier: PriorityTier = noOffer ? 'no_offer' : hard.length > 0 ? 'disqualified' : failed.length > 0 ? 'not_ready' : 'ready';
  const model = p.propensity !== undefined;
  // four decimals of a percent: a calibrated model puts most accounts under 0.1 %, and they must not tie
  const within = model ? Math.round(p.propensity! * 1_000_000) / 10_000 : p.score;
  const by = model ? `propensity ${within >= 1 ? within.toFixed(1) : within.toPrecision(2)}%` : `score ${p.score}`;
  const reason = tier === 'ready' ? `ready; ranked by ${by}`
    : tier === 'no_offer' ? `nothing to offer (${p.canceled ? 'the subscription is canceled' : 'already on the top tier'}); ranked last`
      : tier === 'disqualified' ? `disqualified (${hard.map((c) => c.reason).join('; ')}); ranked below every account that is not disqualified, by ${by}`
        : `not ready yet (${failed.map((c) => c.reason).join('; ')}); ranked below every ready account, by ${by}`;
  return { value: PRIORITY_TIERS.indexOf(tier) * TIER_SPAN + within, tier, within: model ? 'model' : 'score', reason };
}
