// Revenue metrics use case: read the subscription events from the store into the ledger, then
// let the core compute. Bad events are reported in the result (with their ids), never dropped silently.
import { SubscriptionLedger } from '../core/metrics/ledger.ts';
import { parseMonth } from '../core/metrics/months.ts';
import type { PeriodGrain } from '../core/metrics/periods.ts';
import { computeRevenue, type RevenueOptions } from '../core/metrics/revenue.ts';
import type { RevenueReport } from '../core/metrics/types.ts';
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
  for await (const { event } of store.readEvents({ types: ['subscription'] })) {
    if (event.type === 'subscription') ledger.add(event);
  }
  return computeRevenue(ledger, options);
}
