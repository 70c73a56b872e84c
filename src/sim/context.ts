// What the simulator derives once from the catalog: per-plan limits as numbers, how each meter
// behaves (counter, gauge, seats), the tier of each feature, and the prices as MRR.
import type { Catalog, Plan } from '../core/catalog/types.ts';
import { limitValue } from '../core/catalog/catalog.ts';
import { bytes } from './emit.ts';
import { DEFAULT_PARAMS, type SimParams } from './params.ts';

export type MeterKind = 'counter' | 'gauge' | 'seats';

export interface MeterInfo {
  id: string;
  kind: MeterKind;
  reset: 'month' | 'day' | 'none';
  /** decimals of reported quantities: storage in GB gets one, counts none */
  decimals: number;
  /** per plan index; Infinity = unlimited */
  limits: number[];
  /** per plan index: a finite size that stands for the plan when drawing needs */
  scale: number[];
  /** the event text up to the quantity: `,"type":"usage","meter":"api_calls","quantity":` */
  usageBody: Uint8Array;
}

export interface FeatureInfo {
  id: string;
  /** index of the cheapest plan that has it */
  tier: number;
  featureBody: Uint8Array;
  gateBody: Uint8Array;
}

export interface WorldContext {
  catalog: Catalog;
  params: SimParams;
  seed: number;
  startMs: number;
  days: number;
  /** days of subscription history before the start (0: none) */
  historyDays: number;
  plans: Plan[];
  ladder: string[];
  meters: MeterInfo[];
  /** features some plan offers, in catalog order */
  features: FeatureInfo[];
  /** [plan][feature] */
  planHas: boolean[][];
  /** MRR in cents per plan index, monthly and annual billing (annual / 12, rounded); null when not offered */
  mrrMonthly: number[];
  mrrAnnual: (number | null)[];
  /** the seats meter's index in `meters`, or -1 */
  seatsMeter: number;
  /** who may own an account: CSM and AE ids */
  csms: readonly string[];
  aes: readonly string[];
  /** mean of a counter's weekday weight times its active rate, so monthly totals match the need */
  counterNorm: number;
}

/** Counter usage is heavier on weekdays; weekends carry the automated share. */
export const COUNTER_WEEKDAY_WEIGHT = 1.15;
export const COUNTER_WEEKEND_WEIGHT = 0.6;

export interface WorldOptions {
  accounts: number;
  days: number;
  seed: number;
  /** epoch ms; floored to its UTC midnight */
  startMs: number;
  catalog: Catalog;
  params?: Partial<SimParams>;
  /**
   * Days of subscription history before the start (0: none). Every account then signed up inside
   * them, and the world opens with its sign-ups, upgrades, downgrades, churn and reactivations
   * (history.ts), plus accounts that churned for good before the start.
   */
  historyDays?: number;
  /**
   * Ids of the company's CSMs and AEs (the config's `team:`), so the owners the world's accounts
   * name are the team's own (one team model, ADR 0011); without them, a built-in team.
   */
  team?: { csms: readonly string[]; aes: readonly string[] };
}

const DEFAULT_CSMS = ['csm-ana', 'csm-ben', 'csm-chloe', 'csm-dev', 'csm-emre', 'csm-fatima', 'csm-gus', 'csm-hana'];
const DEFAULT_AES = ['ae-ivan', 'ae-jade', 'ae-kofi', 'ae-lena'];

const DECIMAL_UNITS = new Set(['gb', 'mb', 'tb', 'gib', 'hours', 'h']);

export function buildContext(opts: WorldOptions): WorldContext {
  const { catalog } = opts;
  const plans = catalog.plans;
  if (plans.length === 0) throw new Error('the catalog has no plans to simulate');
  const params: SimParams = { ...DEFAULT_PARAMS, ...opts.params };
  const meters: MeterInfo[] = catalog.meters.map((m) => {
    const limits = plans.map((p) => limitValue(p, m.id));
    const scale: number[] = [];
    let last = 0;
    for (const l of limits) {
      // Unlimited stands for a few times the previous finite limit: big accounts live there.
      const s = Number.isFinite(l) && l > 0 ? l : last > 0 ? last * params.unlimitedScale : 100;
      scale.push(s);
      last = s;
    }
    const kind: MeterKind = m.id === 'seats' ? 'seats' : m.reset === 'none' ? 'gauge' : 'counter';
    return {
      id: m.id, kind, reset: m.reset, decimals: DECIMAL_UNITS.has(m.unit.toLowerCase()) ? 1 : 0, limits, scale,
      usageBody: bytes(`,"type":"usage","meter":${JSON.stringify(m.id)},"quantity":`),
    };
  });
  const features: FeatureInfo[] = [];
  for (const f of catalog.features) {
    const tier = plans.findIndex((p) => p.features.includes(f.id));
    const id = JSON.stringify(f.id);
    if (tier >= 0) features.push({ id: f.id, tier, featureBody: bytes(`,"type":"feature","feature":${id}`), gateBody: bytes(`,"type":"gate","feature":${id}`) });
  }
  return {
    catalog, params, seed: opts.seed, startMs: opts.startMs, days: opts.days, historyDays: opts.historyDays ?? 0, plans,
    ladder: plans.map((p) => p.id),
    meters,
    features,
    planHas: plans.map((p) => features.map((f) => p.features.includes(f.id))),
    mrrMonthly: plans.map((p) => p.price.monthly),
    mrrAnnual: plans.map((p) => (p.price.annual === undefined ? null : Math.round(p.price.annual / 12))),
    seatsMeter: meters.findIndex((m) => m.kind === 'seats'),
    csms: opts.team?.csms.length ? opts.team.csms : DEFAULT_CSMS,
    aes: opts.team?.aes.length ? opts.team.aes : DEFAULT_AES,
    counterNorm: (5 * params.counterActiveRate.weekday * COUNTER_WEEKDAY_WEIGHT + 2 * params.counterActiveRate.weekend * COUNTER_WEEKEND_WEIGHT) / 7,
  };
}
