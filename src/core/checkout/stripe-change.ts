// The exact Stripe change for a subscription move, and the invoice Stripe would raise for it.
//
// Prorations follow Stripe's standard logic, to the second (docs.stripe.com/billing/subscriptions/prorations):
// each changed item gets a credit for the unused time at its old amount and a charge for the
// remaining time at its new amount, each line rounded to the cent; "If a customer upgrades from a
// 10 USD monthly plan to a 20 USD option halfway through the billing period, the customer is billed
// an additional 5 USD" (-5 unused, +10 remaining). A quantity change on one price is the same: the
// old quantity credited, the new one charged. The arithmetic is offers/proration.ts's prorate().
//
// - upgrade: proration_behavior `always_invoice`: the prorations are invoiced and charged now;
//   the next renewal bills the new items in full.
// - downgrade: `create_prorations`: the credit waits on the next invoice (Stripe does not refund it).
// - cancel: `cancel_at_period_end`, no proration: the customer keeps what was paid for until the end.
import { prorate } from '../offers/proration.ts';
import type { SubItem } from './subscription-items.ts';

export type ChangeKind = 'upgrade' | 'downgrade' | 'cancel';

/** One entry of Stripe's `items` on a subscription update: `current` is the price of the item to change (its si_ id is the caller's). */
export interface StripeItemParam {
  /** add: a new item; update: the item now on `current` gets `price` and `quantity`; delete: the item on `current` goes */
  action: 'add' | 'update' | 'delete';
  current?: string;
  price?: string;
  quantity?: number;
}

export interface StripeChange {
  items: StripeItemParam[];
  proration_behavior: 'always_invoice' | 'create_prorations' | 'none';
  /** unix seconds: the moment the preview was computed for (pass it so Stripe prorates the same) */
  proration_date: number;
  cancel_at_period_end?: boolean;
}

export interface InvoiceLine {
  description: string;
  price: string;
  quantity: number;
  /** cents, negative for a credit */
  amount: number;
  proration: boolean;
  /** epoch ms: the span the line bills */
  periodStart: number;
  periodEnd: number;
}

export interface InvoicePreview {
  /** the invoice raised now (upgrade) or the proration lines waiting for the next one (downgrade) */
  lines: InvoiceLine[];
  /** sum of the lines: charged now on an upgrade, credited on the next invoice on a downgrade */
  total: number;
  dueNow: number;
  /** the renewal after the change: when and how much for the items then held */
  next: { at: number; amount: number; lines: { description: string; price: string; quantity: number; amount: number }[] };
  remainingSeconds: number;
  periodSeconds: number;
}

export interface Handoff { kind: ChangeKind; stripe: StripeChange; preview: InvoicePreview }

export interface ChangeInput {
  kind: ChangeKind;
  before: readonly SubItem[];
  after: readonly SubItem[];
  periodStart: number;
  periodEnd: number;
  at: number;
}

const qtyName = (i: SubItem): string => (i.quantity === 1 && i.kind !== 'units' ? i.name : `${i.quantity.toLocaleString('en-US')} × ${i.name}`);

export function stripeHandoff(c: ChangeInput): Handoff {
  if (!(c.periodStart <= c.at && c.at < c.periodEnd)) throw new Error(`checkout at ${new Date(c.at).toISOString()} falls outside the billing period ${new Date(c.periodStart).toISOString()} - ${new Date(c.periodEnd).toISOString()}`);
  const proration_date = Math.floor(c.at / 1000);
  const span = prorate({ oldPrice: 0, newPrice: 0, periodStart: c.periodStart, periodEnd: c.periodEnd, at: c.at });
  if (c.kind === 'cancel') {
    return {
      kind: 'cancel',
      stripe: { items: [], proration_behavior: 'none', proration_date, cancel_at_period_end: true },
      preview: { lines: [], total: 0, dueNow: 0, next: { at: c.periodEnd, amount: 0, lines: [] }, remainingSeconds: span.remainingSeconds, periodSeconds: span.periodSeconds },
    };
  }
  const items: StripeItemParam[] = [];
  const lines: InvoiceLine[] = [];
  const line = (i: SubItem, amount: number, unused: boolean): InvoiceLine => ({
    description: `${unused ? 'Unused' : 'Remaining'} time on ${qtyName(i)} after ${new Date(c.at).toISOString().slice(0, 10)}`,
    price: i.price, quantity: i.quantity, amount, proration: true, periodStart: c.at, periodEnd: c.periodEnd,
  });
  const credit = (i: SubItem): void => { const p = prorate({ oldPrice: i.amount, newPrice: 0, periodStart: c.periodStart, periodEnd: c.periodEnd, at: c.at }); if (p.credit !== 0) lines.push(line(i, p.credit, true)); };
  const charge = (i: SubItem): void => { const p = prorate({ oldPrice: 0, newPrice: i.amount, periodStart: c.periodStart, periodEnd: c.periodEnd, at: c.at }); if (p.charge !== 0) lines.push(line(i, p.charge, false)); };
  const beforeByKind = new Map(c.before.map((i) => [i.kind === 'plan' ? 'plan' : i.key, i]));
  const afterKeys = new Set(c.after.map((i) => (i.kind === 'plan' ? 'plan' : i.key)));
  for (const a of c.after) {
    const b = beforeByKind.get(a.kind === 'plan' ? 'plan' : a.key);
    if (b && b.price === a.price && b.quantity === a.quantity) continue;
    if (b) {
      items.push({ action: 'update', current: b.price, ...(b.price !== a.price ? { price: a.price } : {}), quantity: a.quantity });
      credit(b);
    } else items.push({ action: 'add', price: a.price, quantity: a.quantity });
    charge(a);
  }
  for (const b of c.before) {
    if (afterKeys.has(b.kind === 'plan' ? 'plan' : b.key)) continue;
    items.push({ action: 'delete', current: b.price });
    credit(b);
  }
  if (items.length === 0) throw new Error('the change leaves every subscription item as it is: nothing to check out');
  const total = lines.reduce((s, l) => s + l.amount, 0);
  const upgrade = c.kind === 'upgrade';
  return {
    kind: c.kind,
    stripe: { items, proration_behavior: upgrade ? 'always_invoice' : 'create_prorations', proration_date },
    preview: {
      lines, total, dueNow: upgrade ? Math.max(0, total) : 0,
      next: { at: c.periodEnd, amount: c.after.reduce((s, i) => s + i.amount, 0) + (upgrade ? 0 : Math.min(0, total)), lines: c.after.map((i) => ({ description: qtyName(i), price: i.price, quantity: i.quantity, amount: i.amount })) },
      remainingSeconds: span.remainingSeconds, periodSeconds: span.periodSeconds,
    },
  };
}
