// The ground truth the simulator writes to truth.ndjson: what an evaluator may know and the
// engine never sees. One record per account.
import type { Interval } from '../core/events/types.ts';
import type { Archetype, Segment } from './params.ts';

export interface MeterShape {
  archetype: Archetype;
  /** the need at day 0 (monthly amount for counters, level for gauges) */
  base: number;
  /** yearly log rate (growing > 0, declining < 0, steady drift) */
  rate: number;
  /** seasonal: relative amplitude, period (days) and phase (0..1) */
  amplitude: number;
  periodDays: number;
  phase: number;
  /** one-off spike: the day of its peak, the peak as a multiple of the base, its width (days) */
  spikeDay: number;
  spikeMagnitude: number;
  spikeWidthDays: number;
}

export interface MeterTruth extends MeterShape {
  kind: 'counter' | 'gauge' | 'seats';
  needStart: number;
  needEnd: number;
  /** limit of the plan held at the end (null: unlimited) */
  limitEnd: number | null;
  /** observed level (gauges) or last-30-days usage (counters) over the limit held at the end */
  utilizationEnd: number;
  /** usage events flagged exceeded: true */
  exceededEvents: number;
}

export interface FeatureTruth {
  /** rank index of the cheapest plan that has it (0 = entry plan) */
  tier: number;
  needStart: number;
  needEnd: number;
  /** yearly change of the latent need */
  slope: number;
  gateHits: number;
}

export type OutcomeKind = 'upgrade' | 'downgrade' | 'churn';

export interface Outcome {
  day: number;
  at: string;
  kind: OutcomeKind;
  from: string;
  to: string | null;
  cause: string;
}

export interface AccountTruth {
  account: string;
  segment: Segment;
  employees: number;
  interval: Interval;
  customerSince: string;
  /** plan ids, cheapest first (so respondToOffer can compare ranks without the catalog) */
  ladder: string[];
  planStart: string;
  /** null when churned */
  planEnd: string | null;
  users: { start: number; end: number; power: number };
  meters: Record<string, MeterTruth>;
  features: Record<string, FeatureTruth>;
  ready: {
    /** first day (index from the start) the account was ready to upgrade; null if never */
    day: number | null;
    at: string | null;
    /** e.g. "meter:api_calls", "feature:sso" */
    reasons: string[];
    targetPlan: string | null;
    /** how many simulated days it was ready */
    days: number;
  };
  /** sampled every 7 days from day 0: index w covers days 7w..7w+6 */
  weekly: {
    health: number[];
    /** max over meters of need / limit of the plan held (smooth need, spikes excluded) */
    pressure: number[];
    /** needed features above the plan held */
    featureGap: number[];
    ready: boolean[];
    plan: (string | null)[];
    target: (string | null)[];
    /** the kinds of expansion needed that week, '+'-joined (seats, volume, module, support, term, tier; '' none) */
    needs: string[];
  };
  /** every kind of expansion the account needed at some weekly sample (extras.ts), in that order */
  needTypes: string[];
  /**
   * what it bought beyond the plan without an offer: units ("seats:8"), a module, support, a term
   * ("24m"); a multi-year term signed ahead of its renewal says the day it starts
   */
  purchases: { day: number; type: string; item: string; starts?: number }[];
  health: { start: number; end: number };
  /** gate events hit while a needed feature was above the plan vs merely curious clicks */
  gates: { withNeed: number; curious: number };
  /** true if at any time a needed feature or a meter need exceeded the plan held */
  everNeededAbovePlan: boolean;
  outcomes: Outcome[];
  /** activation of the features an upgrade was for: null if no feature-driven upgrade */
  activated: boolean | null;
  events: number;
}
