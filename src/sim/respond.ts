// How an account answers an upsell offer, from its hidden state. The backtest drives the world
// with this. Conversion rates are not inputs: they follow from who is offered what, when, and
// how (seed 002's 8-42 % by signal source must emerge from which accounts each signal picks).
import type { Segment } from './params.ts';
import { Rng, hashString, mixSeed } from './rng.ts';
import type { AccountTruth } from './types.ts';

export type OfferResponse = 'accept' | 'ignore' | 'decline';

export interface Offer {
  targetPlan: string;
  /** in_app, email, csm (call or task), ae (sales-led), or anything else (treated as email) */
  channel: string;
  /** days since the start of the simulation */
  dayOffset: number;
  discountPct?: number;
  trial?: boolean;
}

export interface OfferResult {
  response: OfferResponse;
  /** change of the account's NPS (points on the 0-10 scale) */
  npsDelta: number;
  /** added probability of churning within the next 6 months */
  extraChurnRisk: number;
  /** the probabilities the draw was made from, for expected-value evaluation */
  p: { accept: number; decline: number };
  /** the account's state the answer was based on */
  basis: { ready: boolean; pressure: number; featureGap: number; health: number; fit: number };
}

type ChannelKind = 'in_app' | 'email' | 'csm' | 'ae';

export function channelKind(channel: string): ChannelKind {
  const c = channel.toLowerCase();
  if (c.includes('app') || c === 'prompt') return 'in_app';
  if (c.includes('csm') || c.includes('call') || c.includes('task') || c.includes('slack')) return 'csm';
  if (c === 'ae' || c.includes('sales') || c.includes('crm') || c.includes('exec')) return 'ae';
  return 'email';
}

/**
 * How well a channel suits a segment (seed 000: enterprise -> CSM call and executive email;
 * mid-market -> email + call, in-app; SMB -> in-app, automated email; self-serve -> in-app).
 */
export const CHANNEL_FIT: Record<Segment, Record<ChannelKind, number>> = {
  self_serve: { in_app: 1, email: 0.7, csm: 0.45, ae: 0.25 },
  smb: { in_app: 1, email: 0.85, csm: 0.65, ae: 0.4 },
  mid_market: { in_app: 0.7, email: 0.9, csm: 1, ae: 0.8 },
  enterprise: { in_app: 0.4, email: 0.65, csm: 1, ae: 1 },
};

/** How much a channel pushes: a person asking is harder to ignore and hurts more when unwanted (seed 003). */
export const CHANNEL_PUSH: Record<ChannelKind, number> = { in_app: 0.2, email: 0.35, csm: 0.75, ae: 1 };

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

function weekly<T>(series: readonly T[], day: number, fallback: T): T {
  if (series.length === 0) return fallback;
  const w = Math.max(0, Math.min(series.length - 1, Math.floor(day / 7)));
  return series[w] ?? fallback;
}

/** The plan held on a given day, from the start plan and the outcomes; null once churned. */
export function planAt(truth: AccountTruth, day: number): string | null {
  let plan: string | null = truth.planStart;
  for (const o of truth.outcomes) if (o.day <= day) plan = o.to;
  return plan;
}

/**
 * The account's answer to an offer. Deterministic for a given seed: pass a number (mixed with
 * the account, day, channel and plan) or an Rng to draw from.
 */
export function respondToOffer(truth: AccountTruth, offer: Offer, rngOrSeed: Rng | number): OfferResult {
  const rng = typeof rngOrSeed === 'number'
    ? new Rng(mixSeed(rngOrSeed, hashString(truth.account), offer.dayOffset, hashString(offer.channel), hashString(offer.targetPlan)))
    : rngOrSeed;
  const day = Math.max(0, offer.dayOffset);
  const plan = planAt(truth, day);
  const health = weekly(truth.weekly.health, day, truth.health.end);
  const pressure = weekly(truth.weekly.pressure, day, 0);
  const featureGap = weekly(truth.weekly.featureGap, day, 0);
  const ready = weekly(truth.weekly.ready, day, false);
  const kind = channelKind(offer.channel);
  const fit = CHANNEL_FIT[truth.segment][kind];
  const basis = { ready, pressure, featureGap, health, fit };
  if (plan === null) return { response: 'ignore', npsDelta: 0, extraChurnRisk: 0, p: { accept: 0, decline: 0 }, basis };

  const rank = (id: string | null): number => (id === null ? -1 : truth.ladder.indexOf(id));
  const offered = rank(offer.targetPlan);
  if (offered <= rank(plan)) return { response: 'ignore', npsDelta: 0, extraChurnRisk: 0, p: { accept: 0, decline: 0 }, basis };
  const needed = rank(weekly(truth.weekly.target, day, null));
  const discount = clamp01((offer.discountPct ?? 0) / 100);
  const push = CHANNEL_PUSH[kind];

  let accept: number;
  let decline: number;
  let npsDelta: number;
  let extraChurnRisk = 0;
  if (ready) {
    // Intent grows with how far the need exceeds the plan, and with a wall of gated features.
    const meterIntent = clamp01((pressure - 0.85) / 0.6);
    const featureIntent = Math.min(featureGap, 3) / 3;
    let intent = 0.2 + 0.45 * Math.max(meterIntent, featureIntent) + (meterIntent > 0 && featureIntent > 0 ? 0.1 : 0);
    // The right plan converts best; overshooting it is a price shock, undershooting leaves needs unmet.
    if (needed >= 0 && offered > needed) intent *= 0.55 ** (offered - needed);
    if (needed >= 0 && offered < needed) intent *= 0.7;
    // Momentum fades: an account ready for months has found workarounds.
    const readyFor = truth.ready.day === null ? 0 : day - truth.ready.day;
    if (readyFor > 45) intent *= 0.8;
    if (offer.trial && featureGap > 0) intent *= 1.25;
    intent *= 1 + 0.5 * discount;
    accept = clamp01(intent * fit * (0.55 + 0.6 * health));
    decline = (1 - accept) * (0.15 + 0.35 * (1 - fit));
    npsDelta = accept > 0 ? 0.2 : 0;
  } else {
    // Not ready (seed 003's failed upsell): little to gain, and pressure from a person hurts.
    const nearness = clamp01((pressure - 0.5) / 0.4);
    accept = clamp01((0.015 + 0.06 * nearness) * fit * (1 + discount));
    decline = (1 - accept) * clamp01(0.25 + 0.6 * push);
    npsDelta = -(0.3 + 2.2 * push) * (1 - 0.6 * nearness);
    extraChurnRisk = 0.04 * push * (1 - nearness);
  }
  const u = rng.float();
  const response: OfferResponse = u < accept ? 'accept' : u < accept + decline ? 'decline' : 'ignore';
  if (response === 'accept' && !ready) {
    // Upgraded without the need: seed 002, such accounts churn at 3x within months.
    extraChurnRisk += 0.15;
  }
  if (response === 'ignore') npsDelta *= 0.5;
  if (response === 'accept' && ready) npsDelta = 0.3;
  return { response, npsDelta: Math.round(npsDelta * 100) / 100, extraChurnRisk: Math.round(extraChurnRisk * 1000) / 1000, p: { accept, decline }, basis };
}
