// The revenue metrics against the behaviour table in test/fixtures/metrics/cases.json, plus the
// reconciliation identity on every case and on seeded random histories.
import { describe, expect, it } from 'vitest';
import cases from '../../../test/fixtures/metrics/cases.json' with { type: 'json' };
import type { SubscriptionEvent, SubscriptionStatus } from '../events/types.ts';
import { SubscriptionLedger } from './ledger.ts';
import { formatMonth, parseMonth } from './months.ts';
import { computeRevenue, type RevenueOptions } from './revenue.ts';
import type { PeriodMetrics, RevenueReport } from './types.ts';
import { expectMatch, expectReconciled } from '../../../test/helpers/metrics-match.ts';

interface FixtureEvent {
  id?: string; account: string; ts: string; mrr: number; status: string;
  plan?: string; interval?: string; discount_pct?: number; term_months?: number; currency?: string;
}
interface FixtureCase {
  name: string;
  events: FixtureEvent[];
  options: { from?: string; to?: string; by?: string; retentionHorizons?: number[]; knownPlans?: string[]; currency?: string };
  expect: {
    accounts?: Record<string, Record<string, [string, number] | null>>;
    months?: Record<string, unknown>;
    periods?: Record<string, unknown>;
    total?: unknown;
    upsell?: unknown;
    problems?: Record<string, string[]>;
  };
}

function toEvent(f: FixtureEvent, i: number): SubscriptionEvent {
  return {
    id: f.id ?? `e${i}`, ts: Date.parse(f.ts), account: f.account, type: 'subscription',
    plan: f.plan ?? 'pro', interval: f.interval === 'year' ? 'year' : 'month', mrr: f.mrr, status: f.status as SubscriptionStatus,
    ...(f.discount_pct !== undefined ? { discount_pct: f.discount_pct } : {}),
    ...(f.term_months !== undefined ? { term_months: f.term_months } : {}),
    ...(f.currency !== undefined ? { extra: { currency: f.currency } } : {}),
  };
}

const month = (s: string | undefined): number | undefined => (s === undefined ? undefined : parseMonth(s));

function run(c: FixtureCase): { report: RevenueReport; rows: Map<string, Map<string, [string, number]>>; byMonth: Map<string, number> } {
  const ledger = new SubscriptionLedger({
    ...(c.options.knownPlans ? { knownPlans: new Set(c.options.knownPlans) } : {}),
    ...(c.options.currency ? { currency: c.options.currency } : {}),
  });
  c.events.forEach((e, i) => ledger.add(toEvent(e, i)));
  const rows = new Map<string, Map<string, [string, number]>>();
  const byMonth = new Map<string, number>();
  const from = month(c.options.from);
  const to = month(c.options.to);
  const options: RevenueOptions = {
    ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}),
    by: c.options.by === 'quarter' ? 'quarter' : 'month',
    ...(c.options.retentionHorizons ? { retentionHorizons: c.options.retentionHorizons } : {}),
    onAccountMonth: (account, m, mrr, movement) => {
      const key = formatMonth(m);
      let r = rows.get(account);
      if (!r) rows.set(account, (r = new Map()));
      r.set(key, [movement, mrr]);
      byMonth.set(key, (byMonth.get(key) ?? 0) + mrr);
    },
  };
  return { report: computeRevenue(ledger, options), rows, byMonth };
}

describe('revenue metrics: behaviour table', () => {
  for (const c of (cases as { cases: FixtureCase[] }).cases) {
    it(c.name, () => {
      const { report, rows, byMonth } = run(c);
      expectReconciled(report);
      const monthly = c.options.by === 'quarter' ? run({ ...c, options: { ...c.options, by: 'month' } }).report : report;
      for (const p of monthly.periods) expect(byMonth.get(p.period) ?? 0, `${p.period}: accounts sum to MRR`).toBe(p.endMrr);
      const find = (list: PeriodMetrics[], label: string) => list.find((p) => p.period === label);
      for (const [account, months] of Object.entries(c.expect.accounts ?? {})) {
        for (const [m, want] of Object.entries(months)) expect(rows.get(account)?.get(m) ?? null, `${account} ${m}`).toEqual(want);
      }
      for (const [label, want] of Object.entries(c.expect.months ?? {})) expectMatch(find(monthly.periods, label), want, label);
      for (const [label, want] of Object.entries(c.expect.periods ?? {})) expectMatch(find(report.periods, label), want, label);
      if (c.expect.total) expectMatch(report.total, c.expect.total, 'total');
      if (c.expect.upsell) expectMatch(report.upsell, c.expect.upsell, 'upsell');
      const problems = Object.fromEntries(report.problems.map((p) => [p.code, p.examples.map((x) => x.id)]));
      expect(problems).toEqual(c.expect.problems ?? {});
    });
  }
});

describe('revenue metrics: invariants', () => {
  /** A small seeded generator (mulberry32), so every run sees the same histories. */
  function rng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const statuses: SubscriptionStatus[] = ['active', 'active', 'active', 'past_due', 'trialing', 'canceled'];

  it('reconciles to the cent every month and every quarter on 100 random histories', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const r = rng(seed);
      const ledger = new SubscriptionLedger();
      const start = Date.UTC(2022, 0, 1);
      for (let i = 0; i < 80; i++) {
        const status = statuses[Math.floor(r() * statuses.length)] as SubscriptionStatus;
        ledger.add({
          id: `${seed}-${i}`, type: 'subscription', account: `a${Math.floor(r() * 8)}`, ts: start + Math.floor(r() * 900) * 86_400_000 + Math.floor(r() * 3) * 3_600_000,
          plan: 'pro', interval: 'month', status, mrr: status === 'canceled' ? 0 : Math.floor(r() * 4) * 2500 + Math.floor(r() * 99),
        });
      }
      for (const by of ['month', 'quarter'] as const) {
        const report = computeRevenue(ledger, { by });
        expectReconciled(report);
        const t = report.total;
        expect(t.grr === null || (t.grr >= 0 && t.grr <= 1 && t.nrr !== null && t.grr <= t.nrr + 1e-12)).toBe(true);
      }
    }
  });

  it('gives the same figures whatever order the events are read in', () => {
    const r = rng(42);
    const events: SubscriptionEvent[] = [];
    for (let i = 0; i < 300; i++) {
      events.push({ id: `e${i}`, type: 'subscription', account: `a${i % 17}`, ts: Date.UTC(2023, 0, 1) + Math.floor(r() * 500) * 86_400_000, plan: 'pro', interval: 'month', status: r() < 0.2 ? 'canceled' : 'active', mrr: Math.floor(r() * 5) * 1000 });
    }
    const inOrder = new SubscriptionLedger();
    [...events].sort((a, b) => a.ts - b.ts || Number(a.id.slice(1)) - Number(b.id.slice(1))).forEach((e) => inOrder.add(e));
    const shuffled = new SubscriptionLedger();
    [...events].reverse().forEach((e) => shuffled.add(e));
    const strip = (x: RevenueReport) => ({ ...x, problems: [] });
    // Equal-ts events keep read order, so only compare when no two events of an account share a ts.
    const clash = new Set(events.map((e) => `${e.account}@${e.ts}`)).size !== events.length;
    if (!clash) expect(strip(computeRevenue(shuffled))).toEqual(strip(computeRevenue(inOrder)));
    expect(shuffled.problems().find((p) => p.code === 'out_of_order')?.count).toBeGreaterThan(0);
  });

  it('an empty ledger gives an empty report; a range that ends before it starts is an error', () => {
    const ledger = new SubscriptionLedger();
    expect(computeRevenue(ledger).periods).toEqual([]);
    expect(computeRevenue(ledger, { from: 2024 * 12, to: 2024 * 12 + 1 }).periods.map((p) => p.endMrr)).toEqual([0, 0]);
    expect(() => computeRevenue(ledger, { from: 2024 * 12 + 1, to: 2024 * 12 })).toThrow(/starts/);
  });
});

describe('partial periods', () => {
  const ledger = new SubscriptionLedger();
  ledger.add({ id: 'p1', ts: Date.UTC(2026, 9, 5), account: 'a', type: 'subscription', plan: 'pro', interval: 'month', mrr: 5000, status: 'active' });
  ledger.add({ id: 'p2', ts: Date.UTC(2026, 11, 1, 8), account: 'a', type: 'subscription', plan: 'pro', interval: 'month', mrr: 6000, status: 'active' });

  it('flags the month `now` falls in with its days so far, months and quarters alike', () => {
    const r = computeRevenue(ledger, { now: Date.UTC(2026, 11, 1, 12) });
    expect(r.periods.map((p) => [p.period, p.partial ?? null])).toEqual([['2026-10', null], ['2026-11', null], ['2026-12', { days: 1, of: 31 }]]);
    const q = computeRevenue(ledger, { by: 'quarter', now: Date.UTC(2026, 11, 1, 12) });
    expect(q.periods.map((p) => [p.period, p.partial ?? null])).toEqual([['2026-Q4', { days: 62, of: 92 }]]);
  });

  it('flags nothing when the report is as of the last moment of a month, or without a moment', () => {
    expect(computeRevenue(ledger, { now: Date.UTC(2027, 0, 1) - 1 }).periods.every((p) => p.partial === undefined)).toBe(true);
    expect(computeRevenue(ledger).periods.every((p) => p.partial === undefined)).toBe(true);
  });
});
