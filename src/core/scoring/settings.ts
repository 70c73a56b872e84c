// Every threshold and weight the engine uses, with DESIGN.md section 4's defaults.
// The config layer (src/config/engine-schema.ts) fills these from tierwise.yaml.
import type { MilestoneSettings } from '../milestones/milestones.ts';

export type SignalId =
  | 'usage_ceiling' | 'limit_exceeded' | 'feature_gate' | 'power_users' | 'org_growth'
  | 'premium_adoption' | 'feature_request' | 'renewal_window' | 'ticket_load'
  | 'declining_usage' | 'past_due' | 'critical_ticket' | 'low_nps' | 'members_removed' | 'offer_declined';

export type Segment = 'enterprise' | 'mid_market' | 'smb' | 'self_serve';
export type Route = 'product_led' | 'csm' | 'ae';

export interface SignalSettings {
  usageCeiling: { levels: [number, number, number]; sustainedLevel: number; sustainedDays: number; trendDays: number; spikeFactor: number };
  limitExceeded: { minTimes: number; strongTimes: number; minDaysAtLimit: number };
  featureGate: { windowDays: number; minHits: number; strongHits: number; strongUsers: number; longWindowDays: number };
  powerUsers: { minActiveDays: number; minEvents: number; minUsers: number; strongDensity: number };
  orgGrowth: { windowDays: number; minMembersAdded: number; strongMembersAdded: number; strongIntegrations: number };
  premiumAdoption: { windowDays: number; minShare: number };
  featureRequest: { windowDays: number; topic: string; strongCount: number };
  renewalWindow: { minDays: number; maxDays: number };
  decliningUsage: { windowDays: number; drop: number; minBaseline: number; inactiveDays: number };
  pastDue: { graceDays: number };
  lowNps: { max: number; maxAgeDays: number };
  membersRemoved: { windowDays: number; min: number };
  offerDeclined: { cooldownDays: number };
}

export interface ScoringSettings {
  /** points per signal at strength 1; negatives are subtracted */
  weights: Record<SignalId, number>;
  /** signals that make an account not ready whatever its score */
  disqualifiers: SignalId[];
  readyScore: number;
  /** share of the current plan's features used in the adoption window */
  minAdoption: number;
  adoptionWindowDays: number;
}

export interface OfferSettings {
  headroom: number;
  trialDays: number;
  /** ARR delta thresholds in cents */
  routing: { productLedMaxArr: number; csmOwnsMaxArr: number; aeMinArr: number };
  /** employees at or above which an account belongs to a segment, when traits.segment is absent */
  segmentByEmployees: { enterprise: number; midMarket: number; smb: number };
  channels: Record<Segment, string[]>;
}

export interface EngineSettings {
  signals: SignalSettings;
  scoring: ScoringSettings;
  offers: OfferSettings;
  /** value-realization milestones per segment; where set they decide Initial Adoption vs Active Usage */
  milestones?: MilestoneSettings;
}

export const DEFAULT_SETTINGS: EngineSettings = {
  signals: {
    usageCeiling: { levels: [0.7, 0.8, 0.9], sustainedLevel: 0.8, sustainedDays: 7, trendDays: 14, spikeFactor: 3 },
    limitExceeded: { minTimes: 1, strongTimes: 10, minDaysAtLimit: 3 },
    featureGate: { windowDays: 30, minHits: 1, strongHits: 10, strongUsers: 3, longWindowDays: 90 },
    powerUsers: { minActiveDays: 12, minEvents: 15, minUsers: 1, strongDensity: 0.3 },
    orgGrowth: { windowDays: 30, minMembersAdded: 2, strongMembersAdded: 6, strongIntegrations: 2 },
    premiumAdoption: { windowDays: 30, minShare: 0.5 },
    featureRequest: { windowDays: 60, topic: 'feature_unavailable', strongCount: 2 },
    renewalWindow: { minDays: 60, maxDays: 90 },
    decliningUsage: { windowDays: 14, drop: 0.3, minBaseline: 10, inactiveDays: 30 },
    pastDue: { graceDays: 0 },
    lowNps: { max: 6, maxAgeDays: 180 },
    membersRemoved: { windowDays: 30, min: 2 },
    offerDeclined: { cooldownDays: 30 },
  },
  scoring: {
    // tuned on simulated worlds (docs/adr/0003-scoring.md): the two seeds' strongest sources lead
    weights: {
      usage_ceiling: 35, limit_exceeded: 20, feature_gate: 45, power_users: 5, org_growth: 5,
      premium_adoption: 15, feature_request: 25, renewal_window: 5, ticket_load: 0,
      declining_usage: 10, past_due: 30, critical_ticket: 25, low_nps: 5, members_removed: 10, offer_declined: 20,
    },
    disqualifiers: ['past_due', 'critical_ticket', 'offer_declined'],
    readyScore: 35,
    minAdoption: 0.3,
    adoptionWindowDays: 60,
  },
  offers: {
    headroom: 0.2,
    trialDays: 14,
    routing: { productLedMaxArr: 300_000, csmOwnsMaxArr: 1_000_000, aeMinArr: 5_000_000 },
    segmentByEmployees: { enterprise: 1000, midMarket: 100, smb: 10 },
    channels: {
      enterprise: ['csm_call', 'executive_email'],
      mid_market: ['email', 'call', 'in_app'],
      smb: ['in_app', 'automated_email'],
      self_serve: ['in_app', 'help_content'],
    },
  },
};
