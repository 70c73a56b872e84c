// What the revenue metrics report. Money is integer cents; ratios are fractions (1.05 = 105 %).
import type { LedgerProblem } from './ledger.ts';
import type { ExpansionByType } from './expansion-types.ts';

/** How an account's month-end MRR moved against the month before (ADR 0004). */
export type Movement = 'none' | 'new' | 'expansion' | 'contraction' | 'churn' | 'reactivation';

export interface MovementTotals {
  /** MRR at the end of the month before the period */
  startMrr: number;
  new: number;
  expansion: number;
  reactivation: number;
  /** positive amounts: what was lost */
  contraction: number;
  churn: number;
  /** startMrr + new + expansion + reactivation - contraction - churn, always */
  endMrr: number;
}

export interface PeriodMetrics extends MovementTotals {
  /** '2024-03', '2024-Q1', or '2024-01..2024-12' for the whole range */
  period: string;
  /** first and last month of the period, YYYY-MM */
  from: string;
  to: string;
  netNewMrr: number;
  arr: number;
  /** paying accounts (MRR > 0) at the start and end; counts of account-months by movement */
  customers: { start: number; end: number; new: number; reactivated: number; churned: number; expanded: number; contracted: number };
  /** MRR at the end carried by past_due subscriptions (still counted in MRR) */
  pastDueMrr: number;
  /** accounts trialing at the end (0 MRR) */
  trialing: number;
  /** the cohort paying at the start: its MRR then, now, and now capped at then per account */
  cohort: { accounts: number; startMrr: number; endMrr: number; retainedMrr: number };
  /** cohort end / cohort start; null when nobody paid at the start */
  nrr: number | null;
  /** cohort retained (capped per account) / cohort start; null when nobody paid at the start */
  grr: number | null;
  /** the period was still running at the moment of the report: its days so far, of all */
  partial?: { days: number; of: number };
}

export interface RetentionFigure {
  /** account-months observed (the horizon lies within the data) */
  observations: number;
  /** share still paying `months` later */
  logoRetention: number | null;
  /** their MRR `months` later / their MRR in the month observed */
  revenueRetention: number | null;
}

export interface RetentionAfterUpsell {
  months: number;
  upsold: RetentionFigure;
  /** paying account-months without an expansion (flat or contracting), same months */
  notUpsold: RetentionFigure;
}

export interface DiscountDiscipline {
  /** expansions (account-months) in the range */
  expansions: number;
  /** expansions whose subscription at month end has discount_pct above the threshold */
  discounted: number;
  share: number | null;
  thresholdPct: number;
  /** discounted expansions by term_months (null: no term given) */
  byTerm: { termMonths: number | null; count: number }[];
  /** discounted expansions on a term shorter than multiYearMonths: against the policy of seed 002 */
  outsidePolicy: number;
  multiYearMonths: number;
}

export interface UpsellFromSubscriptions {
  /** account-months with an expansion movement, and the MRR they added */
  expansions: number;
  expansionMrr: number;
  /** expansion MRR / expansions (cents a month); ARR per upsell is 12x */
  averageUpsellMrr: number | null;
  /** days from an account's first paid month (its last 0 -> paid change) to the first raise in its first expansion month */
  timeToFirstUpsell: { accounts: number; meanDays: number | null; medianDays: number | null };
  retentionAfterUpsell: RetentionAfterUpsell[];
  discountDiscipline: DiscountDiscipline;
}

export interface RevenueReport {
  from: string;
  to: string;
  by: 'month' | 'quarter';
  /** the first month with data; months before it have no revenue on record (not a drop to zero) */
  dataFrom: string | null;
  /** the last month with data; months after it repeat the last known state */
  dataTo: string | null;
  events: number;
  accounts: number;
  periods: PeriodMetrics[];
  total: PeriodMetrics;
  upsell: UpsellFromSubscriptions;
  problems: LedgerProblem[];
  /** expansion MRR by type, commitments, attach rates (when the catalog is known) */
  expansionByType?: ExpansionByType;
}
