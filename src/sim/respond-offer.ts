// How a simulated account answers an offer of any type, built on respondToOffer's tier model:
// - a tier (alone or with units) is answered by the tier model as is;
// - a pack of units, a module or a support level that covers the account's need is answered as the
//   right-sized move (the tier its need calls for, no overshoot penalty); one that leaves a need
//   uncovered converts at 0.6x (the model's undershoot factor is 0.7; a partial answer is worse);
// - price: an offer dearer than the cheapest that covers the same need converts at
//   (cheapest / offered) ^ 0.5 of the rate. That elasticity is an assumption, not a measurement:
//   seed 002 only says that right-sized offers convert better than jumps.
// - a term at renewal: accepted with probability 0.35 x health x channel fit (assumption; seed 001
//   lists longer commitments as an upsell type without a rate).
// - the kind of need comes from the truth (weekly.needs): a seat pack, volume pack, module, support
//   level or term offered to an account that has no need of that kind that week is answered as
//   seed 003's failed upsell, like a tier offered to a not-ready account (1.5 % x channel fit,
//   declines and NPS loss growing with the channel's push); a support level the account needs is
//   accepted with probability 0.3 x health x channel fit (assumption: seed 004 says support and SLAs
//   sell through people, so the CSM and AE channels fit large accounts best).
import type { Offer as EngineOffer } from '../core/offers/offer.ts';
import { movesPlan } from '../core/offers/options.ts';
import { CHANNEL_FIT, CHANNEL_PUSH, channelKind, planAt, respondToOffer, type OfferResult } from './respond.ts';
import { Rng, hashString, mixSeed } from './rng.ts';
import type { AccountTruth } from './types.ts';

export const PRICE_ELASTICITY = 0.5;
export const PARTIAL_FACTOR = 0.6;
export const TERM_ACCEPT = 0.35;
export const SUPPORT_ACCEPT = 0.3;
export const UNNEEDED_ACCEPT = 0.015;

/** The kind of need (truth weekly.needs) each offer type answers. */
const NEED_OF: Partial<Record<EngineOffer['type'], string>> = { seats: 'seats', volume: 'volume', addon: 'module', support: 'support', term: 'term' };

/**
 * Did an offer of this type answer a kind of need the truth gave the account that week? (a tier
 * answers 'tier'; a bundle any pack, module or support need.) Null when the truth has no needs.
 */
export function answersNeed(truth: AccountTruth, type: EngineOffer['type'], day: number): boolean | null {
  const week = needsThatWeek(truth, day);
  if (!week) return null;
  if (type === 'tier') return week.includes('tier');
  if (type === 'bundle') return week.some((k) => k === 'seats' || k === 'volume' || k === 'module' || k === 'support');
  const want = NEED_OF[type];
  return want !== undefined && week.includes(want);
}

/** The kinds of need that week, or null for a truth written before they were recorded. */
function needsThatWeek(truth: AccountTruth, day: number): string[] | null {
  const n = truth.weekly.needs as string[] | undefined;
  if (!n || n.length === 0) return null;
  return (n[Math.min(n.length - 1, Math.floor(day / 7))] ?? '').split('+').filter((x) => x.length > 0);
}

export interface AnyOffer { offer: EngineOffer; channel: string; dayOffset: number; cheapestCovering: number | null }

export function respondToAnyOffer(truth: AccountTruth, a: AnyOffer, seed: number): OfferResult {
  const o = a.offer;
  const day = Math.max(0, a.dayOffset);
  const thin = (res: OfferResult, factor: number): OfferResult => {
    if (factor >= 1 || res.response !== 'accept') return { ...res, p: { ...res.p, accept: res.p.accept * Math.min(1, factor) } };
    const u = new Rng(mixSeed(seed, hashString(truth.account), day, 0x7711)).float();
    return u < factor ? { ...res, p: { ...res.p, accept: res.p.accept * factor } } : { ...res, response: 'ignore', npsDelta: 0, p: { ...res.p, accept: res.p.accept * factor } };
  };
  const price = a.cheapestCovering !== null && o.price.monthly > a.cheapestCovering && o.price.monthly > 0
    ? (a.cheapestCovering / o.price.monthly) ** PRICE_ELASTICITY : 1;
  const week = needsThatWeek(truth, day);
  const want = NEED_OF[o.type];
  const kind = channelKind(a.channel);
  const fit = CHANNEL_FIT[truth.segment][kind];
  const health = truth.weekly.health[Math.min(truth.weekly.health.length - 1, Math.floor(day / 7))] ?? truth.health.end;
  if (week && want && !week.includes(want)) {
    const push = CHANNEL_PUSH[kind];
    const accept = planAt(truth, day) === null ? 0 : UNNEEDED_ACCEPT * fit;
    const decline = (1 - accept) * Math.min(1, 0.25 + 0.6 * push);
    const u = new Rng(mixSeed(seed, hashString(truth.account), day, 0x0ee1)).float();
    const response = u < accept ? 'accept' : u < accept + decline ? 'decline' : 'ignore';
    const npsDelta = response === 'ignore' ? -(0.3 + 2.2 * push) / 2 : response === 'decline' ? -(0.3 + 2.2 * push) : 0;
    return { response, npsDelta: Math.round(npsDelta * 100) / 100, extraChurnRisk: 0, p: { accept, decline }, basis: { ready: false, pressure: 0, featureGap: 0, health, fit } };
  }
  if (o.type === 'support' && week) {
    const accept = planAt(truth, day) === null ? 0 : SUPPORT_ACCEPT * health * fit * price;
    const response = new Rng(mixSeed(seed, hashString(truth.account), day, 0x5a9)).float() < accept ? 'accept' : 'ignore';
    return { response, npsDelta: 0, extraChurnRisk: 0, p: { accept, decline: 0 }, basis: { ready: true, pressure: 0, featureGap: 0, health, fit } };
  }
  if (o.type === 'term') {
    const plan = planAt(truth, day);
    const rng = new Rng(mixSeed(seed, hashString(truth.account), day, 0x7e3));
    const health = truth.weekly.health[Math.min(truth.weekly.health.length - 1, Math.floor(day / 7))] ?? truth.health.end;
    const kind = a.channel.includes('app') ? 'in_app' : a.channel.includes('call') || a.channel.includes('csm') ? 'csm' : 'email';
    const accept = plan === null ? 0 : TERM_ACCEPT * health * CHANNEL_FIT[truth.segment][kind];
    const response = rng.float() < accept ? 'accept' : 'ignore';
    return { response, npsDelta: 0, extraChurnRisk: 0, p: { accept, decline: 0 }, basis: { ready: true, pressure: 0, featureGap: 0, health, fit: CHANNEL_FIT[truth.segment][kind] } };
  }
  if (movesPlan(o)) return thin(respondToOffer(truth, { targetPlan: o.plan.id, channel: a.channel, dayOffset: day }, seed), price);
  // a pack, module or support level: answered as the right-sized move for the account's need
  const plan = planAt(truth, day);
  const needed = truth.weekly.target[Math.min(truth.weekly.target.length - 1, Math.floor(day / 7))] ?? null;
  const next = plan === null ? null : truth.ladder[truth.ladder.indexOf(plan) + 1] ?? null;
  const target = needed && truth.ladder.indexOf(needed) > truth.ladder.indexOf(plan ?? '') ? needed : next;
  if (!target) {
    // on the top plan: the tier model has nothing to compare; the need's pressure decides
    const pressure = truth.weekly.pressure[Math.min(truth.weekly.pressure.length - 1, Math.floor(day / 7))] ?? 0;
    const accept = Math.max(0, Math.min(1, (pressure - 0.8) / 0.6)) * 0.6 * (o.covers ? 1 : PARTIAL_FACTOR) * price;
    const response = new Rng(mixSeed(seed, hashString(truth.account), day, 0x70b)).float() < accept ? 'accept' : 'ignore';
    return { response, npsDelta: 0, extraChurnRisk: 0, p: { accept, decline: 0 }, basis: { ready: pressure > 0.85, pressure, featureGap: 0, health: truth.health.end, fit: 1 } };
  }
  return thin(respondToOffer(truth, { targetPlan: target, channel: a.channel, dayOffset: day }, seed), price * (o.covers ? 1 : PARTIAL_FACTOR));
}
