// The offer for one account: every candidate that answers its needs (units, add-ons, support, tier,
// bundle, term), each priced (monthly, annual, ARR delta, proration now, ROI from the needs it
// covers), the recommended one with the reason it wins, the alternatives beside it, route and message.
import { effectivePlan, extrasPrice, hasExtras } from '../catalog/holdings.ts';
import type { Catalog, Feature, Plan } from '../catalog/types.ts';
import type { OfferSettings } from '../scoring/settings.ts';
import type { MeterView } from '../signals/meter-view.ts';
import type { Signal } from '../signals/types.ts';
import { periodAt } from '../state/billing-period.ts';
import type { AccountState } from '../state/types.ts';
import { sumWeeks } from '../state/week-counter.ts';
import { offerPitch, withTrial } from './message.ts';
import { observeNeeds, termNeed, type Need } from './needs.ts';
import { buildOptions, type OfferItem, type OfferOption, type OfferType } from './options.ts';
import type { PriceDelta } from './price.ts';
import { prorate, type Proration } from './proration.ts';
import { recommend } from './recommend.ts';
import { roi, type Roi } from './roi.ts';
import { routeOf, segmentOf, type Routing } from './routing.ts';
import type { TermQuote } from './terms.ts';

/** One candidate, priced. */
export interface PricedOption extends OfferOption {
  /** taking it now, mid-period; null without a known billing anchor (or a term that starts at renewal) */
  proration: Proration | null;
  /** value of the needs it covers against its annual cost */
  roi: Roi;
}

export interface Offer {
  type: OfferType;
  key: string;
  name: string;
  /** what is sold: the plan for a tier, else the offer's key and name */
  target: { id: string; name: string };
  /** the plan the account is on after it */
  plan: { id: string; name: string };
  items: OfferItem[];
  /** false when no offer covers all observed needs: the best available one */
  covers: boolean;
  /** need ids it covers */
  covered: string[];
  shortfalls: string[];
  gatedFeatures: string[];
  gainedFeatures: string[];
  /** the same, as the catalog names them (for what a customer reads) */
  gainedFeatureNames: string[];
  limits: { meter: string; from: number | null; to: number | null; observed: number }[];
  price: PriceDelta;
  proration: Proration | null;
  roi: Roi;
  term?: TermQuote;
  trial: { plan: string; days: number };
  routing: Routing;
  /** what the account needs, in its own numbers */
  needs: Need[];
  /** why this one over the alternatives */
  why: string;
  /** every other candidate, priced, cheapest first */
  alternatives: PricedOption[];
  /** candidates left out and why (e.g. units past the break-even with the next tier) */
  notes: string[];
  /** the offer in the account's numbers, without a trial */
  pitch: string;
  /** the pitch with the engine's trial (offers.trial_days) when a tier is offered */
  message: string;
}

export interface OfferInput {
  state: AccountState;
  catalog: Catalog;
  /** the effective plan (listed plan with units and add-ons) */
  plan: Plan | undefined;
  meters: readonly MeterView[];
  signals: readonly Signal[];
  now: number;
  today: number;
  gateWindowDays: number;
  settings: OfferSettings;
}

const RECENT_EXPANSION_MS = 30 * 86_400_000;

const lim = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);

export function buildOffer(i: OfferInput): Offer | null {
  const s = i.state;
  const listed = i.catalog.plans.find((p) => p.id === s.plan);
  const effective = listed ? (i.plan ?? (hasExtras(s) ? effectivePlan(i.catalog, listed, s) : listed)) : undefined;
  const gated = Object.keys(s.gates).filter((f) => sumWeeks(s.gates[f]!.c, i.today, i.gateWindowDays) > 0).sort();
  const needs = observeNeeds({ state: s, catalog: i.catalog, plan: effective, meters: i.meters, signals: i.signals, gated, settings: i.settings });
  const t = termNeed(i.catalog, s, i.signals);
  if (t && needs.length === 0) needs.push(t);
  const { options, notes } = buildOptions({
    catalog: i.catalog, listed, effective, holdings: s, interval: s.interval, mrr: s.mrr, needs, headroom: i.settings.headroom,
  });
  const rec = recommend(options, needs);
  if (!rec) return null;
  // with no observed need, the next tier is only a suggestion: not right after the account expanded
  const expandedAt = Math.max(s.extrasChangeTs, s.planChange === 1 ? s.planChangeTs : 0);
  if (needs.length === 0 && expandedAt > 0 && i.now - expandedAt < RECENT_EXPANSION_MS) return null;
  const priced = (o: OfferOption): PricedOption => ({ ...o, proration: prorationOf(i, listed, o), roi: roiOf(i.catalog, o, needs) });
  const chosen = priced(rec.chosen);
  const alternatives = options.filter((o) => o !== rec.chosen).map(priced).sort((a, b) => a.price.monthly - b.price.monthly);
  const routeArr = chosen.term ? chosen.term.annual : chosen.price.arr;
  const routing = routeOf(routeArr, segmentOf(s.segment, s.employees, i.settings), i.settings);
  const gainedNames = featureNames(i.catalog, chosen.gainedFeatures);
  const isTier = chosen.type === 'tier';
  const pitch = offerPitch({ option: chosen, signals: i.signals, prorated: chosen.proration?.net ?? null, roiMultiple: chosen.roi.multiple, gained: gainedNames });
  const trialDays = isTier ? i.settings.trialDays : 0;
  const observed = new Map(i.meters.map((v) => [v.id, v]));
  return {
    type: chosen.type, key: chosen.key, name: chosen.name,
    target: isTier ? chosen.plan : { id: chosen.key, name: chosen.name },
    plan: chosen.plan, items: chosen.items,
    covers: chosen.fullyCovers, covered: chosen.covered,
    shortfalls: chosen.uncovered.map((id) => needs.find((n) => n.id === id)?.label ?? id),
    gatedFeatures: gated,
    gainedFeatures: chosen.gainedFeatures,
    gainedFeatureNames: gainedNames,
    limits: i.meters.filter((v) => Math.max(v.peak, v.current) > 0).map((v) => ({
      meter: v.id, from: lim(v.limit),
      to: v.id in chosen.limitsAfter ? (chosen.limitsAfter[v.id] ?? null) : isTier ? lim(limitOf(i.catalog, chosen.plan.id, v.id)) : lim(v.limit),
      observed: Math.round(Math.max(observed.get(v.id)!.peak, v.current) * 100) / 100,
    })),
    price: chosen.price, proration: chosen.proration, roi: chosen.roi,
    ...(chosen.term ? { term: chosen.term } : {}),
    trial: { plan: chosen.plan.id, days: trialDays },
    routing, needs, why: rec.why, alternatives, notes, pitch,
    message: withTrial(pitch, trialDays),
  };
}

function limitOf(c: Catalog, planId: string, meter: string): number | undefined {
  const p = c.plans.find((x) => x.id === planId);
  if (!p || !(meter in p.limits)) return p ? 0 : undefined;
  const v = p.limits[meter];
  return v === null || v === undefined ? Infinity : v;
}

function featureNames(c: Catalog, ids: readonly string[]): string[] {
  const byId = new Map(c.features.map((f) => [f.id, f.name]));
  return ids.map((f) => byId.get(f) ?? f);
}

/** ROI counts only the needs the offer covers: the value drivers of the gated features it unlocks. */
function roiOf(c: Catalog, o: OfferOption, needs: readonly Need[]): Roi {
  const byId = new Map(c.features.map((f) => [f.id, f]));
  const covered: Feature[] = needs.filter((n) => n.kind === 'feature' && o.covered.includes(n.id)).map((n) => byId.get(n.feature!) ?? { id: n.feature!, name: n.feature! });
  const annualCost = o.price.annual ?? o.price.monthly * 12;
  return roi(covered, Math.max(0, annualCost));
}

/** Stripe semantics, to the second: credit the rest of the period at today's price, charge it at the new one. */
function prorationOf(i: OfferInput, listed: Plan | undefined, o: OfferOption): Proration | null {
  const s = i.state;
  if (!listed || s.anchorTs <= 0 || (s.interval !== 'month' && s.interval !== 'year')) return null;
  const period = periodAt(s.anchorTs, s.interval, i.now);
  const extras = extrasPrice(i.catalog, listed, s);
  const oldPrice = s.interval === 'year' ? (listed.price.annual ?? listed.price.monthly * 12) + extras.annual : listed.price.monthly + extras.monthly;
  if (o.term) {
    // a yearly account's new term starts at its renewal; a monthly one moves to annual billing now
    if (s.interval === 'year') return null;
    return prorate({ oldPrice, newPrice: o.term.annual, periodStart: period.start, periodEnd: period.end, at: i.now, intervalChange: true });
  }
  const delta = s.interval === 'year' ? (o.price.annual ?? o.price.monthly * 12) : o.price.monthly;
  return prorate({ oldPrice, newPrice: oldPrice + delta, periodStart: period.start, periodEnd: period.end, at: i.now });
}
