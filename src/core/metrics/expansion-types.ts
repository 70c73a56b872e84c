// Expansion MRR by the kind of expansion (seed 001: tier upgrade, seat/usage expansion, add-on
// modules, premium support), commitments signed, attach rate per add-on and the multi-year share.
// Each account-month's expansion (the revenue pass's own figure) is split over what changed in the
// subscription that month, in proportion to the list price of each change, so the parts always sum
// to the total expansion MRR; a rise with no priced change (a price increase, a discount ending) is "other".
import { findAddon } from '../catalog/holdings.ts';
import type { Catalog, Plan } from '../catalog/types.ts';
import { unitCost, unitPriceOf } from '../catalog/units.ts';
import { monthStartMs, type MonthNumber } from './months.ts';

export const EXPANSION_TYPES = ['tier', 'seats_volume', 'addon', 'support', 'other'] as const;
export type ExpansionType = (typeof EXPANSION_TYPES)[number];

/** One subscription event with what it holds resolved (absent fields carried forward). */
export interface SubRow {
  ts: number;
  plan: string;
  mrr: number;
  paying: boolean;
  addons: readonly string[];
  units: Readonly<Record<string, number>>;
  termMonths: number;
}

export interface ExpansionVisit { account: string; month: MonthNumber; delta: number }

export interface ExpansionByType {
  /** equals the report's total expansion */
  total: number;
  byType: Record<ExpansionType, number>;
  /** subscriptions moved to a term of 12 months or more in the range, and their ARR */
  commitments: { signed: number; arr: number; annual: number; multiYear: number };
  /** per add-on, at the range's end: accounts holding it / paying accounts on a plan it is sold on */
  attachRate: { addon: string; name: string; holding: number; eligible: number; rate: number | null }[];
  /** ARR on terms of 24 months or more / ARR, at the range's end */
  multiYearShare: number | null;
}

const listMonthly = (p: Plan | undefined): number => p?.price.monthly ?? 0;

/** The list price of each change from `a` to `b`, per kind (only rises count). */
export function changeWeights(c: Catalog, a: SubRow | undefined, b: SubRow): Record<ExpansionType, number> {
  const w: Record<ExpansionType, number> = { tier: 0, seats_volume: 0, addon: 0, support: 0, other: 0 };
  const pa = a ? c.plans.find((p) => p.id === a.plan) : undefined;
  const pb = c.plans.find((p) => p.id === b.plan);
  if (pb && (!pa || pb.rank > pa.rank)) w.tier = Math.max(0, listMonthly(pb) - listMonthly(pa));
  const meters = new Set([...Object.keys(a?.units ?? {}), ...Object.keys(b.units)]);
  for (const m of meters) {
    const after = pb ? unitCost(unitPriceOf(pb, m) ?? noUnits, b.units[m] ?? 0) : 0;
    const before = pa ? unitCost(unitPriceOf(pa, m) ?? noUnits, a?.units[m] ?? 0) : 0;
    if (after > before) w.seats_volume += after - before;
  }
  for (const id of b.addons) {
    if (a?.addons.includes(id)) continue;
    const addon = findAddon(c, id);
    if (!addon || (pb && addon.includedIn.includes(pb.id))) continue;
    w[addon.kind === 'support' ? 'support' : 'addon'] += addon.price.monthly;
  }
  return w;
}

const noUnits = { meter: '', scheme: 'per_unit' as const, unitAmount: 0, blockSize: 1, tiers: [], included: 0, maxExtra: null, stripePrices: [] };

/** Splits `delta` over the weights, whole cents, largest remainder; no weight at all: other. */
export function split(delta: number, w: Record<ExpansionType, number>): Record<ExpansionType, number> {
  const out: Record<ExpansionType, number> = { tier: 0, seats_volume: 0, addon: 0, support: 0, other: 0 };
  const sum = EXPANSION_TYPES.reduce((s, k) => s + w[k], 0);
  if (sum <= 0) { out.other = delta; return out; }
  const raw = EXPANSION_TYPES.map((k) => [k, (delta * w[k]) / sum] as const);
  let left = delta;
  for (const [k, v] of raw) { out[k] = Math.floor(v); left -= out[k]; }
  for (const [k] of [...raw].sort((x, y) => (y[1] - Math.floor(y[1])) - (x[1] - Math.floor(x[1])))) {
    if (left <= 0) break;
    out[k]++; left--;
  }
  return out;
}

const lastBefore = (rows: readonly SubRow[], ts: number): SubRow | undefined => {
  let r: SubRow | undefined;
  for (const x of rows) { if (x.ts < ts) r = x; else break; }
  return r;
};

export function expansionByType(c: Catalog, rows: ReadonlyMap<string, readonly SubRow[]>, visits: readonly ExpansionVisit[], range: { from: MonthNumber; to: MonthNumber }): ExpansionByType {
  const byType: Record<ExpansionType, number> = { tier: 0, seats_volume: 0, addon: 0, support: 0, other: 0 };
  let total = 0;
  for (const v of visits) {
    const list = rows.get(v.account) ?? [];
    const end = lastBefore(list, monthStartMs(v.month + 1));
    if (!end) { byType.other += v.delta; total += v.delta; continue; }
    const start = lastBefore(list, monthStartMs(v.month));
    const parts = split(v.delta, changeWeights(c, start?.paying ? start : undefined, end));
    for (const k of EXPANSION_TYPES) byType[k] += parts[k];
    total += v.delta;
  }
  const fromMs = monthStartMs(range.from);
  const toMs = monthStartMs(range.to + 1);
  const commitments = { signed: 0, arr: 0, annual: 0, multiYear: 0 };
  const holding = new Map<string, number>();
  const eligible = new Map<string, number>();
  let arr = 0;
  let multiYearArr = 0;
  for (const list of rows.values()) {
    let prevTerm = 0;
    for (const r of list) {
      if (r.ts >= fromMs && r.ts < toMs && r.paying && r.termMonths >= 12 && r.termMonths > prevTerm && prevTerm > 0) {
        commitments.signed++;
        commitments.arr += r.mrr * 12;
        if (r.termMonths >= 24) commitments.multiYear++; else commitments.annual++;
      }
      prevTerm = r.paying ? r.termMonths : 0;
    }
    const last = lastBefore(list, toMs);
    if (!last?.paying) continue;
    arr += last.mrr * 12;
    if (last.termMonths >= 24) multiYearArr += last.mrr * 12;
    for (const a of c.addons) {
      if (!a.availableOn.includes(last.plan)) continue;
      eligible.set(a.id, (eligible.get(a.id) ?? 0) + 1);
      if (last.addons.includes(a.id)) holding.set(a.id, (holding.get(a.id) ?? 0) + 1);
    }
  }
  const attachRate = c.addons.map((a) => {
    const e = eligible.get(a.id) ?? 0;
    const h = holding.get(a.id) ?? 0;
    return { addon: a.id, name: a.name, holding: h, eligible: e, rate: e > 0 ? Math.round((h / e) * 10_000) / 10_000 : null };
  });
  return { total, byType, commitments, attachRate, multiYearShare: arr > 0 ? Math.round((multiYearArr / arr) * 10_000) / 10_000 : null };
}

