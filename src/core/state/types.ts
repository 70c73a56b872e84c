// The per-account rolling aggregates that signals read. Every field is bounded: rings of days,
// week counters, and capped sets, so one account's state stays small whatever its event volume.
import type { SubscriptionStatus } from '../events/types.ts';
import type { WeekCounter } from './week-counter.ts';

/** Days kept per meter (>= 90, DESIGN §4: trends and 90-day history). */
export const RING_DAYS = 96;
export const USER_CAP = 32;
/** who used a feature: a few names are enough to say "by whom"; gates keep more since distinct users is a signal */
export const FEATURE_USER_CAP = 4;
export const GATE_USER_CAP = 8;
export const SET_CAP = 16;
export const UNMAPPED_CAP = 8;

export interface MeterState {
  /** gauges (reset none): the day's closing level; counters: the day's sum */
  gauge: boolean;
  /** seats kept from member events because the product sends no `seats` gauge (DESIGN §3) */
  derived: boolean;
  /** first and newest day written */
  first: number;
  last: number;
  /** ring[day % RING_DAYS] */
  ring: number[];
  /** gauges: latest level and its time */
  level: number;
  levelTs: number;
  /** the period (month or day key) over-limit hits belong to */
  period: number;
  /** usage events after which the meter stood above its limit, this period */
  over: number;
  /** the running total of the current period for counters */
  periodSum: number;
}

/** A user id (hashed) and the last day it was seen. */
export type SeenUser = [hash: number, day: number];

export interface UserActivity {
  h: number;
  /** last active day */
  d: number;
  /** bit i set: active on day d - i (28 days) */
  m: number;
  /** events per week, last 4 weeks: [week, w0, w1, w2, w3] indexed by week % 4 */
  e: [number, number, number, number, number];
}

export interface GateState { c: WeekCounter; u: SeenUser[] }
export interface FeatureUse { first: number; last: number; n: number; u: SeenUser[] }

export interface AccountState {
  account: string;
  /** false until an `account` event described it: a placeholder made by another event */
  described: boolean;
  firstTs: number;
  lastTs: number;
  events: number;
  /** events that carry activity (everything but billing/admin), per week */
  activity: WeekCounter;
  /** engagement per week: sessions and feature uses, the things people do (not metered roll-ups) */
  engage: WeekCounter;

  // subscription
  plan: string;
  interval: 'month' | 'year' | '';
  status: SubscriptionStatus | '';
  mrr: number;
  seatsBought: number;
  /** add-ons held (modules, support levels) */
  addons: string[];
  /** extra units bought beyond the plan, per meter */
  units: Record<string, number>;
  /** committed term in months from the subscription (0: none) */
  termMonths: number;
  /** when the add-ons, units or term last changed (0: never) */
  extrasChangeTs: number;
  /**
   * when each part held now came: `addon:<id>` bought, `units:<meter>` last rose, `term` last lengthened,
   * so a win is dated at the change that delivered it (absent in states saved before issue #15)
   */
  extrasTs: Record<string, number>;
  /** the billing anchor: when the current plan/interval started */
  anchorTs: number;
  prevPlan: string;
  planChangeTs: number;
  /** -1 downgrade, 1 upgrade, 0 none: the last plan change */
  planChange: -1 | 0 | 1;

  // traits
  segment: string;
  employees: number;
  renewalTs: number;

  meters: Record<string, MeterState>;
  gates: Record<string, GateState>;
  features: Record<string, FeatureUse>;
  users: UserActivity[];

  members: number;
  membersAdded: WeekCounter;
  membersRemoved: WeekCounter;
  integrations: string[];
  integrationsAdded: WeekCounter;

  /** open tickets: id -> [severity code 0..3, 1 when topic is feature_unavailable] */
  openTickets: Record<string, [number, number]>;
  featureAsks: WeekCounter;

  pastDue: string[];
  pastDueSince: number;

  nps: number;
  npsTs: number;

  offersShown: number;
  lastOfferTs: number;
  declines: number;
  lastDeclineTs: number;
  lastConvertTs: number;

  unmapped: Record<string, number>;
}
