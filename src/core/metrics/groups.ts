// Revenue metrics by group (segment, plan, sign-up cohort): each account belongs to exactly one
// group, each group gets its own ledger over the same range as the whole, so every MRR movement,
// cohort MRR and account count of the groups adds up to the unsegmented figure; NRR, GRR and ARPA
// are then each group's own ratios. Benchmark bands sit beside them, named as the seeds' figures.
import type { SubscriptionEvent } from '../events/types.ts';
import { SubscriptionLedger, type LedgerOptions } from './ledger.ts';
import { formatMonth, monthOf, parseMonth } from './months.ts';
import { computeRevenue, type RevenueOptions } from './revenue.ts';
import type { PeriodMetrics, RevenueReport } from './types.ts';

export type GroupBy = 'segment' | 'plan' | 'cohort';
export const GROUP_BYS: readonly GroupBy[] = ['segment', 'plan', 'cohort'];

export interface GroupFigures {
  key: string;
  /** accounts the group's ledger counted (accepted subscription events) */
  accounts: number;
  /** the whole range */
  total: PeriodMetrics;
  periods: PeriodMetrics[];
  /** end MRR per paying account at the end of the range (null: none paying) */
  arpa: number | null;
  /** ARPA at the end against ARPA at the start, as a fraction (null: none paying at the start) */
  arpaGrowth: number | null;
}

export interface BenchmarkBand { metric: 'nrr' | 'upsell_conversion'; label: string; low: number | null; high: number | null; source: string }

/** The seeds' figures (/work/shared/seeds), shown beside the company's own, never as targets of ours. */
export const SEED_BANDS: readonly BenchmarkBand[] = [
  { metric: 'nrr', label: 'best in class', low: 1.2, high: null, source: 'seed 001: "Best-in-class companies achieve NRR above 120 percent"' },
  { metric: 'nrr', label: 'target', low: 1.05, high: 1.2, source: 'seed 000: NRR benchmark 105-120%' },
  { metric: 'upsell_conversion', label: 'typical', low: 0.08, high: 0.15, source: 'seed 002: "The typical SaaS company converts only 8-15% of eligible upsell opportunities"' },
  { metric: 'upsell_conversion', label: 'top performers', low: 0.3, high: 0.4, source: 'seed 002: "top performers convert 30-40%"' },
];

/** Where a ratio falls among the bands of its metric: the labels whose range holds it. */
export function bandsFor(metric: BenchmarkBand['metric'], value: number | null): string[] {
  if (value === null) return [];
  return SEED_BANDS.filter((b) => b.metric === metric && (b.low === null || value >= b.low) && (b.high === null || value <= b.high)).map((b) => b.label);
}

/** An account's group from its subscription events (in time order): the plan it is on last, the month it first paid. */
export function ownGroup(by: 'plan' | 'cohort', events: readonly SubscriptionEvent[]): string {
  if (by === 'plan') return events[events.length - 1]?.plan ?? 'none';
  const first = events.find((e) => e.mrr > 0 && e.status !== 'trialing' && e.status !== 'canceled');
  return first ? formatMonth(monthOf(first.ts)) : 'never paid';
}

export function revenueByGroup(events: readonly SubscriptionEvent[], groupOf: (account: string, events: readonly SubscriptionEvent[]) => string,
  options: RevenueOptions, ledgerOptions: LedgerOptions = {}): { total: RevenueReport; groups: GroupFigures[] } {
  const byAccount = new Map<string, SubscriptionEvent[]>();
  for (const e of events) {
    const list = byAccount.get(e.account);
    if (list) list.push(e); else byAccount.set(e.account, [e]);
  }
  const whole = new SubscriptionLedger(ledgerOptions);
  const ledgers = new Map<string, { ledger: SubscriptionLedger }>();
  for (const [account, list] of byAccount) {
    list.sort((a, b) => a.ts - b.ts);
    const key = groupOf(account, list);
    let g = ledgers.get(key);
    if (!g) { g = { ledger: new SubscriptionLedger(ledgerOptions) }; ledgers.set(key, g); }
    for (const e of list) { g.ledger.add(e); whole.add(e); }
  }
  const total = computeRevenue(whole, options);
  // every group over the whole's range, so their months line up and add up
  const range = { ...options, from: parseMonth(total.from)!, to: parseMonth(total.to)! };
  const groups = [...ledgers].map(([key, g]): GroupFigures => {
    const r = computeRevenue(g.ledger, range);
    const t = r.total;
    const arpa = t.customers.end > 0 ? t.endMrr / t.customers.end : null;
    const arpaStart = t.customers.start > 0 ? t.startMrr / t.customers.start : null;
    // the ledger's count: an account whose every event was left out (another currency) is in no group
    return { key, accounts: r.accounts, total: t, periods: r.periods, arpa, arpaGrowth: arpa !== null && arpaStart ? arpa / arpaStart - 1 : null };
  }).filter((g) => g.accounts > 0).sort((a, b) => b.total.endMrr - a.total.endMrr || a.key.localeCompare(b.key));
  return { total, groups };
}
