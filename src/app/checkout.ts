// The checkout hand-off: for the offer an account accepts (the recommended one, or an alternative
// by its key), a downgrade or a cancellation, the Stripe change to make and the invoice Stripe will
// raise for it, as of `now` in the account's billing period (core/checkout).
import { findPlan } from '../core/catalog/catalog.ts';
import { holdingAfter, subscriptionItems, type Holding, type PlanPrices } from '../core/checkout/subscription-items.ts';
import { stripeHandoff, type Handoff } from '../core/checkout/stripe-change.ts';
import type { OfferItem } from '../core/offers/options.ts';
import { periodAt } from '../core/state/billing-period.ts';
import type { AccountState } from '../core/state/types.ts';
import type { Engine } from './engine.ts';
import { AppError } from './errors.ts';
import { rankOf, type PlaybookDeps } from './playbook-deps.ts';

export interface CheckoutOffer { key: string; name: string; type: string; plan: { id: string; name: string } }
export interface Checkout extends Handoff { account: string; offer: CheckoutOffer | null; periodStart: number; periodEnd: number }

/** Stripe price ids per plan from `stripe.plans` (price or lookup_key -> plan); a name hinting at the year picks the annual one. */
export function planPricesFrom(mapping: Readonly<Record<string, string>>): PlanPrices {
  return (plan, interval) => {
    const prices = Object.entries(mapping).filter(([, p]) => p === plan).map(([price]) => price);
    if (prices.length <= 1) return prices[0];
    const yearly = (s: string) => /(year|annual|_y$|_yr)/i.test(s);
    return prices.find((p) => yearly(p) === (interval === 'year')) ?? prices[0];
  };
}

function billing(engine: Engine, account: string, now: number): { s: AccountState; holding: Holding; period: { start: number; end: number } } {
  const s = engine.states.get(account);
  if (!s || !s.plan) throw new AppError('not_found', `no account "${account}" with a subscription`);
  if (s.status === 'canceled') throw new AppError('conflict', `account "${account}" has a canceled subscription: nothing to change`);
  if ((s.interval !== 'month' && s.interval !== 'year') || s.anchorTs <= 0) throw new AppError('conflict', `account "${account}" has no known billing period (interval and start of the subscription): a checkout needs one to prorate`);
  return { s, holding: { plan: s.plan, interval: s.interval, addons: s.addons, units: s.units, termMonths: s.termMonths }, period: periodAt(s.anchorTs, s.interval, now) };
}

function handoff(deps: PlaybookDeps, prices: PlanPrices, b: ReturnType<typeof billing>, kind: Handoff['kind'], items: readonly OfferItem[], now: number): Handoff {
  let after: Holding;
  try {
    after = holdingAfter(deps.catalog, b.holding, items);
  } catch (err) {
    throw new AppError('invalid_request', (err as Error).message);
  }
  const before = subscriptionItems(deps.catalog, b.holding, prices);
  return stripeHandoff({ kind, before, after: kind === 'cancel' ? [] : subscriptionItems(deps.catalog, after, prices), periodStart: b.period.start, periodEnd: b.period.end, at: now });
}

/** The accepted offer's hand-off: `offerKey` picks an alternative (default: the recommendation). */
export function upgradeCheckout(deps: PlaybookDeps, engine: Engine, prices: PlanPrices, account: string, offerKey: string | undefined, now: number): Checkout {
  const b = billing(engine, account, now);
  const ev = engine.explain(account, now);
  const offer = ev?.offer;
  if (!offer) throw new AppError('not_found', `nothing to offer "${account}" now`);
  const chosen = offerKey === undefined || offerKey === offer.key ? offer : offer.alternatives.find((a) => a.key === offerKey);
  if (!chosen) throw new AppError('not_found', `no offer "${offerKey}" for "${account}" now (on offer: ${[offer.key, ...offer.alternatives.map((a) => a.key)].join(', ')})`);
  const h = handoff(deps, prices, b, 'upgrade', chosen.items, now);
  return { ...h, account, offer: { key: chosen.key, name: chosen.name, type: chosen.type, plan: chosen.plan }, periodStart: b.period.start, periodEnd: b.period.end };
}

/** A move to a lower tier, now, its credit on the next invoice. */
export function downgradeCheckout(deps: PlaybookDeps, engine: Engine, prices: PlanPrices, account: string, plan: string, now: number): Checkout {
  const b = billing(engine, account, now);
  const to = findPlan(deps.catalog, plan);
  if (!to) throw new AppError('not_found', `no plan "${plan}" in the catalog`);
  const rank = rankOf(deps.catalog);
  if ((rank(plan) ?? 0) >= (rank(b.s.plan) ?? 0)) throw new AppError('invalid_request', `${to.name} is not below the account's plan (${findPlan(deps.catalog, b.s.plan)?.name ?? b.s.plan}): use the upgrade checkout`);
  const h = handoff(deps, prices, b, 'downgrade', [{ kind: 'plan', id: to.id, name: to.name, type: 'tier', monthly: 0, annual: null }], now);
  return { ...h, account, offer: { key: `plan:${to.id}`, name: to.name, type: 'tier', plan: { id: to.id, name: to.name } }, periodStart: b.period.start, periodEnd: b.period.end };
}

/** Cancellation at the end of the period already paid for. */
export function cancelCheckout(deps: PlaybookDeps, engine: Engine, prices: PlanPrices, account: string, now: number): Checkout {
  const b = billing(engine, account, now);
  return { ...handoff(deps, prices, b, 'cancel', [], now), account, offer: null, periodStart: b.period.start, periodEnd: b.period.end };
}
