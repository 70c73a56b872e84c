// The plan catalog as the core sees it: cents, ranks, limits per meter, features, support.

/** How a meter's limit resets: periodic meters are counters, `none` meters are gauges (stock). */
export type ResetPeriod = 'month' | 'day' | 'none';

export interface Meter {
  id: string;
  name: string;
  unit: string;
  reset: ResetPeriod;
}

export type CsmLevel = 'none' | 'assigned' | 'dedicated';

export interface SupportLevel {
  channels: string[];
  responseHours: number;
  csm: CsmLevel;
}

export interface Price {
  /** cents per month when billed monthly */
  monthly: number;
  /** cents per year when billed annually (absent: annual billing not offered) */
  annual?: number;
}

export interface Plan {
  id: string;
  name: string;
  rank: number;
  price: Price;
  /** per meter: a number, or null for unlimited. A meter absent from limits is not offered. */
  limits: Record<string, number | null>;
  features: string[];
  support: SupportLevel;
  /** extra units sold on this plan, per meter (absent: the meter's limit is only raised by a higher tier or an add-on) */
  units?: UnitPrice[];
}

/**
 * A per-unit price on a plan, following Stripe's Price model so that a Stripe subscription item maps
 * onto it one to one: `per_unit` with packages of `blockSize` units (Stripe's transform_quantity
 * divide_by, rounded up), or `graduated` / `volume` tiers counted in blocks.
 */
export interface UnitPrice {
  meter: string;
  scheme: 'per_unit' | 'graduated' | 'volume';
  /** per_unit: cents per block per month */
  unitAmount: number;
  /** units per block (1: per unit; 10: per 10 GB) */
  blockSize: number;
  /** graduated/volume: tiers in blocks, last one open (upTo null) */
  tiers: UnitTier[];
  /** units the plan includes before any is charged (default: the plan's limit) */
  included: number;
  /** the most extra units sold on this plan (null: until the next tier is the better deal) */
  maxExtra: number | null;
  /** Stripe price ids that stand for this unit price */
  stripePrices: string[];
}

export interface UnitTier { upTo: number | null; unitAmount: number; flatAmount: number }

export type AddonKind = 'module' | 'support';

/** A module or support level sold separately on some plans (seed 002: add-ons bridge the gaps between tiers). */
export interface Addon {
  id: string;
  name: string;
  kind: AddonKind;
  price: Price;
  /** features it grants */
  features: string[];
  /** extra units per meter it grants, on top of the plan's limit */
  limits: Record<string, number>;
  /** support level it brings (support add-ons) */
  support?: SupportLevel;
  /** plans it can be bought on */
  availableOn: string[];
  /** plans that include it */
  includedIn: string[];
  stripePrices: string[];
}

/** A commitment length and the largest discount it allows (seed 002: > 10 % only for multi-year). */
export interface Term {
  id: string;
  name: string;
  months: number;
  maxDiscountPct: number;
}
/** What a feature is worth to a customer, for ROI (seed 004: hours/week x people x hourly cost). */
export interface ValueDriver {
  hoursPerWeek: number;
  people: number;
  hourlyCostCents: number;
}

export interface Feature {
  id: string;
  name: string;
  value?: ValueDriver;
}

export interface Catalog {
  currency: string;
  meters: Meter[];
  features: Feature[];
  /** sorted by rank, lowest first */
  plans: Plan[];
  /** add-on modules and support levels (empty: none sold) */
  addons: Addon[];
  /** commitment terms, shortest first (empty: monthly and annual billing only, no discount) */
  terms: Term[];
}

export const SUPPORT_RANK: Record<CsmLevel, number> = { none: 0, assigned: 1, dedicated: 2 };
