// The upsell report: every figure of issue 6 part 2 from one set of facts.
import { activation, type Activation } from './activation.ts';
import { attribution, creditSplit, type Attribution, type CreditSplit } from './attribution.ts';
import { forecast, type Forecast } from './forecast.ts';
import { factsOf } from './opportunity-facts.ts';
import { pipelineHealth, type PipelineHealth } from './pipeline-health.ts';
import { funnel, headline, type Headline } from './upsell-funnel.ts';
import { byOfferType, type OfferTypeLine } from './upsell-by-type.ts';
import { upsellDiscounts, type UpsellDiscounts } from './upsell-discounts.ts';
import type { FunnelStage, UpsellInput, UpsellSettings } from './upsell-types.ts';

export interface UpsellReport {
  now: number;
  headline: Headline;
  funnel: FunnelStage[];
  /** the funnel and headline per offer type */
  byOfferType: OfferTypeLine[];
  attribution: Attribution;
  credit: CreditSplit;
  activation: Activation;
  pipeline: PipelineHealth;
  discounts: UpsellDiscounts;
  forecast: Forecast;
}

export function computeUpsell(i: UpsellInput, s: UpsellSettings): UpsellReport {
  const facts = factsOf(i.opportunities, i.contacts, i.subscriptions, i.playbookSignals);
  return {
    now: i.now,
    headline: headline(facts),
    funnel: funnel(facts),
    byOfferType: byOfferType(facts),
    attribution: attribution(facts),
    credit: creditSplit(facts, s.creditSplit),
    activation: activation(facts, i.features, s.activationDays, i.now),
    pipeline: pipelineHealth(i.opportunities, i.now, s.staleDays),
    discounts: upsellDiscounts(facts, s.discount),
    forecast: forecast(i.opportunities, i.now, s.forecast),
  };
}
