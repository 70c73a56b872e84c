// Has the account delivered an opportunity's offer? Each part of the offer is checked against the
// subscription as it stands: the plan reached, extra units bought, add-ons held, the term signed.
// All of it: won. Some of it: won, recorded as partial. None: still open.
import type { Holdings } from '../catalog/holdings.ts';
import type { Offer } from '../offers/offer.ts';
import type { OfferType } from '../offers/options.ts';

/** What an offer asks the subscription to become, with where it stood when the opportunity opened. */
export interface Deliverable {
  plan?: { id: string; rank: number; fromRank: number };
  /** per meter: [extra units held at open, extra units the offer brings it to] */
  units?: Record<string, [number, number]>;
  addons?: string[];
  /** [term at open, term offered] */
  termMonths?: [number, number];
}

export interface DeliveryCheck { status: 'none' | 'partial' | 'full'; delivered: string[]; missing: string[] }

export function deliverableOf(offer: Offer, held: Holdings, rankOf: (plan: string) => number | undefined, fromPlan: string): Deliverable {
  const d: Deliverable = {};
  for (const it of offer.items) {
    if (it.kind === 'plan') d.plan = { id: it.id, rank: rankOf(it.id) ?? 0, fromRank: rankOf(fromPlan) ?? 0 };
    else if (it.kind === 'units') {
      // units bought with a tier move are counted on the new plan, from zero
      const base = offer.items.some((x) => x.kind === 'plan') ? 0 : (held.units[it.id] ?? 0);
      (d.units ??= {})[it.id] = [base, base + (it.quantity ?? 0)];
    } else if (it.kind === 'addon') (d.addons ??= []).push(it.id);
    else if (offer.term) d.termMonths = [held.termMonths, offer.term.months];
  }
  return d;
}

export function checkDelivery(d: Deliverable, planRank: number | undefined, held: Holdings): DeliveryCheck {
  const delivered: string[] = [];
  const missing: string[] = [];
  const progress: string[] = [];
  if (d.plan) {
    (planRank !== undefined && planRank >= d.plan.rank ? delivered : missing).push(`plan ${d.plan.id}`);
    if (planRank !== undefined && planRank > d.plan.fromRank && planRank < d.plan.rank) progress.push('a smaller plan move');
  }
  for (const [meter, [base, target]] of Object.entries(d.units ?? {})) {
    const now = held.units[meter] ?? 0;
    if (now >= target) delivered.push(`${target - base} ${meter}`);
    else {
      missing.push(`${target - base} ${meter}`);
      if (now > base) progress.push(`${now - base} of ${target - base} ${meter}`);
    }
  }
  for (const a of d.addons ?? []) (held.addons.includes(a) ? delivered : missing).push(`add-on ${a}`);
  if (d.termMonths) {
    (held.termMonths >= d.termMonths[1] ? delivered : missing).push(`${d.termMonths[1]}-month term`);
    if (held.termMonths > d.termMonths[0] && held.termMonths < d.termMonths[1]) progress.push(`a ${held.termMonths}-month term`);
  }
  const status = missing.length === 0 && delivered.length > 0 ? 'full' : delivered.length > 0 || progress.length > 0 ? 'partial' : 'none';
  return { status, delivered: [...delivered, ...progress], missing };
}

/**
 * When the delivered parts were all there: the latest of the plan move and of each delivered add-on,
 * unit rise and term signing, so a win is not dated at a later, unrelated change. 0 when a part's time
 * is not known (a state saved before per-part times): the caller falls back to the latest change.
 */
export function deliveredAt(d: Deliverable, planRank: number | undefined, held: Holdings, planChangeTs: number): number {
  const ts = held.extrasTs;
  if (!ts) return 0;
  let at = 0;
  let unknown = false;
  const take = (t: number | undefined): void => { if (t) at = Math.max(at, t); else unknown = true; };
  if (d.plan && planRank !== undefined && planRank > d.plan.fromRank) take(planChangeTs);
  for (const [meter, [base]] of Object.entries(d.units ?? {})) if ((held.units[meter] ?? 0) > base) take(ts[`units:${meter}`]);
  for (const a of d.addons ?? []) if (held.addons.includes(a)) take(ts[`addon:${a}`]);
  if (d.termMonths && held.termMonths > d.termMonths[0]) take(ts['term']);
  return unknown ? 0 : at;
}

/** The type an offer is measured under: a bundle counts as its largest part. */
export function measuredType(offer: Pick<Offer, 'type' | 'items'>): Exclude<OfferType, 'bundle'> {
  if (offer.type !== 'bundle') return offer.type;
  const top = [...offer.items].sort((a, b) => b.monthly - a.monthly)[0];
  return top ? top.type : 'tier';
}
