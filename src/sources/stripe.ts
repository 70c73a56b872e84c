// Stripe webhook events -> canonical events (docs/http-api.md, "Stripe mapping").
// customer.subscription.created/updated/deleted/trial_will_end -> subscription (MRR normalized to a
// month from price x quantity and the billing interval, discounts applied); invoice.paid and
// invoice.payment_failed -> invoice. The Stripe event id is the canonical id: redeliveries dedupe.
import { z } from 'zod';
import type { StripeConfig } from '../config/http-schema.ts';
import type { SubscriptionStatus, TierwiseEvent } from '../core/events/types.ts';
import { checkCanonical } from './canonical-issues.ts';

const metadata = z.record(z.string(), z.string()).nullish();

export const stripeEventSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  created: z.number().int().positive().describe('epoch seconds'),
  data: z.looseObject({ object: z.looseObject({ id: z.string().optional(), object: z.string().optional() }) }),
});
export type StripeEvent = z.output<typeof stripeEventSchema>;

const coupon = z.looseObject({ percent_off: z.number().nullish(), amount_off: z.number().int().nullish() });
const discount = z.looseObject({ coupon: coupon.nullish(), source: z.looseObject({ coupon: z.union([coupon, z.string()]).nullish() }).nullish() });

const subscriptionSchema = z.looseObject({
  id: z.string(),
  customer: z.union([z.string(), z.looseObject({ id: z.string(), metadata })]),
  status: z.string(),
  metadata,
  trial_end: z.number().nullish(),
  discount: discount.nullish(),
  discounts: z.array(z.union([z.string(), discount])).nullish(),
  items: z.looseObject({
    data: z.array(z.looseObject({
      quantity: z.number().int().nonnegative().nullish(),
      price: z.looseObject({
        id: z.string(),
        lookup_key: z.string().nullish(),
        unit_amount: z.number().int().nullish(),
        unit_amount_decimal: z.string().nullish(),
        metadata,
        recurring: z.looseObject({ interval: z.enum(['day', 'week', 'month', 'year']), interval_count: z.number().int().positive().default(1) }).nullish(),
      }),
    })).min(1, 'a subscription has at least one item'),
  }),
});

const invoiceSchema = z.looseObject({
  id: z.string(),
  customer: z.union([z.string(), z.looseObject({ id: z.string(), metadata })]),
  amount_paid: z.number().int().nonnegative(),
  amount_due: z.number().int().nonnegative(),
  metadata,
  subscription_details: z.looseObject({ metadata }).nullish(),
  parent: z.looseObject({ subscription_details: z.looseObject({ metadata }).nullish() }).nullish(),
});

export const STRIPE_SUBSCRIPTION_EVENTS = ['customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted', 'customer.subscription.trial_will_end'];
export const STRIPE_INVOICE_EVENTS = ['invoice.paid', 'invoice.payment_failed'];

export type StripeResult =
  | { kind: 'event'; event: TierwiseEvent }
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; detail: string };

/** Where the account comes from: the customer id, and the tierwise_account metadata if any object carries it. */
export interface StripeAccountHint {
  customer?: string;
  account?: string;
}

export function stripeAccountHint(evt: StripeEvent): StripeAccountHint {
  const o = evt.data.object as Record<string, unknown>;
  const meta = (v: unknown): string | undefined => {
    const m = (v as { metadata?: Record<string, unknown> } | null | undefined)?.metadata?.['tierwise_account'];
    return typeof m === 'string' && m.length > 0 ? m : undefined;
  };
  const cust = o['customer'];
  const customer = typeof cust === 'string' ? cust : (cust as { id?: string } | null | undefined)?.id;
  const parent = o['parent'] as { subscription_details?: unknown } | null | undefined;
  const account = meta(o) ?? meta(cust) ?? meta(o['subscription_details']) ?? meta(parent?.subscription_details);
  return { ...(customer !== undefined ? { customer } : {}), ...(account !== undefined ? { account } : {}) };
}

/** Maps one verified Stripe event for an already resolved account. */
export function mapStripeEvent(evt: StripeEvent, account: string, cfg: StripeConfig): StripeResult {
  const ts = new Date(evt.created * 1000).toISOString();
  if (STRIPE_SUBSCRIPTION_EVENTS.includes(evt.type)) {
    const r = subscriptionSchema.safeParse(evt.data.object);
    if (!r.success) return { kind: 'invalid', detail: r.error.issues.map((i) => `data.object.${i.path.join('.')}: ${i.message}`).join('; ') };
    return checked({ id: evt.id, ts, account, ...subscriptionFields(r.data, evt.type, cfg) });
  }
  if (STRIPE_INVOICE_EVENTS.includes(evt.type)) {
    const r = invoiceSchema.safeParse(evt.data.object);
    if (!r.success) return { kind: 'invalid', detail: r.error.issues.map((i) => `data.object.${i.path.join('.')}: ${i.message}`).join('; ') };
    const paid = evt.type === 'invoice.paid';
    return checked({
      id: evt.id, ts, account, type: 'invoice', invoice: r.data.id,
      status: paid ? 'paid' : 'past_due', amount: paid ? r.data.amount_paid : r.data.amount_due, stripe_event: evt.type,
    });
  }
  return { kind: 'ignored', reason: `${evt.type}: not used by Tierwise` };
}

function checked(wire: Record<string, unknown>): StripeResult {
  const r = checkCanonical(wire);
  return r.ok ? { kind: 'event', event: r.event } : { kind: 'invalid', detail: r.issues.map((i) => `${i.pointer}: ${i.detail}`).join('; ') };
}

type Subscription = z.output<typeof subscriptionSchema>;

const STATUS: Record<string, SubscriptionStatus> = {
  trialing: 'trialing', active: 'active', past_due: 'past_due', unpaid: 'past_due', incomplete: 'past_due',
  canceled: 'canceled', incomplete_expired: 'canceled', paused: 'canceled',
};

/** Months per billing period, so that an amount per period times 1/months is an amount per month. */
export function monthsPerPeriod(interval: 'day' | 'week' | 'month' | 'year', count: number): number {
  switch (interval) {
    case 'day': return (count * 12) / 365;
    case 'week': return (count * 12) / 52;
    case 'month': return count;
    case 'year': return count * 12;
  }
}

export interface Mrr {
  /** before discounts, cents per month (not rounded) */
  gross: number;
  /** after discounts, whole cents per month */
  mrr: number;
  discountPct?: number;
  interval: 'month' | 'year';
  termMonths: number;
  seats?: number;
}

/** MRR from the items' price x quantity, normalized to a month, with percent and amount discounts. */
export function subscriptionMrr(sub: Subscription): Mrr {
  let gross = 0;
  let firstMonths = 1;
  let seats: number | undefined;
  sub.items.data.forEach((item, i) => {
    const unit = item.price.unit_amount ?? (item.price.unit_amount_decimal ? Number(item.price.unit_amount_decimal) : 0);
    const rec = item.price.recurring;
    const months = rec ? monthsPerPeriod(rec.interval, rec.interval_count) : 1;
    if (i === 0) {
      firstMonths = months;
      if (item.quantity !== undefined && item.quantity !== null) seats = item.quantity;
    }
    gross += (unit * (item.quantity ?? 1)) / months;
  });
  let net = gross;
  const coupons = [sub.discount, ...(sub.discounts ?? [])].flatMap((d) => {
    if (!d || typeof d === 'string') return [];
    const c = d.coupon ?? (typeof d.source?.coupon === 'object' ? d.source.coupon : undefined);
    return c ? [c] : [];
  });
  for (const c of coupons) {
    if (c.percent_off) net *= 1 - c.percent_off / 100;
    // amount_off comes off each invoice, i.e. once per billing period of the subscription.
    if (c.amount_off) net -= c.amount_off / firstMonths;
  }
  net = Math.max(0, net);
  const mrr = Math.round(net);
  const rec = sub.items.data[0]?.price.recurring;
  const out: Mrr = {
    gross, mrr,
    interval: rec?.interval === 'year' ? 'year' : 'month',
    termMonths: Math.max(1, Math.round(firstMonths)),
  };
  if (coupons.length > 0 && gross > 0) out.discountPct = Math.round((1 - net / gross) * 10_000) / 100;
  if (seats !== undefined) out.seats = seats;
  return out;
}

function planOf(sub: Subscription, cfg: StripeConfig): string {
  const price = sub.items.data[0]?.price;
  if (!price) return 'unknown';
  return cfg.plans[price.id]
    ?? (price.lookup_key ? cfg.plans[price.lookup_key] : undefined)
    ?? price.metadata?.['tierwise_plan']
    ?? price.lookup_key
    ?? price.id;
}

function subscriptionFields(sub: Subscription, type: string, cfg: StripeConfig): Record<string, unknown> {
  const m = subscriptionMrr(sub);
  const status: SubscriptionStatus = type === 'customer.subscription.deleted' ? 'canceled' : (STATUS[sub.status] ?? 'active');
  return {
    type: 'subscription',
    plan: planOf(sub, cfg),
    interval: m.interval,
    // A canceled subscription brings no revenue: churn shows as MRR going to 0 (as the simulator emits it).
    mrr: status === 'canceled' ? 0 : m.mrr,
    status,
    ...(m.seats !== undefined ? { seats: m.seats } : {}),
    ...(m.discountPct !== undefined ? { discount_pct: m.discountPct } : {}),
    ...(m.termMonths > 1 ? { term_months: m.termMonths } : {}),
    stripe_subscription: sub.id,
    stripe_event: type,
    ...(type === 'customer.subscription.trial_will_end' && sub.trial_end ? { trial_end: new Date(sub.trial_end * 1000).toISOString() } : {}),
  };
}
