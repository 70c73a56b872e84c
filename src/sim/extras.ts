// What a simulated account holds beyond its plan (extra units, add-on modules, a support level, a
// longer term), what kind of expansion it needs on a day, and the ones it buys on its own. The
// rates are SimParams (params.ts; sources in docs/simulator.md, "Expansion beyond the tier").
// Purchases draw from the account's own extras stream (`xrng`), so an account that never buys
// anything lives exactly the days it lived before add-ons existed.
import { extrasPrice } from '../core/catalog/holdings.ts';
import type { Addon, Plan } from '../core/catalog/types.ts';
import { blocksFor, breakEvenUnits, unitPriceOf } from '../core/catalog/units.ts';
import type { SimAccount } from './account.ts';
import type { WorldContext } from './context.ts';
import { Rng, mixSeed } from './rng.ts';

/** Kinds of need, as the engine's offer types name them (docs/adr/0010-offer-model.md). */
export const NEED = { seats: 1, volume: 2, module: 4, support: 8, term: 16, tier: 32 } as const;
export type NeedType = keyof typeof NEED;
export const NEED_TYPES = Object.keys(NEED) as NeedType[];

export const needNames = (mask: number): NeedType[] => NEED_TYPES.filter((t) => (mask & NEED[t]) !== 0);

/** open tickets that make a large account want faster support (the engine's SUPPORT_TICKET_LOAD) */
const TICKET_LOAD = 3;
/** days before an annual renewal that count as its window (the engine's renewal_window) */
const RENEWAL_WINDOW_DAYS = 90;
const DAY_MS = 86_400_000;

/** The plan's limit on meter `i` plus the account's extra units and add-on limits. */
export function limitOf(acct: SimAccount, ctx: WorldContext, i: number): number {
  return (ctx.meters[i]?.limits[acct.plan] ?? 0) + (acct.extraLimit[i] ?? 0);
}

/** The account has feature `f`: from its plan or a module it bought. */
export function hasFeature(acct: SimAccount, ctx: WorldContext, f: number): boolean {
  return (ctx.planHas[acct.plan]?.[f] ?? false) || (acct.addonHas[f] ?? 0) > 0;
}

/** Recomputes the limits, features and price the holdings add (after a purchase or a plan change). */
export function applyHoldings(acct: SimAccount, ctx: WorldContext): void {
  const plan = ctx.plans[acct.plan];
  acct.extraLimit.fill(0);
  acct.addonHas.fill(0);
  // a tier change keeps what the new plan still sells and does not include
  if (plan) {
    acct.addons = acct.addons.filter((a) => { const ad = ctx.catalog.addons[a]; return ad !== undefined && ad.availableOn.includes(plan.id) && !ad.includedIn.includes(plan.id); });
    for (let i = 0; i < ctx.meters.length; i++) if ((acct.units[i] ?? 0) > 0 && !unitPriceOf(plan, ctx.meters[i]?.id ?? '')) acct.units[i] = 0;
  }
  for (let i = 0; i < ctx.meters.length; i++) acct.extraLimit[i] = acct.units[i] ?? 0;
  for (const a of acct.addons) {
    const ad = ctx.catalog.addons[a];
    if (!ad) continue;
    ctx.meters.forEach((m, i) => { acct.extraLimit[i] = (acct.extraLimit[i] ?? 0) + (ad.limits[m.id] ?? 0); });
    ctx.features.forEach((f, i) => { if (ad.features.includes(f.id)) acct.addonHas[i] = 1; });
  }
  const price = plan ? extrasPrice(ctx.catalog, plan, holdingsOf(acct, ctx)) : { monthly: 0, annual: 0 };
  acct.extrasMonthly = price.monthly;
  acct.extrasAnnual = price.annual;
}

export function holdingsOf(acct: SimAccount, ctx: WorldContext): { addons: string[]; units: Record<string, number>; termMonths: number } {
  const units: Record<string, number> = {};
  ctx.meters.forEach((m, i) => { if ((acct.units[i] ?? 0) > 0) units[m.id] = acct.units[i]!; });
  return { addons: acct.addons.map((a) => ctx.catalog.addons[a]?.id ?? '').sort(), units, termMonths: acct.termMonths };
}

/** The discount the account's term carries: the catalog's largest for a term longer than a year, once it has started. */
export function termDiscountPct(acct: SimAccount, ctx: WorldContext): number {
  if (acct.termMonths <= 12 || acct.termFromDay > acct.today) return 0;
  return ctx.catalog.terms.find((t) => t.months === acct.termMonths)?.maxDiscountPct ?? 0;
}

/** Extra units that cover `need` on meter `i` with the engine's headroom, if the plan sells them within the break-even. */
function unitsFor(acct: SimAccount, ctx: WorldContext, i: number, need: number): number | null {
  const plan = ctx.plans[acct.plan];
  const meter = ctx.meters[i];
  if (!plan || !meter) return null;
  const u = unitPriceOf(plan, meter.id);
  if (!u) return null;
  const want = need / ctx.params.targetHeadroom - limitOf(acct, ctx, i);
  if (want <= 0) return null;
  const total = blocksFor(u, (acct.units[i] ?? 0) + want) * u.blockSize;
  const max = breakEvenUnits(plan, u, ctx.plans[acct.plan + 1]);
  return max === null || total <= max ? total : null;
}

function moduleFor(acct: SimAccount, ctx: WorldContext, plan: Plan, f: number): number {
  const id = ctx.features[f]?.id ?? '';
  return ctx.catalog.addons.findIndex((a, k) => a.kind === 'module' && a.features.includes(id) && a.availableOn.includes(plan.id) && !acct.addons.includes(k));
}

/** Under ticket load (3 open tickets or one high or critical) on a mid-market or enterprise account. */
function ticketLoad(acct: SimAccount): boolean {
  if (acct.segment !== 'mid_market' && acct.segment !== 'enterprise') return false;
  return acct.openTickets.length >= TICKET_LOAD || acct.openTickets.some((t) => t.severity === 'high' || t.severity === 'critical');
}

/** The support add-on a mid-market or enterprise account under ticket load would buy, or -1. */
function supportAddonNeeded(acct: SimAccount, ctx: WorldContext, plan: Plan): number {
  return ticketLoad(acct) ? supportAddon(acct, ctx, plan) : -1;
}

function supportAddon(acct: SimAccount, ctx: WorldContext, plan: Plan): number {
  return ctx.catalog.addons.findIndex((a: Addon, k) => a.kind === 'support' && a.availableOn.includes(plan.id) && !a.includedIn.includes(plan.id) && !acct.addons.includes(k)
    && a.support !== undefined && a.support.responseHours < plan.support.responseHours);
}

/**
 * The kinds of expansion the account needs today, from its latent needs (smooth, spikes excluded)
 * against what it holds: a meter at 90 %+ that units within the break-even cover -> seats or
 * volume, else the tier; a needed feature a module sold on the plan grants -> module, else the
 * tier; a mid-market or enterprise account under ticket load -> support; a healthy, stable account
 * within 90 days of its annual renewal on less than the longest term -> term.
 */
export function needMask(acct: SimAccount, ctx: WorldContext, smooth: Float64Array): number {
  const plan = ctx.plans[acct.plan];
  if (!plan || acct.churned) return 0;
  const top = acct.plan >= ctx.plans.length - 1;
  let mask = 0;
  for (let i = 0; i < ctx.meters.length; i++) {
    const lim = limitOf(acct, ctx, i);
    const need = smooth[i] ?? 0;
    if (!(lim > 0) || !Number.isFinite(lim) || need < ctx.params.readyMeterShare * lim) continue;
    if (unitsFor(acct, ctx, i, need) !== null) mask |= ctx.meters[i]?.kind === 'seats' ? NEED.seats : NEED.volume;
    else if (!top) mask |= NEED.tier;
  }
  for (const f of acct.gap) mask |= moduleFor(acct, ctx, plan, f) >= 0 ? NEED.module : top ? 0 : NEED.tier;
  if (supportAddonNeeded(acct, ctx, plan) >= 0) mask |= NEED.support;
  if (termNeeded(acct, ctx)) mask |= NEED.term;
  return mask;
}

/** Days from the world's start to the account's next renewal (past the world's end too). */
const renewalIndex = (acct: SimAccount, ctx: WorldContext): number => Math.round((acct.renewalMs - ctx.startMs) / DAY_MS);

function termNeeded(acct: SimAccount, ctx: WorldContext): boolean {
  const longest = ctx.catalog.terms[ctx.catalog.terms.length - 1]?.months ?? 0;
  const have = acct.termMonths || (acct.interval === 'year' ? 12 : 1);
  if (have >= longest || acct.health < 0.6 || acct.archetype === 'declining' || acct.pastDue) return false;
  // a term signed ahead of the renewal answers it; a monthly account has no renewal to time a
  // commitment by (the engine sees none either): its move to annual billing is an organic purchase
  // (signTerm) without a need of this kind
  if (acct.interval !== 'year' || acct.termFromDay > acct.today) return false;
  const toRenewal = renewalIndex(acct, ctx) - acct.today;
  return toRenewal >= 0 && toRenewal <= RENEWAL_WINDOW_DAYS;
}

export type Purchase = { day: number; type: NeedType; item: string; starts?: number };

/**
 * Organic purchases of the day (no offer made): units, a module or premium support, each at its
 * hazard while the need lasts. Returns true when the holdings changed (the caller emits the
 * subscription). Terms are signed at billing (`signTerm`).
 */
export function buyExtras(acct: SimAccount, ctx: WorldContext, smooth: Float64Array, day: number): boolean {
  const plan = ctx.plans[acct.plan];
  if (!plan || acct.pastDue) return false;
  const p = ctx.params;
  const rng = acct.xrng;
  let changed = false;
  for (let i = 0; i < ctx.meters.length; i++) {
    const lim = limitOf(acct, ctx, i);
    const need = smooth[i] ?? 0;
    if (!(lim > 0) || !Number.isFinite(lim) || need < p.readyMeterShare * lim) continue;
    const units = unitsFor(acct, ctx, i, need);
    if (units === null || !rng.chance(p.unitBuyHazard[acct.segment])) continue;
    acct.units[i] = units;
    const m = ctx.meters[i]!;
    acct.purchases.push({ day, type: m.kind === 'seats' ? 'seats' : 'volume', item: `${m.id}:${units}` });
    changed = true;
  }
  for (const f of acct.gap) {
    const k = moduleFor(acct, ctx, plan, f);
    if (k < 0 || !rng.chance(p.moduleBuyHazard[acct.segment])) continue;
    acct.addons = [...acct.addons, k].sort((a, b) => a - b);
    acct.purchases.push({ day, type: 'module', item: ctx.catalog.addons[k]!.id });
    changed = true;
    break;
  }
  // premium support goes through people: decided under ticket load, bought one sales cycle later
  // if the plan still sells it (seed 000: mid-market 30-45 days, enterprise 60-90)
  const due = acct.supportDue;
  if (due && day >= due.day) {
    acct.supportDue = null;
    if (supportAddon(acct, ctx, plan) === due.addon) {
      acct.addons = [...acct.addons, due.addon].sort((a, b) => a - b);
      acct.purchases.push({ day, type: 'support', item: ctx.catalog.addons[due.addon]!.id });
      changed = true;
    }
  } else if (!due) {
    const k = supportAddonNeeded(acct, ctx, plan);
    if (k >= 0 && rng.chance(p.supportBuyHazard[acct.segment])) {
      const [lo, hi] = p.salesCycleDays[acct.segment];
      acct.supportDue = { addon: k, day: day + lo + rng.int(hi - lo + 1) };
      acct.needsEver |= NEED.support;
    }
  }
  if (changed) {
    applyHoldings(acct, ctx);
    // bought because the need was there, even between two weekly samples
    for (const x of acct.purchases) if (x.day === day) acct.needsEver |= NEED[x.type];
  }
  return changed;
}

/**
 * At a billing date, a healthy, stable, paid-up monthly account moves to annual billing at its
 * rate. Returns true when it did.
 */
export function signTerm(acct: SimAccount, ctx: WorldContext, day: number): boolean {
  if (acct.interval !== 'month' || acct.health < 0.6 || acct.archetype === 'declining' || acct.pastDue) return false;
  if (!ctx.catalog.terms.some((t) => t.months === 12) || ctx.mrrAnnual[acct.plan] === null) return false;
  if (!acct.xrng.chance(ctx.params.monthlyToAnnual)) return false;
  acct.termMonths = 12;
  acct.purchases.push({ day, type: 'term', item: '12m' });
  return true;
}

/** The day an annual account would sign its next renewal: one sales cycle of its segment before the renewal date. */
function termSignDay(acct: SimAccount, ctx: WorldContext): number {
  if (acct.termSignFor !== acct.renewalMs) {
    const [lo, hi] = ctx.params.salesCycleDays[acct.segment];
    const r = renewalIndex(acct, ctx);
    acct.termSignFor = acct.renewalMs;
    acct.termSignDay = r - lo - new Rng(mixSeed(ctx.seed, acct.index, 0x7e3a, r)).int(hi - lo + 1);
  }
  return acct.termSignDay;
}

/**
 * A healthy, stable annual account signs the next multi-year term at its rate, one sales cycle
 * before the renewal date (the renewal conversation of seed 000's 60-90-day window closes then);
 * the term and its discount start at the renewal. A renewal closer to the world's start than its
 * cycle renews as it is. Returns the renewal day the term starts on, or -1.
 */
export function signMultiYear(acct: SimAccount, ctx: WorldContext, day: number): number {
  if (acct.interval !== 'year' || acct.termFromDay >= 0 || day !== termSignDay(acct, ctx) || !termNeeded(acct, ctx)) return -1;
  const have = acct.termMonths || 12;
  const next = ctx.catalog.terms.find((t) => t.months > have && t.months > 12);
  if (!next || ctx.mrrAnnual[acct.plan] === null || !acct.xrng.chance(ctx.params.multiYearAtRenewal)) return -1;
  acct.termMonths = next.months;
  acct.termFromDay = renewalIndex(acct, ctx);
  acct.purchases.push({ day, type: 'term', item: `${next.months}m`, starts: acct.termFromDay });
  return acct.termFromDay;
}
