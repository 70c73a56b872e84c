// Mid-cycle upgrade charge with Stripe's `create_prorations` semantics, to the second:
// a credit for the unused time on the old price and a charge for the remaining time on the new
// one, each rounded to the cent. $10 -> $20 a month at the half-way point nets +$5.
// Changing the interval (month -> year) starts a new period now: the new price is charged in full.

export interface ProrationInput {
  /** cents per period (the old plan) */
  oldPrice: number;
  /** cents per period (the new plan), same interval unless intervalChange */
  newPrice: number;
  periodStart: number;
  periodEnd: number;
  at: number;
  intervalChange?: boolean;
}

export interface Proration {
  /** negative: unused time on the old price */
  credit: number;
  /** remaining time on the new price, or the new price in full when the interval changes */
  charge: number;
  net: number;
  remainingSeconds: number;
  periodSeconds: number;
}

export function prorate(p: ProrationInput): Proration {
  const periodSeconds = Math.max(1, Math.floor((p.periodEnd - p.periodStart) / 1000));
  const remainingSeconds = Math.min(periodSeconds, Math.max(0, Math.floor((p.periodEnd - p.at) / 1000)));
  const share = remainingSeconds / periodSeconds;
  const credit = -Math.round(p.oldPrice * share) || 0;
  const charge = p.intervalChange ? p.newPrice : Math.round(p.newPrice * share);
  return { credit, charge, net: credit + charge, remainingSeconds, periodSeconds };
}
