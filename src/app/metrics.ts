// Revenue metrics use case: read the subscription events from the store into the ledger, then
// let the core compute. Bad events are reported in the result (with their ids), never dropped silently.
import { SubscriptionLedger } from '../core/metrics/ledger.ts';
import { parseMonth } from '../core/metrics/months.ts';
import type { PeriodGrain } from '../core/metrics/periods.ts';
import { computeRevenue, type RevenueOptions } from '../core/metrics/revenue.ts';
import type { RevenueReport } from '../core/metrics/types.ts';
import type { Catalog } from '../core/catalog/types.ts';
import type { SubscriptionEvent } from '../core/events/types.ts';
import { expansionByType, type ExpansionVisit, type SubRow } from '../core/metrics/expansion-types.ts';
import type { EventStore } from './ports.ts';

export interface RevenueMetricsQuery {
  /** YYYY-MM, inclusive; default: the month of the first subscription event */
  from?: string;
  /** YYYY-MM, inclusive; default: the month of the last subscription event */
  to?: string;
  by?: PeriodGrain;
  /** the catalog's plan ids: a plan outside them is reported (and still counted) */
  knownPlans?: ReadonlySet<string>;
  /** the configured currency: an event in another one is reported and left out */
  currency?: string;
  retentionHorizons?: readonly number[];
  /** the moment of the report (epoch ms): a month or quarter still running then is flagged partial */
  now?: number;
  /** with a catalog, expansion MRR is split by type (tier, seats/volume, add-on, support) */
  catalog?: Catalog;
}

export class MetricsQueryError extends Error {
  readonly code = 'metrics_query';
}

function month(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = parseMonth(text);
  if (m === undefined) throw new MetricsQueryError(`${flag} must be a month as YYYY-MM, got "${text}"`);
  return m;
}

/** Checks the query before any reading, so a bad flag costs nothing. */
export function revenueOptions(q: RevenueMetricsQuery): RevenueOptions {
  const from = month('--from', q.from);
  const to = month('--to', q.to);
  if (from !== undefined && to !== undefined && from > to) throw new MetricsQueryError(`--from ${q.from} is after --to ${q.to}`);
  return {
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    by: q.by ?? 'month',
    ...(q.retentionHorizons ? { retentionHorizons: q.retentionHorizons } : {}),
    ...(q.now !== undefined ? { now: q.now } : {}),
  };
}

export async function revenueMetrics(store: EventStore, q: RevenueMetricsQuery = {}): Promise<RevenueReport> {
  const options = revenueOptions(q);
  const ledger = new SubscriptionLedger({
    ...(q.knownPlans ? { knownPlans: q.knownPlans } : {}),
    ...(q.currency ? { currency: q.currency } : {}),
  });
  // All of them, not only the range: the state at the range's start and retention after it need history.
  const rows = q.catalog ? new Map<string, SubscriptionEvent[]>() : null;
  for await (const { event } of store.readEvents({ types: ['subscription'] })) {
    if (event.type !== 'subscription') continue;
    ledger.add(event);
    if (rows) {
      const list = rows.get(event.account);
      if (list) list.push(event); else rows.set(event.account, [event]);
    }
  }
  if (!q.catalog || !rows) return computeRevenue(ledger, options);
  const visits: ExpansionVisit[] = [];
  const report = computeRevenue(ledger, {
    ...options,
    onAccountMonth: (account, month, _mrr, movement, delta) => { if (movement === 'expansion') visits.push({ account, month, delta }); },
  });
  const from = parseMonth(report.from);
  const to = parseMonth(report.to);
  if (from === undefined || to === undefined) return report;
  const resolved = new Map([...rows].map(([a, list]) => [a, resolveRows(q.catalog!, list)]));
  return { ...report, expansionByType: expansionByType(q.catalog, resolved, visits, { from, to }) };
}

/** Each subscription event with what it holds: absent add-ons, units and term carried forward as the state fold does. */
function resolveRows(c: Catalog, events: SubscriptionEvent[]): SubRow[] {
  const seatsIncluded = new Map(c.plans.flatMap((p) => (p.units ?? []).filter((u) => u.meter === 'seats').map((u) => [p.id, u.included] as const)));
  let addons: readonly string[] = [];
  let units: Record<string, number> = {};
  return [...events].sort((a, b) => a.ts - b.ts).map((e) => {
    if (e.addons !== undefined) addons = [...e.addons];
    if (e.units !== undefined) units = { ...e.units };
    else if (e.seats !== undefined && seatsIncluded.has(e.plan)) units = { ...units, seats: Math.max(0, e.seats - seatsIncluded.get(e.plan)!) };
    if (e.status === 'canceled') { addons = []; units = {}; }
    return { ts: e.ts, plan: e.plan, mrr: e.mrr, paying: e.status === 'active' || e.status === 'past_due', addons, units, termMonths: e.term_months ?? (e.interval === 'year' ? 12 : 1) };
  });
}
