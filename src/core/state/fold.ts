// fold(state, event, catalog): one event into one account's aggregates, O(1) in the event count.
// It mutates and returns the state (the engine owns one state per account, DESIGN §8).
import type { Catalog } from '../catalog/types.ts';
import type { TierwiseEvent, UsageEvent, SubscriptionEvent } from '../events/types.ts';
import { advance, newMeter } from './meter-ring.ts';
import { hash32 } from './hash.ts';
import { addMonths, dayOf, monthKeyOfDay } from './time.ts';
import { FEATURE_USER_CAP, GATE_USER_CAP, RING_DAYS, SET_CAP, UNMAPPED_CAP, USER_CAP, type AccountState } from './types.ts';
import { seeUser, touchActivity } from './users.ts';
import { addWeek } from './week-counter.ts';

export const SEVERITY_CODE = { low: 0, normal: 1, high: 2, critical: 3 } as const;
export const FEATURE_UNAVAILABLE = 'feature_unavailable';
/** the meter that member events stand in for when the product sends no seats gauge */
export const SEATS = 'seats';

/** The catalog lookups fold needs, built once per catalog so each event costs a few map reads. */
export interface FoldCatalog {
  catalog: Catalog;
  meterReset: Map<string, 'month' | 'day' | 'none'>;
  features: Set<string>;
  planRank: Map<string, number>;
  planLimits: Map<string, Record<string, number | null>>;
  /** seats a plan includes, for plans that sell extra seats */
  seatIncluded: Map<string, number>;
}

const prepared = new WeakMap<Catalog, FoldCatalog>();

export function prepareCatalog(catalog: Catalog): FoldCatalog {
  let p = prepared.get(catalog);
  if (!p) {
    p = {
      catalog,
      meterReset: new Map(catalog.meters.map((m) => [m.id, m.reset])),
      features: new Set(catalog.features.map((f) => f.id)),
      planRank: new Map(catalog.plans.map((pl) => [pl.id, pl.rank])),
      planLimits: new Map(catalog.plans.map((pl) => [pl.id, pl.limits])),
      seatIncluded: new Map(catalog.plans.flatMap((pl) => (pl.units ?? []).filter((u) => u.meter === SEATS).map((u) => [pl.id, u.included] as [string, number]))),
    };
    prepared.set(catalog, p);
  }
  return p;
}

function unmapped(s: AccountState, key: string): void {
  const n = s.unmapped[key];
  if (n !== undefined) s.unmapped[key] = n + 1;
  else if (Object.keys(s.unmapped).length < UNMAPPED_CAP) s.unmapped[key] = 1;
}

function limitOf(fc: FoldCatalog, s: AccountState, meter: string): number {
  const limits = fc.planLimits.get(s.plan);
  if (!limits || !(meter in limits)) return Number.POSITIVE_INFINITY; // unknown plan or meter not offered: no limit to exceed
  const v = limits[meter];
  if (v === null || v === undefined) return Number.POSITIVE_INFINITY;
  let extra = s.units[meter] ?? 0;
  for (const id of s.addons) extra += fc.catalog.addons.find((a) => a.id === id)?.limits[meter] ?? 0;
  return v + extra;
}

function foldUsage(s: AccountState, e: UsageEvent, fc: FoldCatalog, day: number, isDerived = false): void {
  const reset = fc.meterReset.get(e.meter);
  if (reset === undefined) return unmapped(s, `meter:${e.meter}`);
  const gauge = reset === 'none';
  let m = s.meters[e.meter];
  if (!m) {
    m = s.meters[e.meter] = newMeter(gauge, day);
    m.derived = isDerived;
  } else if (m.derived && !isDerived) {
    m.derived = false; // the product sends seats itself from now on; members no longer stand in
  } else if (!m.derived && isDerived) {
    return;
  }
  if (day < m.first) m.first = Math.max(day, m.last - RING_DAYS + 1);
  const q = e.quantity;
  if (gauge) {
    if (e.ts >= m.levelTs) {
      advance(m, day);
      m.level = q;
      m.levelTs = e.ts;
      m.ring[day % RING_DAYS] = q;
    } else if (day < m.last && day > m.last - RING_DAYS) {
      m.ring[day % RING_DAYS] = q; // a late reading for a past day
    }
  } else {
    advance(m, day);
    if (day > m.last - RING_DAYS) m.ring[day % RING_DAYS] = (m.ring[day % RING_DAYS] ?? 0) + q;
  }
  // over-limit hits of the current period ("exceeded the limit 12 times this month")
  const period = reset === 'day' ? day : monthKeyOfDay(day);
  if (period < m.period) return;
  if (period > m.period) { m.period = period; m.over = 0; m.periodSum = 0; }
  const standing = gauge ? q : (m.periodSum += q);
  if (standing > limitOf(fc, s, e.meter)) m.over++;
}

function foldSubscription(s: AccountState, e: SubscriptionEvent, fc: FoldCatalog): void {
  const had = s.plan !== '' && s.status !== 'canceled';
  if (s.plan !== e.plan) {
    if (s.plan) {
      const from = fc.planRank.get(s.plan) ?? 0;
      const to = fc.planRank.get(e.plan) ?? 0;
      s.planChange = to > from ? 1 : to < from ? -1 : 0;
      s.prevPlan = s.plan;
      s.planChangeTs = e.ts;
      // hits against the old plan's limits say nothing about the new plan
      for (const id in s.meters) s.meters[id]!.over = 0;
    }
    s.anchorTs = e.ts;
  } else if (s.interval !== e.interval || s.anchorTs === 0 || s.status === 'canceled') {
    s.anchorTs = e.ts;
  }
  s.plan = e.plan;
  s.interval = e.interval;
  s.status = e.status;
  s.mrr = e.mrr;
  if (e.seats !== undefined) s.seatsBought = e.seats;
  foldExtras(s, e, fc, had);
}

/** Add-ons, extra units and term: explicit fields win; `seats` above the plan's included seats stand for extra seat units. */
function foldExtras(s: AccountState, e: SubscriptionEvent, fc: FoldCatalog, had: boolean): void {
  const before = `${s.addons.join(',')}|${JSON.stringify(s.units)}|${s.termMonths}`;
  const termBefore = s.termMonths;
  const addonsBefore = s.addons;
  const unitsBefore = s.units;
  if (e.addons !== undefined) s.addons = [...new Set(e.addons)].sort();
  if (e.units !== undefined) {
    s.units = {};
    for (const k in e.units) if ((e.units[k] ?? 0) > 0) s.units[k] = e.units[k]!;
  } else if (e.seats !== undefined) {
    const included = fc.seatIncluded.get(e.plan);
    if (included !== undefined) {
      const extra = Math.max(0, e.seats - included);
      if (extra > 0) s.units = { ...s.units, [SEATS]: extra };
      else if (SEATS in s.units) { s.units = { ...s.units }; delete s.units[SEATS]; }
    }
  }
  s.termMonths = e.term_months ?? (e.interval === 'year' ? 12 : 1);
  if (e.status === 'canceled') { s.addons = []; s.units = {}; }
  // a longer commitment signed now renews at its end: an older renewal_at trait no longer holds
  else if (had && s.termMonths > termBefore && s.termMonths >= 12) s.renewalTs = addMonths(e.ts, s.termMonths);
  // a first subscription is a start, not a change
  if (had && `${s.addons.join(',')}|${JSON.stringify(s.units)}|${s.termMonths}` !== before) {
    s.extrasChangeTs = e.ts;
    stampExtras(s, e.ts, addonsBefore, unitsBefore, termBefore);
  } else if (!had && Object.keys(s.extrasTs).length > 0) s.extrasTs = {};
}

/** Keeps when each held part came; parts no longer held are dropped, so the record stays as small as the holdings. */
function stampExtras(s: AccountState, ts: number, addonsBefore: readonly string[], unitsBefore: Readonly<Record<string, number>>, termBefore: number): void {
  const old = s.extrasTs;
  const next: Record<string, number> = {};
  for (const a of s.addons) {
    const k = `addon:${a}`;
    next[k] = addonsBefore.includes(a) ? (old[k] ?? 0) : ts;
  }
  for (const m in s.units) {
    const k = `units:${m}`;
    next[k] = (s.units[m] ?? 0) > (unitsBefore[m] ?? 0) ? ts : (old[k] ?? 0);
  }
  if (s.termMonths > termBefore) next['term'] = ts;
  else if (old['term'] !== undefined && s.termMonths >= termBefore) next['term'] = old['term'];
  for (const k in next) if (next[k] === 0) delete next[k];
  s.extrasTs = next;
}

export function fold(s: AccountState, e: TierwiseEvent, catalog: Catalog): AccountState {
  const fc = prepareCatalog(catalog);
  const day = dayOf(e.ts);
  if (s.events === 0 || e.ts < s.firstTs) s.firstTs = e.ts;
  if (e.ts > s.lastTs) s.lastTs = e.ts;
  s.events++;
  if (e.user !== undefined && (e.type === 'usage' || e.type === 'feature' || e.type === 'gate' || e.type === 'session')) {
    touchActivity(s.users, hash32(e.user), day, USER_CAP);
  }
  switch (e.type) {
    case 'account': {
      s.described = true;
      const t = e.traits;
      if (typeof t.segment === 'string') s.segment = t.segment;
      if (typeof t.employees === 'number') s.employees = t.employees;
      if (typeof t.renewal_at === 'string') {
        const r = Date.parse(t.renewal_at);
        if (Number.isFinite(r)) s.renewalTs = r;
      }
      break;
    }
    case 'subscription': foldSubscription(s, e, fc); break;
    case 'usage': addWeek(s.activity, day); foldUsage(s, e, fc, day); break;
    case 'gate': {
      addWeek(s.activity, day);
      if (!fc.features.has(e.feature)) { unmapped(s, `feature:${e.feature}`); break; }
      const g = (s.gates[e.feature] ??= { c: { w: 0, b: [0, 0, 0, 0, 0, 0, 0, 0] }, u: [] });
      addWeek(g.c, day);
      if (e.user !== undefined) seeUser(g.u, hash32(e.user), day, GATE_USER_CAP);
      break;
    }
    case 'feature': {
      addWeek(s.activity, day);
      addWeek(s.engage, day);
      if (!fc.features.has(e.feature)) { unmapped(s, `feature:${e.feature}`); break; }
      const f = (s.features[e.feature] ??= { first: day, last: day, n: 0, u: [] });
      f.n++;
      if (day > f.last) f.last = day;
      if (day < f.first) f.first = day;
      if (e.user !== undefined) seeUser(f.u, hash32(e.user), day, FEATURE_USER_CAP);
      break;
    }
    case 'session': addWeek(s.activity, day); addWeek(s.engage, day); break;
    case 'member':
      addWeek(s.activity, day);
      if (e.action === 'added') { s.members++; addWeek(s.membersAdded, day); }
      else { s.members = Math.max(0, s.members - 1); addWeek(s.membersRemoved, day); }
      if (fc.meterReset.get(SEATS) === 'none') {
        foldUsage(s, { id: e.id, ts: e.ts, account: e.account, type: 'usage', meter: SEATS, quantity: s.members }, fc, day, true);
      }
      break;
    case 'integration':
      if (e.action === 'connected') {
        if (!s.integrations.includes(e.name)) {
          if (s.integrations.length < SET_CAP) s.integrations.push(e.name);
          addWeek(s.integrationsAdded, day);
        }
      } else {
        const i = s.integrations.indexOf(e.name);
        if (i >= 0) s.integrations.splice(i, 1);
      }
      break;
    case 'ticket':
      if (e.status === 'opened') {
        const isAsk = e.topic === FEATURE_UNAVAILABLE ? 1 : 0;
        if (isAsk && !(e.ticket in s.openTickets)) addWeek(s.featureAsks, day);
        // keep critical tickets even at the cap: they disqualify
        if (Object.keys(s.openTickets).length < SET_CAP || e.severity === 'critical') s.openTickets[e.ticket] = [SEVERITY_CODE[e.severity], isAsk];
      } else {
        delete s.openTickets[e.ticket];
      }
      break;
    case 'invoice':
      if (e.status === 'past_due') {
        if (!s.pastDue.includes(e.invoice) && s.pastDue.length < SET_CAP) s.pastDue.push(e.invoice);
        if (s.pastDueSince === 0) s.pastDueSince = e.ts;
      } else {
        const i = s.pastDue.indexOf(e.invoice);
        if (i >= 0) s.pastDue.splice(i, 1);
        if (s.pastDue.length === 0) s.pastDueSince = 0;
      }
      break;
    case 'nps':
      if (e.ts >= s.npsTs) { s.nps = e.score; s.npsTs = e.ts; }
      break;
    case 'prompt':
      if (e.action === 'shown') { s.offersShown++; s.lastOfferTs = Math.max(s.lastOfferTs, e.ts); }
      else if (e.action === 'dismissed') { s.declines++; s.lastDeclineTs = Math.max(s.lastDeclineTs, e.ts); }
      else if (e.action === 'converted') s.lastConvertTs = Math.max(s.lastConvertTs, e.ts);
      break;
  }
  return s;
}
