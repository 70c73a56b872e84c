// The funnel and headline figures per offer type (tier, seats, volume, add-on, support, term,
// bundle): which kinds of expansion the motion offers, how far each gets, and what each wins.
import type { OfferType } from '../offers/options.ts';
import { OFFER_TYPES } from '../offers/options.ts';
import type { OppFacts } from './opportunity-facts.ts';
import { funnel, headline } from './upsell-funnel.ts';
import type { FunnelStage } from './upsell-types.ts';

export interface OfferTypeLine {
  type: OfferType;
  opportunities: number;
  offers: number;
  upsells: number;
  conversion: number | null;
  expansionMrr: number;
  /** reached per funnel stage, as the whole funnel counts them */
  funnel: FunnelStage[];
}

/** An opportunity opened before offers had types offered the next tier. */
export const offerTypeOf = (f: OppFacts): OfferType => f.opp.offerType ?? 'tier';

export function byOfferType(facts: readonly OppFacts[]): OfferTypeLine[] {
  const out: OfferTypeLine[] = [];
  for (const type of OFFER_TYPES) {
    const mine = facts.filter((f) => offerTypeOf(f) === type);
    if (mine.length === 0) continue;
    const h = headline(mine);
    out.push({ type, opportunities: mine.length, offers: h.offers, upsells: h.upsells, conversion: h.conversion, expansionMrr: h.expansionMrr, funnel: funnel(mine) });
  }
  return out;
}
