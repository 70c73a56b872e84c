// Revenue metrics from subscription events: MRR movements per month or quarter, NRR and GRR on the
// cohort paying at each period's start, ARR, and the upsell figures that subscription history alone
// can give. Definitions and edge cases: docs/adr/0004-revenue-metrics.md.
import type { SubscriptionLedger } from './ledger.ts';
import { formatMonth, monthOf, monthStartMs, type MonthNumber } from './months.ts';
import { periodsBetween, wholeRange, type Period, type PeriodGrain } from './periods.ts';
import { MOVE, runPass, type MoveCode, type PassTotals } from './revenue-pass.ts';
import type { Movement, PeriodMetrics, RetentionAfterUpsell, RetentionFigure, RevenueReport, UpsellFromSubscriptions } from './types.ts';

export type AccountMonthVisitor = (account: string, month: MonthNumber, mrr: number, movement: Movement, delta: number) => void;

export interface RevenueOptions {
  /** first and last month reported (default: the months of the first and last event) */
  from?: MonthNumber;
  to?: MonthNumber;
  by?: PeriodGrain;
  /** months after an upsell at which retention is compared (default 3, 6, 12) */
  retentionHorizons?: readonly number[];
  /** a discount above this percent is "meaningful" (seed 002: 10) */
  discountThresholdPct?: number;
  /** terms at least this long are multi-year (default 24 months) */
  multiYearMonths?: number;
  /** called for every account-month in the range that is paying or moved (tests, exports) */
  onAccountMonth?: AccountMonthVisitor;
  /** the moment the figures are as of (epoch ms): a period still running then is flagged `partial` */
  now?: number;
}

export class MetricsRangeError extends Error {
  readonly code = 'metrics_range';
}

const MOVEMENT_NAMES: readonly Movement[] = ['none', 'new', 'expansion', 'contraction', 'churn', 'reactivation'];
const DEFAULT_HORIZONS = [3, 6, 12] as const;

export function computeRevenue(ledger: SubscriptionLedger, options: RevenueOptions = {}): RevenueReport {
  const by = options.by ?? 'month';
  const dataFirst = ledger.size > 0 ? monthOf(ledger.minTs) : undefined;
  const dataLast = ledger.size > 0 ? monthOf(ledger.maxTs) : undefined;
  const from = options.from ?? dataFirst;
  const to = options.to ?? dataLast;
  if (from === undefined || to === undefined) return emptyReport(ledger, by);
  if (from > to) throw new MetricsRangeError(`the range starts (${formatMonth(from)}) after it ends (${formatMonth(to)})`);

  // Snapshots run from the first month with data (history before it is unknown, so 0) to the
  // later of the range end and the data end (retention after upsell looks past the range).
  const base = Math.min(from, dataFirst ?? from);
  const last = Math.max(to, dataLast ?? to);
  const months = last - base + 1;
  const bounds = new Float64Array(months + 1);
  for (let k = 0; k < months; k++) bounds[k] = monthStartMs(base + k);
  bounds[months] = Infinity;

  const periods = [...periodsBetween(from, to, by), wholeRange(from, to)];
  const horizons = options.retentionHorizons ?? DEFAULT_HORIZONS;
  const discountThresholdPct = options.discountThresholdPct ?? 10;
  const multiYearMonths = options.multiYearMonths ?? 24;
  const visitor = options.onAccountMonth;
  const ids = ledger.accountIds;
  // Months need no per-account cohort work: a month's cohort figures follow from its movements.
  const spans = periods.filter((p) => p.last > p.first);
  const totals = runPass(ledger.groupByAccount(), {
    bounds, months, fromK: from - base, toK: to - base, dataLastK: (dataLast ?? to) - base,
    periodFirst: Int32Array.from(spans, (p) => p.first - base),
    periodLast: Int32Array.from(spans, (p) => p.last - base),
    horizons: Int32Array.from([...horizons].sort((a, b) => a - b)), discountThresholdPct, multiYearMonths,
    ...(visitor ? { visit: (a: number, k: number, mrr: number, move: MoveCode, delta: number) => visitor(ids[a] ?? '', base + k, mrr, MOVEMENT_NAMES[move] ?? 'none', delta) } : {}),
  });

  const summaries = periods.map((p) => withPartial(summarize(totals, p, spans.indexOf(p), base), p, options.now));
  return {
    from: formatMonth(from), to: formatMonth(to), by,
    dataFrom: dataFirst === undefined ? null : formatMonth(dataFirst),
    dataTo: dataLast === undefined ? null : formatMonth(dataLast),
    events: ledger.size, accounts: ledger.accounts,
    periods: summaries.slice(0, -1),
    total: summaries[summaries.length - 1] as PeriodMetrics,
    upsell: upsellFigures(totals, horizons, discountThresholdPct, multiYearMonths),
    problems: ledger.problems(),
  };
}

const at = (xs: Float64Array, k: number): number => (k >= 0 ? (xs[k] ?? 0) : 0);
const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

function sum(xs: Float64Array, first: number, last: number): number {
  let s = 0;
  for (let k = first; k <= last; k++) s += xs[k] ?? 0;
  return s;
}

const DAY_MS = 86_400_000;

/** A period that `now` falls inside has only some of its days: say how many (the day of `now` counts). */
function withPartial(m: PeriodMetrics, p: Period, now: number | undefined): PeriodMetrics {
  if (now === undefined) return m;
  const start = monthStartMs(p.first);
  const end = monthStartMs(p.last + 1);
  if (now < start || now >= end - 1) return m;
  return { ...m, partial: { days: Math.floor((now - start) / DAY_MS) + 1, of: Math.round((end - start) / DAY_MS) } };
}

function summarize(t: PassTotals, p: Period, i: number, base: number): PeriodMetrics {
  const first = p.first - base;
  const last = p.last - base;
  const startMrr = at(t.endMrr, first - 1);
  const endMrr = at(t.endMrr, last);
  const moved = {
    new: sum(t.newMrr, first, last), expansion: sum(t.expansionMrr, first, last), reactivation: sum(t.reactivationMrr, first, last),
    contraction: sum(t.contractionMrr, first, last), churn: sum(t.churnMrr, first, last),
  };
  // One month: the cohort is everyone paying at its start, so its figures are the movements'.
  const month = i < 0;
  const cohortAccounts = month ? at(t.endCount, first - 1) : at(t.cohortAccounts, i);
  const cohortStart = month ? startMrr : at(t.cohortStart, i);
  const cohortEnd = month ? startMrr + moved.expansion - moved.contraction - moved.churn : at(t.cohortEnd, i);
  const cohortRetained = month ? startMrr - moved.contraction - moved.churn : at(t.cohortRetained, i);
  return {
    period: p.label, from: formatMonth(p.first), to: formatMonth(p.last),
    startMrr, ...moved, endMrr,
    netNewMrr: endMrr - startMrr,
    arr: endMrr * 12,
    customers: {
      start: at(t.endCount, first - 1), end: at(t.endCount, last),
      new: sum(t.newCount, first, last), reactivated: sum(t.reactivationCount, first, last), churned: sum(t.churnCount, first, last),
      expanded: sum(t.expansionCount, first, last), contracted: sum(t.contractionCount, first, last),
    },
    pastDueMrr: at(t.pastDueMrr, last),
    trialing: at(t.trialing, last),
    cohort: { accounts: cohortAccounts, startMrr: cohortStart, endMrr: cohortEnd, retainedMrr: cohortRetained },
    nrr: ratio(cohortEnd, cohortStart),
    grr: ratio(cohortRetained, cohortStart),
  };
}

function retentionFigure(acc: Float64Array, h: number): RetentionFigure {
  const n = at(acc, h * 4);
  return { observations: n, logoRetention: ratio(at(acc, h * 4 + 1), n), revenueRetention: ratio(at(acc, h * 4 + 3), at(acc, h * 4 + 2)) };
}

function upsellFigures(t: PassTotals, horizons: readonly number[], thresholdPct: number, multiYearMonths: number): UpsellFromSubscriptions {
  const days = Float64Array.from(t.firstUpsellDays).sort();
  const mid = days.length >> 1;
  const median = days.length === 0 ? null : days.length % 2 ? (days[mid] as number) : ((days[mid - 1] as number) + (days[mid] as number)) / 2;
  const retentionAfterUpsell: RetentionAfterUpsell[] = [...horizons].sort((a, b) => a - b).map((months, h) => ({
    months, upsold: retentionFigure(t.upsold, h), notUpsold: retentionFigure(t.notUpsold, h),
  }));
  return {
    expansions: t.expansions,
    expansionMrr: t.expansionSum,
    averageUpsellMrr: t.expansions > 0 ? Math.round(t.expansionSum / t.expansions) : null,
    timeToFirstUpsell: { accounts: days.length, meanDays: days.length ? days.reduce((a, b) => a + b, 0) / days.length : null, medianDays: median },
    retentionAfterUpsell,
    discountDiscipline: {
      expansions: t.expansions, discounted: t.discounted, share: ratio(t.discounted, t.expansions), thresholdPct,
      byTerm: [...t.discountedByTerm].sort((a, b) => a[0] - b[0]).map(([term, count]) => ({ termMonths: term === 0 ? null : term, count })),
      outsidePolicy: t.outsidePolicy, multiYearMonths,
    },
  };
}

function emptyReport(ledger: SubscriptionLedger, by: PeriodGrain): RevenueReport {
  const zero: PeriodMetrics = {
    period: '', from: '', to: '', startMrr: 0, new: 0, expansion: 0, reactivation: 0, contraction: 0, churn: 0, endMrr: 0, netNewMrr: 0, arr: 0,
    customers: { start: 0, end: 0, new: 0, reactivated: 0, churned: 0, expanded: 0, contracted: 0 }, pastDueMrr: 0, trialing: 0,
    cohort: { accounts: 0, startMrr: 0, endMrr: 0, retainedMrr: 0 }, nrr: null, grr: null,
  };
  return {
    from: '', to: '', by, dataFrom: null, dataTo: null, events: 0, accounts: 0, periods: [], total: zero,
    upsell: {
      expansions: 0, expansionMrr: 0, averageUpsellMrr: null, timeToFirstUpsell: { accounts: 0, meanDays: null, medianDays: null }, retentionAfterUpsell: [],
      discountDiscipline: { expansions: 0, discounted: 0, share: null, thresholdPct: 10, byTerm: [], outsidePolicy: 0, multiYearMonths: 24 },
    },
    problems: ledger.problems(),
  };
}

export { MOVE };
