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
}

export const SUPPORT_RANK: Record<CsmLevel, number> = { none: 0, assigned: 1, dedicated: 2 };
