// The backtest (issue 6 part 5): outreach strategies compared on one simulated world, each with the
// same weekly budget, the accounts answering through the simulator's response model. Every week the
// engine scores every live account from the telemetry so far; each strategy picks whom to contact;
// the account's answer (accept / ignore / decline, NPS change, extra churn risk) comes from its
// hidden state. The loop closes per strategy: an accepted offer is not repeated, a contacted account
// rests 30 days. Answers use common random numbers (seeded by account, day, channel and plan), so
// two strategies that contact the same account on the same day get the same answer.
import type { Catalog } from '../core/catalog/types.ts';
import { evaluate, type Evaluation } from '../core/scoring/evaluate.ts';
import { ProfileBuilder } from '../core/scoring/profile.ts';
import type { EngineSettings } from '../core/scoring/settings.ts';
import { nextRenewal } from '../core/state/billing-period.ts';
import { emptyState } from '../core/state/create.ts';
import { fold } from '../core/state/fold.ts';
import { dayOf } from '../core/state/time.ts';
import type { AccountState } from '../core/state/types.ts';
import type { Offer } from '../core/offers/offer.ts';
import { planAt } from '../sim/respond.ts';
import { answersNeed, respondToAnyOffer } from '../sim/respond-offer.ts';
import { difference } from '../core/experiments/stats.ts';
import { hashString, mixSeed, Rng } from '../sim/rng.ts';
import type { AccountTruth } from '../sim/types.ts';
import { FEATURES } from '../core/model/features.ts';
import { trainModel, TrainingError, type PropensityModel } from '../core/model/train.ts';
import { snapshotsFromEvents } from './model-snapshots.ts';
import { simulateParsed } from './model-world.ts';
import { compareRates, wilson, type Interval, type RateDifference } from './proportions.ts';

const DAY = 86_400_000;
/** a contacted account is not contacted again by the same strategy for this long */
const REST_DAYS = 30;
/** signals need a few weeks of telemetry before the first decision */
const WARMUP_DAYS = 28;

export const STRATEGIES = ['calendar', 'usage_ceiling', 'feature_gate', 'combined', 'random', 'oracle'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** seed 002's conversion by signal source, printed beside ours as the published reference */
export const SEED_002: Partial<Record<Strategy, number>> = { calendar: 0.08, usage_ceiling: 0.28, feature_gate: 0.35, combined: 0.42 };

export interface BacktestOptions {
  accounts: number;
  days: number;
  seed: number;
  /** offers per strategy per week; default 1 % of the accounts */
  budget?: number;
  startMs: number;
  catalog: Catalog;
  settings: EngineSettings;
  /** told as each phase starts and after each simulated week (a terminal's progress bar) */
  onProgress?: (p: BacktestProgress) => void;
}

export type BacktestProgress = { phase: 'history' | 'world' } | { phase: 'weeks'; done: number; total: number };

export interface StrategyResult {
  strategy: Strategy;
  offers: number;
  accepts: number;
  declines: number;
  conversion: number | null;
  /** 95 % Wilson interval of the conversion rate */
  conversionCi: Interval | null;
  /** MRR added by the accepted offers (the offers' monthly price delta), cents */
  expansionMrr: number;
  /** offers made to accounts the truth marked ready that week */
  readyShare: number | null;
  /** mean NPS change per offer (0-10 scale) */
  npsPerOffer: number | null;
  /** offers to not-ready accounts, their summed NPS change, and their expected extra churned accounts (6 months) */
  notReady: { offers: number; npsDelta: number; extraChurn: number; accepts: number };
  /** expected extra churned accounts over all offers (sum of the added 6-month churn probabilities) */
  extraChurn: number;
}

export interface BacktestReport {
  accounts: number;
  days: number;
  seed: number;
  budget: number;
  weeks: number;
  events: number;
  /** accounts the truth marked ready at some point, of all */
  everReady: number;
  results: StrategyResult[];
  /**
   * The combined score against each single source (seed 002: it must beat each): the difference of
   * conversion rates with its 95 % interval and p-value, and whether this world shows it.
   */
  combinedVs: CombinedComparison[];
  /**
   * The same accounts (the combined strategy's picks) offered the next tier only, as before offers
   * had types, and the best offer of any type: conversion, expansion MRR, and offers larger than a
   * cheaper one that covered the same needs.
   */
  offerPolicies: OfferPolicyResult[];
  /** the propensity model the combined strategy ranks by, trained on a history world (same size, another seed) */
  model: BacktestModel;
}

export interface BacktestModel {
  /** the combined strategy ranked by the model (it trained and beat the rules on its holdout) */
  used: boolean;
  historySeed: number;
  /** why not, when not used */
  reason: string;
  auc: number | null;
  rulesAuc: number | null;
}

export interface OfferPolicyResult {
  policy: 'next_tier_only' | 'best_offer';
  offers: number;
  accepts: number;
  conversion: number | null;
  expansionMrr: number;
  /** offers priced above the cheapest offer that covered the same needs */
  oversized: number;
  /** accepted offers by type */
  acceptsByType: Record<string, number>;
  /** by offer type: offers, conversions, expansion MRR */
  byType: Record<string, { offers: number; accepts: number; expansionMrr: number }>;
  /** offers whose type answered a kind of need the truth gave the account that week (truth weekly.needs) */
  matchedNeed: number;
}

/** The cheapest offer (not a term) that covers every need, in cents a month. */
function cheapestCovering(o: Offer): number | null {
  const all = [{ price: o.price, fullyCovers: o.covers, type: o.type }, ...o.alternatives];
  const xs = all.filter((x) => x.fullyCovers && x.type !== 'term').map((x) => x.price.monthly);
  return xs.length > 0 ? Math.min(...xs) : null;
}

/** What the engine offered before offers had types: the cheapest covering tier, else the highest one. */
function nextTierOnly(o: Offer): { price: Offer['price']; offer: Offer } | null {
  if (o.type === 'tier') return { price: o.price, offer: o };
  const tiers = o.alternatives.filter((a) => a.type === 'tier');
  const t = tiers.filter((a) => a.fullyCovers).sort((a, b) => a.price.monthly - b.price.monthly)[0] ?? tiers[tiers.length - 1];
  if (!t) return null;
  return { price: t.price, offer: { ...o, ...t, covers: t.fullyCovers, target: t.plan, alternatives: [] } };
}

function emptyPolicy(policy: OfferPolicyResult['policy']): OfferPolicyResult {
  return { policy, offers: 0, accepts: 0, conversion: null, expansionMrr: 0, oversized: 0, acceptsByType: {}, byType: {}, matchedNeed: 0 };
}

export interface CombinedComparison extends RateDifference {
  strategy: Strategy;
  /** expansion MRR per offer (cents), combined minus this source, with its 95 % interval (Welch) */
  mrrPerOffer: { diff: number; ci: Interval } | null;
  /** better / worse: the interval excludes 0; unclear: it does not (more accounts would tell) */
  verdict: 'better' | 'worse' | 'unclear';
}

const SINGLE_SOURCES: readonly Strategy[] = ['calendar', 'usage_ceiling', 'feature_gate'];

interface Candidate { account: string; ev: Evaluation; key: number; truth: AccountTruth }

const strengthOf = (ev: Evaluation, id: string): number => ev.signals.find((s) => s.id === id && s.kind === 'positive')?.strength ?? 0;

/** The strategy's ranking of a candidate; 0 or below = not a candidate. */
function rankFor(strategy: Strategy, c: Candidate, state: AccountState, now: number, day: number): number {
  switch (strategy) {
    case 'calendar': {
      const at = nextRenewal(state, now);
      const days = at === null ? Infinity : (at - now) / DAY;
      return days <= 90 ? 1 + (90 - days) / 90 : 0;
    }
    case 'usage_ceiling': return strengthOf(c.ev, 'usage_ceiling');
    case 'feature_gate': return strengthOf(c.ev, 'feature_gate');
    // what Tierwise itself does: only accounts it qualifies as ready, in its priority order (the
    // model's propensity inside the tier when a model is in use, else the rules' score)
    case 'combined': return c.ev.priority.tier === 'ready' ? 1 + c.ev.priority.value : 0;
    case 'random': return 1;
    case 'oracle': {
      const w = c.truth.weekly.ready[Math.floor(day / 7)];
      return w ? 1 : 0;
    }
  }
}

function emptyResult(strategy: Strategy): StrategyResult {
  return { strategy, offers: 0, accepts: 0, declines: 0, conversion: null, conversionCi: null, expansionMrr: 0, readyShare: null, npsPerOffer: null,
    notReady: { offers: 0, npsDelta: 0, extraChurn: 0, accepts: 0 }, extraChurn: 0 };
}

/**
 * "The company's own history": a world of the same size and make-up simulated with another seed,
 * standing for the year before. The model is trained there and used here only if it beat the rules.
 */
function historyModel(o: BacktestOptions): { model: PropensityModel | undefined; info: BacktestModel } {
  const historySeed = mixSeed(o.seed, 0x4849_5354);
  try {
    const w = simulateParsed({ accounts: o.accounts, days: o.days, seed: historySeed, startMs: o.startMs, catalog: o.catalog });
    const set = snapshotsFromEvents(w.events, { catalog: o.catalog, settings: o.settings, horizonDays: 30 });
    const m = trainModel(set.snapshots, { features: FEATURES, horizonDays: 30 });
    return {
      model: m.active ? m : undefined,
      info: { used: m.active, historySeed, auc: m.report.model.auc, rulesAuc: m.report.rules.auc,
        reason: m.active ? 'beat the rules on the history world\'s later weeks' : 'did not beat the rules on the history world\'s later weeks; combined ranks by the rules' },
    };
  } catch (err) {
    if (!(err instanceof TrainingError)) throw err;
    return { model: undefined, info: { used: false, historySeed, auc: null, rulesAuc: null, reason: `no model: ${err.message}` } };
  }
}

export function runBacktest(o: BacktestOptions): BacktestReport {
  o.onProgress?.({ phase: 'history' });
  const trained = historyModel(o);
  o.onProgress?.({ phase: 'world' });
  const { events, truth: worldTruth } = simulateParsed({ accounts: o.accounts, days: o.days, seed: o.seed, startMs: o.startMs, catalog: o.catalog });
  const world = { truth: worldTruth };
  const truth = new Map(world.truth.map((t) => [t.account, t]));
  const budget = o.budget ?? Math.max(1, Math.round(o.accounts * 0.01));
  const states = new Map<string, AccountState>();
  const results = new Map(STRATEGIES.map((s) => [s, emptyResult(s)]));
  const npsSum = new Map(STRATEGIES.map((s) => [s, 0]));
  const readyOffers = new Map(STRATEGIES.map((s) => [s, 0]));
  const mrrSq = new Map(STRATEGIES.map((s) => [s, 0]));
  const restUntil = new Map(STRATEGIES.map((s) => [s, new Map<string, number>()]));
  const startDay = Math.floor(o.startMs / DAY);
  const policies = new Map<OfferPolicyResult['policy'], OfferPolicyResult>([['next_tier_only', emptyPolicy('next_tier_only')], ['best_offer', emptyPolicy('best_offer')]]);
  let next = 0;
  let weeks = 0;
  const totalWeeks = Math.max(0, Math.ceil((o.days - WARMUP_DAYS) / 7));
  for (let day = WARMUP_DAYS; day < o.days; day += 7) {
    if (weeks > 0) o.onProgress?.({ phase: 'weeks', done: weeks, total: totalWeeks });
    weeks++;
    // decide in the morning of `day`, knowing the telemetry of the days before
    const now = (startDay + day) * DAY + 9 * 3_600_000;
    while (next < events.length && (events[next]?.ts ?? Infinity) < now) {
      const e = events[next++];
      if (!e) continue;
      let s = states.get(e.account);
      if (!s) states.set(e.account, (s = emptyState(e.account)));
      fold(s, e, o.catalog);
    }
    const pb = new ProfileBuilder();
    for (const s of states.values()) pb.add(s, dayOf(now));
    const env = { catalog: o.catalog, settings: o.settings, profiles: pb.build(), model: trained.model };
    const candidates: Candidate[] = [];
    for (const s of states.values()) {
      const t = truth.get(s.account);
      if (!t || planAt(t, day) === null || s.status === 'canceled') continue;
      const ev = evaluate(s, env, now, { offer: true });
      if (!ev.offer) continue; // on the top plan: nothing to offer
      candidates.push({ account: s.account, ev, truth: t, key: new Rng(mixSeed(o.seed, day, hashString(s.account))).float() });
    }
    for (const strategy of STRATEGIES) {
      const rest = restUntil.get(strategy) ?? new Map<string, number>();
      const r = results.get(strategy) ?? emptyResult(strategy);
      // highest rank first; ties (all of random, most of calendar) in a seeded random order
      const picked = candidates
        .filter((c) => (rest.get(c.account) ?? -1) < day)
        .map((c) => ({ c, rank: rankFor(strategy, c, states.get(c.account) ?? emptyState(c.account), now, day) }))
        .filter((x) => x.rank > 0)
        .sort((a, b) => b.rank - a.rank || a.c.key - b.c.key)
        .slice(0, budget);
      for (const { c } of picked) {
        const offer = c.ev.offer;
        if (!offer) continue;
        const channel = offer.routing.channels[0] ?? 'email';
        const cheapest = cheapestCovering(offer);
        const res = respondToAnyOffer(c.truth, { offer, channel, dayOffset: day, cheapestCovering: cheapest }, o.seed);
        if (strategy === 'combined') {
          const tier = nextTierOnly(offer);
          for (const [policy, chosen] of [['best_offer', offer], ['next_tier_only', tier?.offer ?? null]] as const) {
            if (!chosen) continue;
            const p = policies.get(policy)!;
            const pr = chosen === offer ? res : respondToAnyOffer(c.truth, { offer: chosen, channel, dayOffset: day, cheapestCovering: cheapest }, o.seed);
            p.offers++;
            const t = (p.byType[chosen.type] ??= { offers: 0, accepts: 0, expansionMrr: 0 });
            t.offers++;
            if (answersNeed(c.truth, chosen.type, day)) p.matchedNeed++;
            if (cheapest !== null && chosen.price.monthly > cheapest && chosen.type !== 'term') p.oversized++;
            if (pr.response === 'accept') {
              p.accepts++;
              p.expansionMrr += Math.max(0, chosen.price.monthly);
              p.acceptsByType[chosen.type] = (p.acceptsByType[chosen.type] ?? 0) + 1;
              t.accepts++;
              t.expansionMrr += Math.max(0, chosen.price.monthly);
            }
          }
        }
        r.offers++;
        npsSum.set(strategy, (npsSum.get(strategy) ?? 0) + res.npsDelta);
        r.extraChurn += res.extraChurnRisk;
        if (res.basis.ready) readyOffers.set(strategy, (readyOffers.get(strategy) ?? 0) + 1);
        else {
          r.notReady.offers++;
          r.notReady.npsDelta += res.npsDelta;
          r.notReady.extraChurn += res.extraChurnRisk;
          if (res.response === 'accept') r.notReady.accepts++;
        }
        if (res.response === 'accept') { r.accepts++; r.expansionMrr += Math.max(0, offer.price.monthly); mrrSq.set(strategy, (mrrSq.get(strategy) ?? 0) + Math.max(0, offer.price.monthly) ** 2); rest.set(c.account, Infinity); }
        else { if (res.response === 'decline') r.declines++; rest.set(c.account, day + REST_DAYS); }
      }
      restUntil.set(strategy, rest);
    }
  }
  const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;
  const final = (s: Strategy): StrategyResult => results.get(s) ?? emptyResult(s);
  const combined = final('combined');
  return {
    accounts: o.accounts, days: o.days, seed: o.seed, budget, weeks, events: events.length,
    everReady: world.truth.filter((t) => t.ready.day !== null).length,
    results: STRATEGIES.map((s) => {
      const r = results.get(s) ?? emptyResult(s);
      return {
        ...r,
        conversion: r.offers === 0 ? null : r.accepts / r.offers,
        conversionCi: wilson(r.accepts, r.offers),
        readyShare: r.offers === 0 ? null : (readyOffers.get(s) ?? 0) / r.offers,
        npsPerOffer: r.offers === 0 ? null : round((npsSum.get(s) ?? 0) / r.offers, 3),
        extraChurn: round(r.extraChurn, 2),
        notReady: { ...r.notReady, npsDelta: round(r.notReady.npsDelta, 2), extraChurn: round(r.notReady.extraChurn, 2) },
      };
    }),
    offerPolicies: [...policies.values()].map((p) => ({ ...p, conversion: p.offers === 0 ? null : round(p.accepts / p.offers, 4) })),
    combinedVs: SINGLE_SOURCES.flatMap((s) => {
      const single = final(s);
      const d = compareRates(combined.accepts, combined.offers, single.accepts, single.offers);
      if (!d) return [];
      const mrr = difference({ n: combined.offers, sum: combined.expansionMrr, sumSq: mrrSq.get('combined') ?? 0 }, { n: single.offers, sum: single.expansionMrr, sumSq: mrrSq.get(s) ?? 0 });
      const mrrPerOffer = mrr && { diff: Math.round(mrr.diff), ci: mrr.ci.map(Math.round) as Interval };
      return [{ strategy: s, ...d, mrrPerOffer, verdict: d.ci[0] > 0 ? 'better' as const : d.ci[1] < 0 ? 'worse' as const : 'unclear' as const }];
    }),
    model: trained.info,
  };
}
