// The dbt mrr-playbook sample (test/fixtures/metrics/subscription_periods.csv) as subscription events.
import type { SubscriptionEvent } from '../../src/core/events/types.ts';

/** Each period: active at start_date with its amount, canceled at end_date (exclusive). */
export function periodsToEvents(csv: string): SubscriptionEvent[] {
  const events: (SubscriptionEvent & { close: boolean })[] = [];
  for (const line of csv.trim().split('\n').slice(1)) {
    const [sid, customer, start, end, amount] = line.trim().split(',');
    if (!sid || !customer || !start || !end || !amount) throw new Error(`bad line: ${line}`);
    const base = { type: 'subscription' as const, account: customer, plan: 'sample', interval: 'month' as const };
    events.push({ ...base, id: `${sid}-open`, ts: Date.parse(`${start}T00:00:00Z`), mrr: Math.round(Number(amount) * 100), status: 'active', close: false });
    events.push({ ...base, id: `${sid}-close`, ts: Date.parse(`${end}T00:00:00Z`), mrr: 0, status: 'canceled', close: true });
  }
  // A period that ends where the next one starts: read the close first, so the new plan holds.
  events.sort((a, b) => a.ts - b.ts || Number(b.close) - Number(a.close));
  return events.map(({ close: _close, ...e }) => e);
}
