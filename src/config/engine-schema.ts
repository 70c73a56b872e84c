// The `signals`, `scoring` and `offers` sections of tierwise.yaml. Every key is optional:
// what is left out keeps DESIGN §4's default (src/core/scoring/settings.ts).
import { toMilestoneSettings, type MilestonesConfig } from './milestones-schema.ts';
import { z } from 'zod';
import { DEFAULT_SETTINGS, type EngineSettings, type SignalId } from '../core/scoring/settings.ts';

const share = z.number().min(0).max(1);
const days = z.number().int().nonnegative();
const count = z.number().nonnegative();
const cents = z.number().int().nonnegative();
const SIGNAL_IDS = Object.keys(DEFAULT_SETTINGS.scoring.weights) as [SignalId, ...SignalId[]];
const signalId = z.enum(SIGNAL_IDS);

export const signalsConfigSchema = z.object({
  usage_ceiling: z.object({
    levels: z.tuple([share, share, share]).optional().describe('the three utilization levels (default 0.7, 0.8, 0.9)'),
    sustained_level: share.optional(), sustained_days: days.optional(), trend_days: days.optional(),
    spike_factor: z.number().positive().optional().describe('a day above this multiple of the prior 7-day median is a spike'),
  }).strict().optional(),
  limit_exceeded: z.object({ min_times: count.optional(), strong_times: count.optional(),
    min_days_at_limit: days.optional().describe('a meter held at 100% this many days counts as exceeding it (products that throttle at the limit)') }).strict().optional(),
  feature_gate: z.object({ window_days: days.optional(), min_hits: count.optional(), strong_hits: count.optional(), strong_users: count.optional(),
    long_window_days: days.max(96).optional().describe('users who met a paywall this far back still count, at a discount (default 90)') }).strict().optional(),
  power_users: z.object({ min_active_days: days.optional(), min_events: count.optional(), min_users: count.optional(), strong_density: share.optional() }).strict().optional(),
  org_growth: z.object({ window_days: days.optional(), min_members_added: count.optional(), strong_members_added: count.optional(), strong_integrations: count.optional() }).strict().optional(),
  premium_adoption: z.object({ window_days: days.optional(), min_share: share.optional() }).strict().optional(),
  feature_request: z.object({ window_days: days.optional(), topic: z.string().optional(), strong_count: count.optional() }).strict().optional(),
  renewal_window: z.object({ min_days: days.optional(), max_days: days.optional() }).strict().optional(),
  declining_usage: z.object({ window_days: days.min(7).max(28).optional().describe('compare this many days (7-28, whole weeks) against the same span before'), drop: share.optional(), min_baseline: count.optional(), inactive_days: days.optional() }).strict().optional(),
  past_due: z.object({ grace_days: days.optional() }).strict().optional(),
  low_nps: z.object({ max: z.number().int().min(0).max(10).optional(), max_age_days: days.optional() }).strict().optional(),
  members_removed: z.object({ window_days: days.optional(), min: count.optional() }).strict().optional(),
  offer_declined: z.object({ cooldown_days: days.optional() }).strict().optional(),
}).strict().describe('signal thresholds (DESIGN §4 defaults)');

export const scoringConfigSchema = z.object({
  weights: z.partialRecord(signalId, z.number().nonnegative()).optional().describe('points per signal at full strength; negatives subtract'),
  disqualifiers: z.array(signalId).optional(),
  ready_score: z.number().min(0).max(100).optional(),
  min_adoption: share.optional().describe("share of the current plan's features in use before an upsell"),
  adoption_window_days: days.optional(),
}).strict();

const segment = z.enum(['enterprise', 'mid_market', 'smb', 'self_serve']);
export const offersConfigSchema = z.object({
  headroom: z.number().min(0).optional().describe('spare capacity the next tier must leave (0.2 = 20 %)'),
  trial_days: days.optional(),
  routing: z.object({
    product_led_max_arr_cents: cents.optional(), csm_owns_max_arr_cents: cents.optional(), ae_min_arr_cents: cents.optional(),
  }).strict().optional(),
  segment_by_employees: z.object({ enterprise: count.optional(), mid_market: count.optional(), smb: count.optional() }).strict().optional(),
  channels: z.partialRecord(segment, z.array(z.string()).min(1)).optional(),
}).strict();

export type SignalsConfig = z.output<typeof signalsConfigSchema>;
export type ScoringConfig = z.output<typeof scoringConfigSchema>;
export type OffersConfig = z.output<typeof offersConfigSchema>;

/** Drops undefined values so spreading over defaults keeps them. */
function defined<T extends object>(o: T): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<{ [K in keyof T]: Exclude<T[K], undefined> }>;
}

export function toEngineSettings(cfg: { signals?: SignalsConfig | undefined; scoring?: ScoringConfig | undefined; offers?: OffersConfig | undefined; milestones?: MilestonesConfig | undefined }): EngineSettings {
  const d = DEFAULT_SETTINGS;
  const s = cfg.signals ?? {};
  const sc = cfg.scoring ?? {};
  const o = cfg.offers ?? {};
  const u = s.usage_ceiling ?? {};
  return {
    signals: {
      usageCeiling: { ...d.signals.usageCeiling, ...defined({ levels: u.levels, sustainedLevel: u.sustained_level, sustainedDays: u.sustained_days, trendDays: u.trend_days, spikeFactor: u.spike_factor }) },
      limitExceeded: { ...d.signals.limitExceeded, ...defined({ minTimes: s.limit_exceeded?.min_times, strongTimes: s.limit_exceeded?.strong_times, minDaysAtLimit: s.limit_exceeded?.min_days_at_limit }) },
      featureGate: { ...d.signals.featureGate, ...defined({ windowDays: s.feature_gate?.window_days, minHits: s.feature_gate?.min_hits, strongHits: s.feature_gate?.strong_hits, strongUsers: s.feature_gate?.strong_users, longWindowDays: s.feature_gate?.long_window_days }) },
      powerUsers: { ...d.signals.powerUsers, ...defined({ minActiveDays: s.power_users?.min_active_days, minEvents: s.power_users?.min_events, minUsers: s.power_users?.min_users, strongDensity: s.power_users?.strong_density }) },
      orgGrowth: { ...d.signals.orgGrowth, ...defined({ windowDays: s.org_growth?.window_days, minMembersAdded: s.org_growth?.min_members_added, strongMembersAdded: s.org_growth?.strong_members_added, strongIntegrations: s.org_growth?.strong_integrations }) },
      premiumAdoption: { ...d.signals.premiumAdoption, ...defined({ windowDays: s.premium_adoption?.window_days, minShare: s.premium_adoption?.min_share }) },
      featureRequest: { ...d.signals.featureRequest, ...defined({ windowDays: s.feature_request?.window_days, topic: s.feature_request?.topic, strongCount: s.feature_request?.strong_count }) },
      renewalWindow: { ...d.signals.renewalWindow, ...defined({ minDays: s.renewal_window?.min_days, maxDays: s.renewal_window?.max_days }) },
      decliningUsage: { ...d.signals.decliningUsage, ...defined({ windowDays: s.declining_usage?.window_days, drop: s.declining_usage?.drop, minBaseline: s.declining_usage?.min_baseline, inactiveDays: s.declining_usage?.inactive_days }) },
      pastDue: { ...d.signals.pastDue, ...defined({ graceDays: s.past_due?.grace_days }) },
      lowNps: { ...d.signals.lowNps, ...defined({ max: s.low_nps?.max, maxAgeDays: s.low_nps?.max_age_days }) },
      membersRemoved: { ...d.signals.membersRemoved, ...defined({ windowDays: s.members_removed?.window_days, min: s.members_removed?.min }) },
      offerDeclined: { ...d.signals.offerDeclined, ...defined({ cooldownDays: s.offer_declined?.cooldown_days }) },
    },
    scoring: {
      ...d.scoring,
      weights: { ...d.scoring.weights, ...defined(sc.weights ?? {}) },
      ...defined({ disqualifiers: sc.disqualifiers, readyScore: sc.ready_score, minAdoption: sc.min_adoption, adoptionWindowDays: sc.adoption_window_days }),
    },
    offers: {
      ...d.offers,
      ...defined({ headroom: o.headroom, trialDays: o.trial_days }),
      routing: { ...d.offers.routing, ...defined({ productLedMaxArr: o.routing?.product_led_max_arr_cents, csmOwnsMaxArr: o.routing?.csm_owns_max_arr_cents, aeMinArr: o.routing?.ae_min_arr_cents }) },
      segmentByEmployees: { ...d.offers.segmentByEmployees, ...defined({ enterprise: o.segment_by_employees?.enterprise, midMarket: o.segment_by_employees?.mid_market, smb: o.segment_by_employees?.smb }) },
      channels: { ...d.offers.channels, ...defined(o.channels ?? {}) },
    },
    // only when configured, so settings without milestones stay as they were
    ...(cfg.milestones && Object.keys(cfg.milestones).length ? { milestones: toMilestoneSettings(cfg) } : {}),
  };
}
