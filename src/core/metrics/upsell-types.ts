// What the upsell measurement reads and reports (DESIGN §4 "Metrics", issue 6 part 2). Inputs are
// plain data the app layer gathers from the store; money is integer cents a month unless named ARR.
import type { Opportunity, OppStage } from '../playbooks/opportunity.ts';
import type { Channel } from '../playbooks/types.ts';

/** One customer-facing contact on an opportunity: a step that ran or a touch (prompt, email, task). */
export interface Contact { opportunity: string; channel: Channel; at: number }

/** One subscription change of an account, as the outcome source (DESIGN §3). */
export interface SubscriptionChange {
  id: string;
  account: string;
  at: number;
  plan: string;
  mrr: number;
  discountPct?: number;
  termMonths?: number;
}

/** One `feature` event: a feature used, for post-upgrade activation. */
export interface FeatureUse { account: string; feature: string; at: number }

export interface UpsellSettings {
  /** shared credit when both a CSM and an AE touched a won deal (seed 002: CSM 30-40 %, AE 60-70 %) */
  creditSplit: { csm: number; ae: number };
  discount: { thresholdPct: number; multiYearMonths: number };
  activationDays: readonly number[];
  /** an open opportunity untouched this long is stale */
  staleDays: number;
  forecast: ForecastSettings;
}

export interface ForecastSettings {
  periodDays: number;
  /** how many exposures (opportunity-periods) the prior is worth against the history */
  priorWeight: number;
  /** P(won within one period) assumed per open stage when there is no history */
  stagePriors: Record<OpenStage, number>;
}

export type OpenStage = Exclude<OppStage, 'closed_won' | 'closed_lost'>;

export const DEFAULT_UPSELL_SETTINGS: UpsellSettings = {
  creditSplit: { csm: 0.35, ae: 0.65 },
  discount: { thresholdPct: 10, multiYearMonths: 24 },
  activationDays: [14, 30],
  staleDays: 14,
  forecast: {
    periodDays: 30,
    priorWeight: 5,
    // A stated prior, not a measurement: seed 002's 8 % calendar baseline at the top of the funnel,
    // rising to a coin flip once a proposal (or a trial) is on the table, read as the chance of
    // closing won within the next period.
    stagePriors: { trigger_identified: 0.08, qualified: 0.12, outreach_sent: 0.18, engaged: 0.3, proposal: 0.5 },
  },
};

export interface UpsellInput {
  opportunities: readonly Opportunity[];
  contacts: readonly Contact[];
  subscriptions: readonly SubscriptionChange[];
  features: readonly FeatureUse[];
  /** playbook id -> the signals its trigger listens to (from the config) */
  playbookSignals: Readonly<Record<string, readonly string[]>>;
  now: number;
}

export interface Conversion { key: string; offers: number; upsells: number; conversion: number | null; expansionMrr: number }

export interface FunnelStage { stage: OppStage; name: string; reached: number; /** reached the next stage / reached this one */ toNext: number | null }

export interface Distribution { count: number; meanDays: number | null; medianDays: number | null; p90Days: number | null }
