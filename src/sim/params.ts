// Every knob of the synthetic world, with its default. docs/simulator.md explains where each
// figure comes from; keep the two in step when a default changes.

export const SEGMENTS = ['self_serve', 'smb', 'mid_market', 'enterprise'] as const;
export type Segment = (typeof SEGMENTS)[number];

export const ARCHETYPES = ['steady', 'growing', 'seasonal', 'spike', 'declining'] as const;
export type Archetype = (typeof ARCHETYPES)[number];

export type BySegment<T> = Record<Segment, T>;

export interface SimParams {
  /** share of accounts per segment (by count) */
  segmentMix: BySegment<number>;
  /** employee count range per segment (log-uniform) */
  employees: BySegment<[number, number]>;
  /**
   * Where a segment's typical (median) need sits on the plan ladder: [plan index, fraction of
   * that plan's limit]. Needs are relative to the catalog so any tierwise.yaml gives a sane world.
   */
  needAnchor: BySegment<[number, number]>;
  /** log-space spread of an account's overall size (shared by its meters) */
  sizeSigma: number;
  /** log-space spread per meter on top of the size: counters are heavier-tailed than gauges */
  meterSigma: { counter: number; gauge: number; seats: number };
  /** a limit shown as unlimited is treated as this many times the previous finite limit when scaling needs */
  unlimitedScale: number;
  /** weights of the growth archetypes */
  archetypeMix: Record<Archetype, number>;
  /** probability that a meter follows the account's own archetype rather than drawing its own */
  archetypeCoherence: number;
  /** yearly log-growth rate ranges: need(t) = base * exp(rate * t / 365) */
  growthRate: [number, number];
  declineRate: [number, number];
  /** steady drift per year (either sign) */
  steadyDrift: number;
  /** seasonal amplitude range and period (days) */
  seasonalAmplitude: [number, number];
  seasonalPeriodDays: number;
  /** one-off spike: multiple of the base at its peak, and width (days) */
  spikeMagnitude: [number, number];
  spikeWidthDays: number;
  /** day-to-day noise of observed usage (log-space sigma) */
  dailyNoise: number;
  /** initial plan: the cheapest plan where need <= fit * limit, fit drawn in this range */
  initialFit: [number, number];
  /** probability that the initial plan also had to include the features the account needed */
  initialFeatureFit: number;
  /** share of accounts billed annually, per segment */
  annualShare: BySegment<number>;
  /** customer age at the start of the simulation, days (uniform) */
  customerAgeDays: [number, number];
  /** CSM / AE owner assignment probability per segment */
  csmShare: BySegment<number>;
  aeShare: BySegment<number>;
  /** probability that a user is a power user (the account's first user is one more often) */
  powerUserShare: number;
  ownerPowerShare: number;
  /** probability that a member is active on a given day */
  sessionRate: { regular: number; power: number };
  /** weekend activity as a share of weekday activity */
  weekendFactor: number;
  /** share of days a counter meter records usage, weekday / weekend (API traffic is partly automated) */
  counterActiveRate: { weekday: number; weekend: number };
  /** feature-use events per session, and the latent need above which a feature is "needed" */
  featureEventRate: number;
  featureNeedThreshold: number;
  /** segment affinity for features one and two+ tiers above the entry plan: scales the latent need */
  featureAffinity: BySegment<[number, number]>;
  /** per session: probability to hit the gate of a needed higher-tier feature, and of a merely curious click */
  gateRate: number;
  curiousGateRate: number;
  /** over-limit attempts as a share of the demand above the limit (users back off after a few errors) */
  overLimitAttemptShare: number;
  /** per active day when a gauge (storage, projects, seats) wants to go above its limit: chance of an attempt */
  gaugeAttemptRate: number;
  /** readiness: a meter at this share of its limit, or a needed higher-tier feature, with health above the floor */
  readyMeterShare: number;
  readyHealthFloor: number;
  /** headroom the target plan must leave: need <= share * limit */
  targetHeadroom: number;
  /** daily hazard of a self-serve upgrade for a ready account, per segment */
  selfUpgradeHazard: BySegment<number>;
  /**
   * Expansion beyond the tier, bought without an offer (extras.ts; docs/simulator.md says where each
   * comes from): daily hazards while a seat/volume, module or support need lasts; per billing cycle,
   * a healthy monthly account moving to annual; per annual renewal, a healthy account signing the
   * next longer term.
   */
  unitBuyHazard: BySegment<number>;
  moduleBuyHazard: BySegment<number>;
  supportBuyHazard: BySegment<number>;
  monthlyToAnnual: number;
  multiYearAtRenewal: number;
  /**
   * Days a purchase that goes through people takes, by segment (seed 000's sales cycles): premium
   * support lands this long after the ticket load that decided it, and a multi-year renewal is
   * signed this long before the renewal date.
   */
  salesCycleDays: BySegment<[number, number]>;
  /** monthly (per billing cycle) and annual (per renewal) churn probability at full health, per segment */
  monthlyChurn: BySegment<number>;
  annualChurn: BySegment<number>;
  /** multipliers of churn: poor health, declining usage, stuck over a limit, upgraded without activating (seed 002: 3x) */
  churnMultiplier: { unhealthy: number; declining: number; stuckOverLimit: number; notActivated: number };
  /** probability to downgrade at a billing date when every need fits the plan below with room */
  downgradeChance: number;
  /** the share of the lower plan's limit needs must stay under for a downgrade */
  downgradeFit: number;
  /** after an upgrade for features: probability the account starts using them (the rest are churn risks) */
  activationRate: number;
  /** daily probabilities of background events */
  ticketRate: number;
  criticalShare: number;
  featureUnavailableShare: number;
  integrationRate: number;
  /** an NPS survey reaches each account about once per this many days */
  npsEveryDays: number;
  npsNoise: number;
  /** invoice past-due probability: base plus a share of (1 - health) */
  pastDueBase: number;
  pastDueHealth: number;
  /** health: initial range, daily pull toward its target, and penalties */
  healthStart: [number, number];
  healthPull: number;
}

export const DEFAULT_PARAMS: SimParams = {
  segmentMix: { self_serve: 0.5, smb: 0.3, mid_market: 0.15, enterprise: 0.05 },
  employees: { self_serve: [1, 20], smb: [20, 200], mid_market: [200, 2000], enterprise: [2000, 50000] },
  needAnchor: { self_serve: [0, 0.3], smb: [0, 0.7], mid_market: [1, 0.35], enterprise: [2, 0.3] },
  sizeSigma: 0.45,
  meterSigma: { counter: 0.9, gauge: 0.6, seats: 0.35 },
  unlimitedScale: 4,
  archetypeMix: { steady: 0.33, growing: 0.3, seasonal: 0.12, spike: 0.1, declining: 0.15 },
  archetypeCoherence: 0.6,
  growthRate: [0.8, 3.0],
  declineRate: [0.6, 2.0],
  steadyDrift: 0.1,
  seasonalAmplitude: [0.15, 0.45],
  seasonalPeriodDays: 91,
  spikeMagnitude: [1.5, 5],
  spikeWidthDays: 2.5,
  dailyNoise: 0.3,
  initialFit: [0.55, 1.0],
  initialFeatureFit: 0.6,
  annualShare: { self_serve: 0.2, smb: 0.35, mid_market: 0.6, enterprise: 0.85 },
  customerAgeDays: [30, 1100],
  csmShare: { self_serve: 0, smb: 0.1, mid_market: 1, enterprise: 1 },
  aeShare: { self_serve: 0, smb: 0, mid_market: 0.3, enterprise: 1 },
  powerUserShare: 0.12,
  ownerPowerShare: 0.6,
  sessionRate: { regular: 0.1, power: 0.5 },
  weekendFactor: 0.2,
  counterActiveRate: { weekday: 0.75, weekend: 0.25 },
  featureEventRate: 0.15,
  featureNeedThreshold: 0.6,
  featureAffinity: { self_serve: [0.6, 0.2], smb: [0.75, 0.3], mid_market: [0.9, 0.5], enterprise: [1, 0.85] },
  gateRate: 0.12,
  curiousGateRate: 0.001,
  overLimitAttemptShare: 0.3,
  gaugeAttemptRate: 0.25,
  readyMeterShare: 0.9,
  readyHealthFloor: 0.35,
  targetHeadroom: 0.8,
  selfUpgradeHazard: { self_serve: 0.004, smb: 0.0025, mid_market: 0.001, enterprise: 0.0004 },
  unitBuyHazard: { self_serve: 0.012, smb: 0.0075, mid_market: 0.003, enterprise: 0.0012 },
  moduleBuyHazard: { self_serve: 0.006, smb: 0.00375, mid_market: 0.0015, enterprise: 0.0006 },
  supportBuyHazard: { self_serve: 0, smb: 0, mid_market: 0.006, enterprise: 0.006 },
  monthlyToAnnual: 0.01,
  multiYearAtRenewal: 0.1,
  salesCycleDays: { self_serve: [1, 7], smb: [7, 14], mid_market: [30, 45], enterprise: [60, 90] },
  monthlyChurn: { self_serve: 0.03, smb: 0.018, mid_market: 0.01, enterprise: 0.006 },
  annualChurn: { self_serve: 0.2, smb: 0.12, mid_market: 0.08, enterprise: 0.05 },
  churnMultiplier: { unhealthy: 3, declining: 2, stuckOverLimit: 1.5, notActivated: 3 },
  downgradeChance: 0.3,
  downgradeFit: 0.7,
  activationRate: 0.7,
  ticketRate: 0.006,
  criticalShare: 0.04,
  featureUnavailableShare: 0.35,
  integrationRate: 0.004,
  npsEveryDays: 90,
  npsNoise: 1.3,
  pastDueBase: 0.02,
  pastDueHealth: 0.12,
  healthStart: [0.45, 0.95],
  healthPull: 0.03,
};
