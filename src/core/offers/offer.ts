// The opportunity for one account: target tier, price deltas, proration now, ROI, trial, route, message.
import type { Catalog, Feature, Plan } from '../catalog/types.ts';
import type { OfferSettings } from '../scoring/settings.ts';
import type { MeterView } from '../signals/meter-view.ts';
import type { Signal } from '../signals/types.ts';
import { periodAt } from '../state/billing-period.ts';
import type { AccountState } from '../state/types.ts';
import { sumWeeks } from '../state/week-counter.ts';
import { offerPitch, withTrial } from './message.ts';
import { nextTier } from './next-tier.ts';
import { periodPrice, priceDelta, type PriceDelta } from './price.ts';
import { prorate, type Proration } from './proration.ts';
import { roi, type Roi } from './roi.ts';
import { routeOf, segmentOf, type Routing } from './routing.ts';

export interface Offer {
  target: { id: string; name: string };
  /** false when no tier covers all observed usage and gated features: the best available one */
  covers: boolean;
  shortfalls: string[];
  gatedFeatures: string[];
  gainedFeatures: string[];
  limits: { meter: string; from: number | null; to: number | null; observed: number }[];
  price: PriceDelta;
  /** upgrading now, mid-period, on the account's interval; null without a known billing anchor */
  proration: Proration | null;
  roi: Roi;
  trial: { plan: string; days: number };
  routing: Routing;
  /** the offer in the account's numbers, without a trial */
  pitch: string;
  /** the pitch with the engine's trial (offers.trial_days) */
  message: string;
}

export interface OfferInput {
  state: AccountState;
  catalog: Catalog;
  plan: Plan | undefined;
  meters: readonly MeterView[];
  signals: readonly Signal[];
  now: number;
  today: number;
  gateWindowDays: number;
  settings: OfferSettings;
}

const lim = (p: Plan | undefined, m: string): number | null => (p && m in p.limits ? (p.limits[m] ?? null) : p ? 0 : null);

export function buildOffer(i: OfferInput): Offer | null {
  const gated = Object.keys(i.state.gates).filter((f) => sumWeeks(i.state.gates[f]!.c, i.today, i.gateWindowDays) > 0).sort();
  const needs = i.meters.map((v) => ({ meter: v.id, observed: Math.max(v.peak, v.current) }));
  const found = nextTier(i.catalog, i.state.plan, needs, gated, i.settings.headroom);
  if (!found) return null;
  const target = found.plan;
  const have = new Set(i.plan?.features ?? []);
  const gainedIds = target.features.filter((f) => !have.has(f));
  const byId = new Map(i.catalog.features.map((f) => [f.id, f]));
  const gained: Feature[] = gainedIds.map((f) => byId.get(f) ?? { id: f, name: f });
  const price = priceDelta(i.plan, target, i.state.interval);
  let proration: Proration | null = null;
  if (i.plan && i.state.anchorTs > 0 && (i.state.interval === 'month' || i.state.interval === 'year')) {
    const period = periodAt(i.state.anchorTs, i.state.interval, i.now);
    proration = prorate({ oldPrice: periodPrice(i.plan, i.state.interval), newPrice: periodPrice(target, i.state.interval), periodStart: period.start, periodEnd: period.end, at: i.now });
  }
  const annualCost = price.annual ?? price.monthly * 12;
  // ROI counts only what the account needs from the target tier: features it was gated on or
  // already uses (a trial); the value of a feature it never asked for is not its return
  const wanted = new Set([...gated, ...Object.keys(i.state.features)]);
  const value = roi(gained.filter((f) => wanted.has(f.id)), annualCost);
  const routing = routeOf(price.arr, segmentOf(i.state.segment, i.state.employees, i.settings), i.settings);
  const pitch = offerPitch({ target, signals: i.signals, monthlyDelta: price.monthly, prorated: proration?.net ?? null, roiMultiple: value.multiple, gained: gained.map((f) => f.name) });
  return {
    target: { id: target.id, name: target.name },
    covers: found.covers,
    shortfalls: found.shortfalls,
    gatedFeatures: gated,
    gainedFeatures: gainedIds,
    limits: needs.filter((n) => n.observed > 0).map((n) => ({ meter: n.meter, from: lim(i.plan, n.meter), to: lim(target, n.meter), observed: Math.round(n.observed * 100) / 100 })),
    price,
    proration,
    roi: value,
    trial: { plan: target.id, days: i.settings.trialDays },
    routing,
    pitch,
    message: withTrial(pitch, i.settings.trialDays),
  };
}
