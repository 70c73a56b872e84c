// Every candidate offer for an account's needs, priced: a pack of extra units per short meter, the
// add-on modules and support levels that answer a need, the next tier and the cheapest tier that
// covers everything, a bundle of the cheapest add-ons covering every need, and the longer terms.
import { limitValue } from '../catalog/catalog.ts';
import { betterSupport, extrasPrice, findAddon, type Holdings } from '../catalog/holdings.ts';
import type { Addon, Catalog, Meter, Plan } from '../catalog/types.ts';
import { annualUnitCost, blocksFor, breakEvenUnits, unitCost, unitPriceOf } from '../catalog/units.ts';
import type { Need } from './needs.ts';
import type { PriceDelta } from './price.ts';
import { MAX_SHORT_TERM_DISCOUNT_PCT, MULTI_YEAR_MONTHS, quoteTerm, type TermQuote } from './terms.ts';

export type OfferType = 'tier' | 'seats' | 'volume' | 'addon' | 'support' | 'term' | 'bundle';
export const OFFER_TYPES: readonly OfferType[] = ['tier', 'seats', 'volume', 'addon', 'support', 'term', 'bundle'];

export interface OfferItem {
  kind: 'plan' | 'units' | 'addon' | 'term';
  /** plan id, meter id, add-on id or term id */
  id: string;
  name: string;
  /** units: extra units added (whole blocks) */
  quantity?: number;
  /** the item's own type (a bundle holds several) */
  type: Exclude<OfferType, 'bundle'>;
  monthly: number;
  annual: number | null;
}

export interface OfferOption {
  /** stable id of what is sold: plan:enterprise, units:seats:5, addon:analytics_module, term:two_years, or items joined by + */
  key: string;
  type: OfferType;
  name: string;
  /** the plan the account is on after it */
  plan: { id: string; name: string };
  items: OfferItem[];
  price: PriceDelta;
  /** need ids it covers and leaves uncovered */
  covered: string[];
  uncovered: string[];
  fullyCovers: boolean;
  /** features it adds that the account lacks */
  gainedFeatures: string[];
  /** per meter: the limit after it */
  limitsAfter: Record<string, number | null>;
  term?: TermQuote;
}

export interface OptionsInput {
  catalog: Catalog;
  /** the listed plan and the effective one (with units and add-ons) */
  listed: Plan | undefined;
  effective: Plan | undefined;
  holdings: Holdings;
  interval: 'month' | 'year' | '';
  mrr: number;
  needs: readonly Need[];
  headroom: number;
}

export interface Options { options: OfferOption[]; notes: string[] }

const fmt = (n: number): string => n.toLocaleString('en-US');

export function unitsName(m: Meter | undefined, meter: string, qty: number): string {
  if (!m) return `${fmt(qty)} more ${meter}`;
  if (m.unit && m.unit.toLowerCase() === m.name.toLowerCase()) return `${fmt(qty)} more ${m.unit}`;
  return `${m.name} +${fmt(qty)}${m.unit ? ` ${m.unit}` : ''}`;
}

function optionOf(i: OptionsInput, items: OfferItem[], plan: Plan, covered: string[], extra: Partial<OfferOption> = {}): OfferOption {
  const monthly = items.reduce((a, x) => a + x.monthly, 0);
  const annual = items.every((x) => x.annual !== null) ? items.reduce((a, x) => a + (x.annual ?? 0), 0) : null;
  const arr = i.interval === 'year' && annual !== null ? annual : monthly * 12;
  const uncovered = i.needs.filter((n) => !covered.includes(n.id)).map((n) => n.id);
  const one = items.length === 1 ? items[0]! : undefined;
  return {
    key: items.map((x) => `${x.kind}:${x.id}${x.quantity !== undefined ? `:${x.quantity}` : ''}`).join('+'),
    type: one ? one.type : 'bundle',
    name: items.map((x) => x.name).join(' + '),
    plan: { id: plan.id, name: plan.name },
    items, price: { monthly, annual, arr }, covered, uncovered, fullyCovers: uncovered.length === 0,
    gainedFeatures: [], limitsAfter: {}, ...extra,
  };
}

/** The units options: one pack per short meter, sized to the need with headroom, within the break-even with the next tier. */
function unitOptions(i: OptionsInput, plan: Plan, next: Plan | undefined, notes: string[]): OfferOption[] {
  const out: OfferOption[] = [];
  for (const n of i.needs) {
    if (n.kind !== 'meter' || !n.meter || n.short === undefined) continue;
    const u = unitPriceOf(plan, n.meter);
    if (!u) continue;
    const held = i.holdings.units[n.meter] ?? 0;
    const qty = blocksFor(u, n.short) * u.blockSize;
    const max = breakEvenUnits(plan, u, next);
    const meter = i.catalog.meters.find((m) => m.id === n.meter);
    if (max !== null && held + qty > max) {
      notes.push(`${unitsName(meter, n.meter, qty)} would take ${plan.name} past ${fmt(max)} extra ${meter?.unit || n.meter}${next ? `, where ${next.name} is the better deal` : ', the most sold'}`);
      continue;
    }
    const monthly = unitCost(u, held + qty) - unitCost(u, held);
    const item: OfferItem = { kind: 'units', id: n.meter, name: unitsName(meter, n.meter, qty), quantity: qty, type: n.meter === 'seats' ? 'seats' : 'volume', monthly, annual: annualUnitCost(plan, monthly) };
    out.push(optionOf(i, [item], plan, [n.id], { limitsAfter: { [n.meter]: (n.limit ?? 0) + qty } }));
  }
  return out;
}

function addonCovers(i: OptionsInput, a: Addon): string[] {
  const have = i.effective;
  const out: string[] = [];
  for (const n of i.needs) {
    if (n.kind === 'feature' && n.feature && a.features.includes(n.feature)) out.push(n.id);
    if (n.kind === 'meter' && n.meter && (a.limits[n.meter] ?? 0) >= (n.short ?? Infinity)) out.push(n.id);
    if (n.kind === 'support' && a.support && have && betterSupport(a.support, have.support)) out.push(n.id);
  }
  return out;
}

function addonOptions(i: OptionsInput, plan: Plan): OfferOption[] {
  const out: OfferOption[] = [];
  for (const a of i.catalog.addons) {
    if (!a.availableOn.includes(plan.id) || a.includedIn.includes(plan.id) || i.holdings.addons.includes(a.id)) continue;
    const covered = addonCovers(i, a);
    if (covered.length === 0) continue;
    const item: OfferItem = { kind: 'addon', id: a.id, name: a.name, type: a.kind === 'support' ? 'support' : 'addon', monthly: a.price.monthly, annual: a.price.annual ?? null };
    const gained = a.features.filter((f) => !i.effective?.features.includes(f));
    const limitsAfter: Record<string, number | null> = {};
    for (const [m, n] of Object.entries(a.limits)) limitsAfter[m] = i.effective ? limitValue(i.effective, m) + n : n;
    out.push(optionOf(i, [item], plan, covered, { gainedFeatures: gained, limitsAfter }));
  }
  return out;
}

/** Moving to `tier`: the tier's price less the extras it makes redundant (units of the old plan, add-ons it includes). */
function tierOption(i: OptionsInput, plan: Plan | undefined, tier: Plan): OfferOption {
  const kept = i.holdings.addons.map((id) => findAddon(i.catalog, id)).filter((a): a is Addon => !!a && a.availableOn.includes(tier.id) && !a.includedIn.includes(tier.id));
  const dropped: Holdings = { addons: i.holdings.addons.filter((id) => !kept.some((a) => a.id === id)), units: i.holdings.units, termMonths: i.holdings.termMonths };
  const redundant = plan ? extrasPrice(i.catalog, plan, dropped) : { monthly: 0, annual: 0 };
  const monthly = tier.price.monthly - (plan?.price.monthly ?? 0) - redundant.monthly;
  const annual = tier.price.annual !== undefined && (!plan || plan.price.annual !== undefined) ? tier.price.annual - (plan?.price.annual ?? 0) - redundant.annual : null;
  const features = new Set([...tier.features, ...kept.flatMap((a) => a.features)]);
  const support = kept.reduce((s, a) => (a.support && betterSupport(a.support, s) ? a.support : s), tier.support);
  const covered: string[] = [];
  const limitsAfter: Record<string, number | null> = {};
  for (const n of i.needs) {
    if (n.kind === 'meter' && n.meter) {
      const lim = limitValue(tier, n.meter) + kept.reduce((s, a) => s + (a.limits[n.meter!] ?? 0), 0);
      limitsAfter[n.meter] = Number.isFinite(lim) ? lim : null;
      if (lim >= (n.want ?? 0)) covered.push(n.id);
    }
    if (n.kind === 'feature' && n.feature && features.has(n.feature)) covered.push(n.id);
    if (n.kind === 'support' && i.effective && betterSupport(support, i.effective.support)) covered.push(n.id);
  }
  const items: OfferItem[] = [{ kind: 'plan', id: tier.id, name: tier.name, type: 'tier', monthly, annual }];
  // a tier that falls a little short on a meter, topped up with its own extra units (Pro + 2 seats)
  const above = i.catalog.plans.find((p) => p.rank > tier.rank);
  for (const n of i.needs) {
    if (n.kind !== 'meter' || !n.meter || covered.includes(n.id)) continue;
    const u = unitPriceOf(tier, n.meter);
    const lim = limitValue(tier, n.meter);
    if (!u || !Number.isFinite(lim)) continue;
    const qty = blocksFor(u, (n.want ?? 0) - lim) * u.blockSize;
    const max = breakEvenUnits(tier, u, above);
    if (max !== null && qty > max) continue;
    const cost = unitCost(u, qty);
    const meter = i.catalog.meters.find((m) => m.id === n.meter);
    items.push({ kind: 'units', id: n.meter, name: unitsName(meter, n.meter, qty), quantity: qty, type: n.meter === 'seats' ? 'seats' : 'volume', monthly: cost, annual: annualUnitCost(tier, cost) });
    limitsAfter[n.meter] = lim + qty;
    covered.push(n.id);
  }
  return optionOf(i, items, tier, covered, { gainedFeatures: tier.features.filter((f) => !i.effective?.features.includes(f)), limitsAfter });
}

/** An option that moves the account to another plan (a tier, alone or with units on it). */
export const movesPlan = (o: Pick<OfferOption, 'items'>): boolean => o.items.some((x) => x.kind === 'plan');

function tierOptions(i: OptionsInput, plan: Plan | undefined): OfferOption[] {
  const above = i.catalog.plans.filter((p) => (plan ? p.rank > plan.rank : true));
  if (above.length === 0) return [];
  const all = above.map((t) => tierOption(i, plan, t));
  const covering = all.filter((o) => o.fullyCovers);
  // the next tier, the cheapest tier that covers (with units if it needs them), the first that covers alone
  const picks = [all[0]!, [...covering].sort((a, b) => a.price.monthly - b.price.monthly)[0], covering.find((o) => o.items.length === 1)];
  if (covering.length === 0) picks.push(all[all.length - 1]);
  return [...new Set(picks.filter((o): o is OfferOption => o !== undefined))];
}

/** The cheapest add-on or units option for each need still open, merged into one offer. */
function bundleOf(i: OptionsInput, plan: Plan, singles: readonly OfferOption[]): OfferOption | null {
  const chosen: OfferOption[] = [];
  const covered = new Set<string>();
  for (const n of i.needs) {
    if (covered.has(n.id)) continue;
    const best = singles.filter((o) => o.covered.includes(n.id)).sort((a, b) => a.price.monthly - b.price.monthly)[0];
    if (!best) continue;
    chosen.push(best);
    for (const c of best.covered) covered.add(c);
  }
  if (chosen.length < 2) return null;
  const limitsAfter = Object.assign({}, ...chosen.map((o) => o.limitsAfter)) as Record<string, number | null>;
  return optionOf(i, chosen.flatMap((o) => o.items), plan, [...covered], { gainedFeatures: [...new Set(chosen.flatMap((o) => o.gainedFeatures))], limitsAfter });
}

/** The annual list price of what the account holds: plan and extras at annual rates. */
export function annualList(i: OptionsInput, plan: Plan): number {
  return (plan.price.annual ?? plan.price.monthly * 12) + extrasPrice(i.catalog, plan, i.holdings).annual;
}

/** Each longer term at the discount it allows (never above 10 % under 24 months). */
export function termOptions(i: OptionsInput, plan: Plan, needId: string | null): OfferOption[] {
  const have = i.holdings.termMonths || (i.interval === 'year' ? 12 : 1);
  const list = annualList(i, plan);
  const currentAnnual = i.mrr > 0 ? i.mrr * 12 : list;
  const out: OfferOption[] = [];
  for (const t of i.catalog.terms) {
    if (t.months <= have || t.months < 12) continue;
    const pct = t.months < MULTI_YEAR_MONTHS ? Math.min(t.maxDiscountPct, MAX_SHORT_TERM_DISCOUNT_PCT) : t.maxDiscountPct;
    const q = quoteTerm(i.catalog.terms, list, t.months, pct);
    if (!q.ok) continue;
    const annual = q.quote.annual - currentAnnual;
    const item: OfferItem = { kind: 'term', id: t.id, name: `${t.name}${pct > 0 ? ` at ${pct}% off` : ''}`, type: 'term', monthly: Math.round(q.quote.annual / 12) - Math.round(currentAnnual / 12), annual };
    const o = optionOf(i, [item], plan, needId ? [needId] : [], { term: q.quote });
    out.push({ ...o, price: { ...o.price, arr: annual } });
  }
  return out;
}

export function buildOptions(i: OptionsInput): Options {
  const notes: string[] = [];
  const plan = i.listed;
  const next = plan ? i.catalog.plans.find((p) => p.rank > plan.rank) : undefined;
  const expansionNeeds = i.needs.filter((n) => n.kind !== 'term');
  const singles = plan && expansionNeeds.length > 0 ? [...unitOptions(i, plan, next, notes), ...addonOptions(i, plan)] : [];
  const bundle = plan ? bundleOf(i, plan, singles) : null;
  const tiers = tierOptions(i, plan);
  const termNeed = i.needs.find((n) => n.kind === 'term');
  const terms = plan && (termNeed || expansionNeeds.length === 0) ? termOptions(i, plan, termNeed?.id ?? null) : [];
  return { options: [...singles, ...(bundle ? [bundle] : []), ...tiers, ...terms], notes };
}
