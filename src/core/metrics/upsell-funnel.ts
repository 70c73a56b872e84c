// The funnel (seed 000: Trigger -> Qualified -> Outreach -> Engaged -> Proposal -> Closed won), the
// headline conversion (upsells / offers), time to upsell and average upsell value.
import { OPP_STAGE_NAMES, OPP_STAGES, type OppStage } from '../playbooks/opportunity.ts';
import { DAY_MS, rankOf, ratio, type OppFacts } from './opportunity-facts.ts';
import { distribution } from './stats.ts';
import type { Distribution, FunnelStage } from './upsell-types.ts';

const FUNNEL: readonly OppStage[] = OPP_STAGES.filter((s) => s !== 'closed_lost');

/** Did it pass `stage`? Offered wins pass every stage; the rest reach what their history records. */
function reached(f: OppFacts, stage: OppStage): boolean {
  if (stage === 'closed_won') return f.won && f.offered;
  return (f.won && f.offered) || f.recordedRank >= rankOf(stage);
}

export function funnel(facts: readonly OppFacts[]): FunnelStage[] {
  const counts = FUNNEL.map((s) => facts.filter((f) => reached(f, s)).length);
  return FUNNEL.map((stage, i) => {
    const n = counts[i] ?? 0;
    const next = counts[i + 1];
    return { stage, name: OPP_STAGE_NAMES[stage], reached: n, toNext: next === undefined ? null : ratio(next, n) };
  });
}

export interface Headline {
  opportunities: number;
  open: number;
  offers: number;
  /** offered opportunities that were won */
  upsells: number;
  /** offered opportunities that were lost */
  lostOffers: number;
  conversion: number | null;
  /** among offers that closed: won / (won + lost) */
  closeRate: number | null;
  /** upgrades on opportunities nobody had contacted yet: counted apart, not as the motion's wins */
  organicWins: number;
  expansionMrr: number;
  /** expansion MRR / upsells, cents a month (ARR 12x) */
  averageUpsellMrr: number | null;
  /** upsells whose MRR came from a subscription change (the rest use the quoted delta) */
  realizedFromSubscriptions: number;
  /** opening to close of each upsell */
  timeToUpsell: Distribution;
  /** first recorded outreach to close of each upsell */
  outreachToUpsell: Distribution;
}

function firstOutreachAt(f: OppFacts): number | undefined {
  const h = f.opp.history.find((e) => e.stage !== undefined && e.stage !== 'closed_won' && e.stage !== 'closed_lost' && rankOf(e.stage) >= rankOf('outreach_sent'));
  return h?.at;
}

export function headline(facts: readonly OppFacts[]): Headline {
  const offers = facts.filter((f) => f.offered);
  const ups = offers.filter((f) => f.won);
  const lost = offers.filter((f) => f.lost).length;
  const mrr = ups.reduce((a, f) => a + (f.realized?.mrrDelta ?? 0), 0);
  const days = (from: number, to: number | undefined): number => ((to ?? from) - from) / DAY_MS;
  return {
    opportunities: facts.length,
    open: facts.filter((f) => f.opp.status === 'open').length,
    offers: offers.length, upsells: ups.length, lostOffers: lost,
    conversion: ratio(ups.length, offers.length),
    closeRate: ratio(ups.length, ups.length + lost),
    organicWins: facts.filter((f) => f.organicWin).length,
    expansionMrr: mrr,
    averageUpsellMrr: ups.length === 0 ? null : Math.round(mrr / ups.length),
    realizedFromSubscriptions: ups.filter((f) => f.realized?.change).length,
    timeToUpsell: distribution(ups.map((f) => days(f.opp.openedAt, f.opp.closedAt))),
    outreachToUpsell: distribution(ups.flatMap((f) => {
      const at = firstOutreachAt(f);
      return at === undefined ? [] : [days(at, f.opp.closedAt)];
    })),
  };
}
