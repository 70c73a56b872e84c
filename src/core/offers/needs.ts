// What an account needs, observed: meters that outgrow what it holds (with headroom), features it
// met a paywall for, a better support level (ticket load on a large account), a longer commitment
// (a renewal window on a healthy account). Offers are built to cover these and priced against them.
import { betterSupport } from '../catalog/holdings.ts';
import type { Catalog, Plan, SupportLevel } from '../catalog/types.ts';
import type { OfferSettings } from '../scoring/settings.ts';
import type { MeterView } from '../signals/meter-view.ts';
import type { Signal } from '../signals/types.ts';
import type { AccountState } from '../state/types.ts';
import { segmentOf } from './routing.ts';

export type NeedKind = 'meter' | 'feature' | 'support' | 'term';

export interface Need {
  /** meter:seats, feature:sso, support, term */
  id: string;
  kind: NeedKind;
  /** in the customer's words */
  label: string;
  meter?: string;
  /** meters: observed peak, what it should allow with headroom, what it allows now, the gap */
  observed?: number;
  want?: number;
  limit?: number;
  short?: number;
  feature?: string;
}

export interface NeedsInput {
  state: AccountState;
  catalog: Catalog;
  /** the effective plan: listed plan plus units and add-ons */
  plan: Plan | undefined;
  meters: readonly MeterView[];
  signals: readonly Signal[];
  gated: readonly string[];
  settings: OfferSettings;
}

const HEALTH_BLOCKERS = new Set(['declining_usage', 'past_due', 'critical_ticket', 'low_nps', 'members_removed']);
/** open tickets that make a large account want a faster support level */
export const SUPPORT_TICKET_LOAD = 3;

export function observeNeeds(i: NeedsInput): Need[] {
  const out: Need[] = [];
  for (const v of i.meters) {
    const observed = Math.max(v.peak, v.current);
    if (observed <= 0 || !Number.isFinite(v.limit)) continue;
    const want = Math.ceil(observed * (1 + i.settings.headroom) - 1e-9);
    if (want <= v.limit) continue;
    out.push({ id: `meter:${v.id}`, kind: 'meter', meter: v.id, observed: Math.round(observed * 100) / 100, want, limit: v.limit, short: want - v.limit,
      label: `${v.name}: ${fmt(observed)} used of ${fmt(v.limit)}, ${fmt(want)} with ${Math.round(i.settings.headroom * 100)}% headroom` });
  }
  const names = new Map(i.catalog.features.map((f) => [f.id, f.name]));
  for (const f of i.gated) {
    if (i.plan?.features.includes(f)) continue;
    out.push({ id: `feature:${f}`, kind: 'feature', feature: f, label: `${names.get(f) ?? f} (met the paywall)` });
  }
  const support = supportNeed(i);
  if (support) out.push(support);
  return out;
}

function supportNeed(i: NeedsInput): Need | null {
  const load = ticketLoad(i.state, i.catalog, i.plan, i.settings);
  if (!load) return null;
  return { id: 'support', kind: 'support', label: `faster support: ${load.open} open tickets${load.severe > 0 ? `, ${load.severe} high or critical` : ''} on ${load.segment === 'enterprise' ? 'an' : 'a'} ${load.segment.replace('_', '-')} account` };
}

export interface TicketLoad { open: number; severe: number; segment: 'enterprise' | 'mid_market' }

/**
 * Open tickets (at least SUPPORT_TICKET_LOAD, or one high or critical) on a mid-market or enterprise
 * account that a better support level exists for: the support need, and the ticket_load signal.
 */
export function ticketLoad(state: AccountState, catalog: Catalog, plan: Plan | undefined, settings: OfferSettings): TicketLoad | null {
  if (!plan) return null;
  const segment = segmentOf(state.segment, state.employees, settings);
  if (segment !== 'enterprise' && segment !== 'mid_market') return null;
  let open = 0;
  let severe = 0;
  for (const k in state.openTickets) {
    open++;
    if ((state.openTickets[k]?.[0] ?? 0) >= 2) severe++;
  }
  if (open < SUPPORT_TICKET_LOAD && severe === 0) return null;
  if (!anyBetterSupport(catalog, plan.support, plan)) return null;
  return { open, severe, segment };
}

function anyBetterSupport(c: Catalog, have: SupportLevel, plan: Plan): boolean {
  return c.addons.some((a) => a.support && a.availableOn.includes(plan.id) && betterSupport(a.support, have))
    || c.plans.some((p) => p.rank > plan.rank && betterSupport(p.support, have));
}

/** A renewal window on a healthy, stable account whose term is shorter than the longest the catalog offers. */
export function termNeed(c: Catalog, s: AccountState, signals: readonly Signal[]): Need | null {
  const longest = c.terms[c.terms.length - 1];
  if (!longest) return null;
  if (!signals.some((x) => x.id === 'renewal_window')) return null;
  if (signals.some((x) => x.kind === 'negative' && HEALTH_BLOCKERS.has(x.id))) return null;
  const have = s.termMonths || (s.interval === 'year' ? 12 : 1);
  if (have >= longest.months) return null;
  return { id: 'term', kind: 'term', label: `renewal of a healthy account on a ${have}-month term` };
}

const fmt = (n: number): string => (Math.round(n * 100) / 100).toLocaleString('en-US');
