// What an account may use right now: every feature (available or not, and what grants it) and every
// meter (its limit, what is used, what is left), counting the plan, the add-ons and extra units held,
// and any trial running at `now`. A trial counts from its start to its end and not a millisecond past
// it, whatever the scheduler has recorded yet: the product locks the feature the moment it ends.
import { findPlan } from '../catalog/catalog.ts';
import { effectivePlan, findAddon, type Holdings } from '../catalog/holdings.ts';
import type { Catalog, Plan, ResetPeriod } from '../catalog/types.ts';

/** A trial as the entitlements see it: of a higher tier, or of one add-on module. */
export interface TrialGrant {
  id: string;
  /** the tier tried, or (with `addon`) the account's own plan */
  plan: string;
  addon?: string;
  startedAt: number;
  endsAt: number;
}

export type Grant = 'plan' | 'addon' | 'units' | 'trial';

export interface FeatureEntitlement {
  id: string;
  name: string;
  available: boolean;
  /** what grants it (null: nothing; the plan wins over an add-on, an add-on over a trial) */
  via: Grant | null;
  /** the add-on that grants it, or the add-on / tier on trial */
  addon?: string;
  trialPlan?: string;
  /** when the trial that grants it ends (epoch ms) */
  trialEndsAt?: number;
}

export interface MeterEntitlement {
  id: string;
  name: string;
  unit: string;
  reset: ResetPeriod;
  /** null: unlimited; 0: the plan does not offer this meter */
  limit: number | null;
  used: number;
  /** null: unlimited; never below 0 */
  remaining: number | null;
  /** used / limit (0 when unlimited) */
  util: number;
  /** what raised the limit above the plan's own (null: the plan's limit) */
  via: Grant | null;
}

export interface ActiveTrial { id: string; plan: string; addon?: string; name: string; startedAt: number; endsAt: number }

export interface Entitlements {
  account: string;
  plan: string;
  planName: string;
  asOf: number;
  features: FeatureEntitlement[];
  meters: MeterEntitlement[];
  trials: ActiveTrial[];
  /** the earliest moment this answer changes by itself (a trial ending), null if none */
  changesAt: number | null;
}

export interface EntitlementInput {
  account: string;
  plan: string;
  holdings: Holdings;
  trials: readonly TrialGrant[];
  /** per meter: this period's use (counters) or the current level (gauges) */
  usage: Readonly<Record<string, number>>;
  now: number;
}

const running = (t: TrialGrant, now: number): boolean => t.startedAt <= now && now < t.endsAt;

const asLimit = (v: number | null | undefined): number => (v === null ? Number.POSITIVE_INFINITY : v ?? 0);

export function entitlements(catalog: Catalog, i: EntitlementInput): Entitlements {
  const listed = findPlan(catalog, i.plan);
  if (!listed) throw new Error(`entitlements for "${i.account}": plan "${i.plan}" is not in the catalog`);
  const noExtras: Holdings = { addons: [], units: {}, termMonths: i.holdings.termMonths };
  const held = effectivePlan(catalog, listed, i.holdings);
  const unitsOnly = effectivePlan(catalog, listed, { ...noExtras, units: i.holdings.units });
  const trials = i.trials.filter((t) => running(t, i.now));
  // each running trial as the plan it lends: the tier tried with the add-ons held, or the own plan with the module
  const lent: { t: TrialGrant; plan: Plan }[] = [];
  for (const t of trials) {
    const base = t.addon ? listed : findPlan(catalog, t.plan);
    if (!base) continue;
    const addons = t.addon ? [...new Set([...i.holdings.addons, t.addon])] : i.holdings.addons;
    lent.push({ t, plan: effectivePlan(catalog, base, { ...i.holdings, addons }) });
  }

  const features: FeatureEntitlement[] = catalog.features.map((f) => {
    if (listed.features.includes(f.id)) return { id: f.id, name: f.name, available: true, via: 'plan' };
    const addon = i.holdings.addons.find((a) => findAddon(catalog, a)?.features.includes(f.id));
    if (addon) return { id: f.id, name: f.name, available: true, via: 'addon', addon };
    const trial = lent.filter((l) => l.plan.features.includes(f.id)).sort((a, b) => b.t.endsAt - a.t.endsAt)[0];
    if (trial) {
      return { id: f.id, name: f.name, available: true, via: 'trial', trialEndsAt: trial.t.endsAt,
        ...(trial.t.addon ? { addon: trial.t.addon } : { trialPlan: trial.t.plan }) };
    }
    return { id: f.id, name: f.name, available: false, via: null };
  });

  const meters: MeterEntitlement[] = catalog.meters.map((m) => {
    const own = asLimit(listed.limits[m.id]);
    const withUnits = asLimit(unitsOnly.limits[m.id]);
    const withHeld = asLimit(held.limits[m.id]);
    let limit = withHeld;
    let via: Grant | null = withHeld > withUnits ? 'addon' : withUnits > own ? 'units' : null;
    for (const l of lent) {
      const v = asLimit(l.plan.limits[m.id]);
      if (v > limit) { limit = v; via = 'trial'; }
    }
    const used = Math.max(0, i.usage[m.id] ?? 0);
    const finite = Number.isFinite(limit);
    return {
      id: m.id, name: m.name, unit: m.unit, reset: m.reset,
      limit: finite ? limit : null, used, remaining: finite ? Math.max(0, limit - used) : null,
      util: finite && limit > 0 ? used / limit : 0, via,
    };
  });

  const active = trials.map((t): ActiveTrial => ({
    id: t.id, plan: t.plan, ...(t.addon ? { addon: t.addon } : {}),
    name: t.addon ? (findAddon(catalog, t.addon)?.name ?? t.addon) : (findPlan(catalog, t.plan)?.name ?? t.plan),
    startedAt: t.startedAt, endsAt: t.endsAt,
  }));
  const upcoming = i.trials.filter((t) => t.startedAt > i.now).map((t) => t.startedAt);
  const ends = [...trials.map((t) => t.endsAt), ...upcoming];
  return {
    account: i.account, plan: listed.id, planName: listed.name, asOf: i.now, features, meters, trials: active,
    changesAt: ends.length ? Math.min(...ends) : null,
  };
}

/** The features one answer has and the next lacks, and the reverse: what the product must lock or unlock. */
export function entitlementChanges(before: Entitlements, after: Entitlements): { locked: string[]; unlocked: string[] } {
  const was = new Set(before.features.filter((f) => f.available).map((f) => f.id));
  const now = new Set(after.features.filter((f) => f.available).map((f) => f.id));
  return { locked: [...was].filter((f) => !now.has(f)), unlocked: [...now].filter((f) => !was.has(f)) };
}
