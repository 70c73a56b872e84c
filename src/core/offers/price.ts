// Price deltas between two plans, in cents: per month, per year (when both bill annually),
// and the ARR delta for the account's own billing interval.
import type { Plan } from '../catalog/types.ts';

export interface PriceDelta {
  monthly: number;
  /** null when either plan has no annual price */
  annual: number | null;
  /** the ARR change for this account's interval: annual prices when it pays yearly */
  arr: number;
}

export function priceDelta(from: Plan | undefined, to: Plan, interval: 'month' | 'year' | ''): PriceDelta {
  const monthly = to.price.monthly - (from?.price.monthly ?? 0);
  const annual = to.price.annual !== undefined && (from === undefined || from.price.annual !== undefined)
    ? to.price.annual - (from?.price.annual ?? 0) : null;
  const arr = interval === 'year' && annual !== null ? annual : monthly * 12;
  return { monthly, annual, arr };
}

/** The plan's price for one billing period of the interval. */
export function periodPrice(plan: Plan, interval: 'month' | 'year'): number {
  return interval === 'year' ? (plan.price.annual ?? plan.price.monthly * 12) : plan.price.monthly;
}
