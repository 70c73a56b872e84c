// Stripe webhook events -> canonical events (docs/http-api.md, "Stripe mapping").
// customer.subscription.created/updated/deleted/trial_will_end -> subscription (MRR normalized to a
// month from price x quantity and the billing interval, net of discounts, items kept);
// invoice.paid and invoice.payment_failed -> invoice. The Stripe event id is the canonical id:
// redeliveries dedupe. Discounts arrive as ids unless expanded: the discount and coupon objects
// any event carries are kept (stripeObjectsIn) and ids are resolved against them (StripeRefs).
import { z } from 'zod';
import type { StripeConfig } from '../config/http-schema.ts';
import { mapStripeItems } from '../core/catalog/stripe-items.ts';
import type { Catalog } from '../core/catalog/types.ts';
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

const coupon = z.looseObject({
  id: z.string().optional(),
  percent_off: z.number().nullish(),
  amount_off: z.number().int().nullish(),
  duration: z.string().nullish().describe('once, repeating or forever'),
});
export type StripeCoupon = z.output<typeof coupon>;
const discount = z.looseObject({
  id: z.string().optional(),
  // `coupon` until API 2025-09-30, `source.coupon` since; either may be an id unless expanded.
  coupon: z.union([coupon, z.string()]).nullish(),
  source: z.looseObject({ coupon: z.union([coupon, z.string()]).nullish() }).nullish(),
  end: z.number().nullish(),
});
export type StripeDiscount = z.output<typeof discount>;
const discountRef = z.union([z.string(), discount]);

const subscriptionSchema = z.looseObject({
  id: z.string(),
  customer: z.union([z.string(), z.looseObject({ id: z.string(), metadata })]),
  status: z.string(),
  metadata,
  trial_end: z.number().nullish(),
  discount: discount.nullish(),
  discounts: z.array(discountRef).nullish(),
  items: z.looseObject({
    data: z.array(z.looseObject({
      quantity: z.number().int().nonnegative().nullish(),
      discounts: z.array(discountRef).nullish(),
      price: z.looseObject({
        id: z.string(),
        product: z.union([z.string(), z.looseObject({ id: z.string() })]).nullish(),
        lookup_key: z.string().nullish(),
        unit_amount: z.number().int().nullish(),
        unit_amount_decimal: z.string().nullish(),
        metadata,
        // a price per block (per 10 GB, per 100K calls): Stripe bills quantity / divide_by, rounded
        transform_quantity: z.looseObject({ divide_by: z.number().int().positive(), round: z.enum(['up', 'down']) }).nullish(),
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

/** Discount and coupon objects known from earlier events, by id (the resolver of unexpanded ids). */
export interface StripeRefs {
  discount(id: string): StripeDiscount | undefined;
  coupon(id: string): StripeCoupon | undefined;
}
export const NO_REFS: StripeRefs = { discount: () => undefined, coupon: () => undefined };

/** Every discount and coupon object an event carries, wherever it sits (expanded fields, invoice lines...). */
export function stripeObjectsIn(evt: StripeEvent): { discounts: (StripeDiscount & { id: string })[]; coupons: (StripeCoupon & { id: string })[] } {
  const discounts: (StripeDiscount & { id: string })[] = [];
  const coupons: (StripeCoupon & { id: string })[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > 12 || typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
      return;
    }
    const o = v as Record<string, unknown>;
    if (typeof o['id'] === 'string' && o['object'] === 'discount' && o['deleted'] !== true) {
      const d = discount.safeParse(o);
      if (d.success) discounts.push(d.data as StripeDiscount & { id: string });
    } else if (typeof o['id'] === 'string' && o['object'] === 'coupon') {
      const c = coupon.safeParse(o);
      if (c.success) coupons.push(c.data as StripeCoupon & { id: string });
    }
    for (const x of Object.values(o)) walk(x, depth + 1);
  };
  walk(evt.data.object, 0);
  return { discounts, coupons };
}

/** The discount ids and coupon ids a subscription names without expanding them. */
export function stripeRefsOf(evt: StripeEvent): { discounts: string[]; coupons: string[] } {
  const r = subscriptionSchema.safeParse(evt.data.object);
  if (!r.success) return { discounts: [], coupons: [] };
  const all = [r.data.discount, ...(r.data.discounts ?? []), ...r.data.items.data.flatMap((i) => i.discounts ?? [])];
  const discounts = all.flatMap((d) => (typeof d === 'string' ? [d] : []));
  const coupons = all.flatMap((d) => {
    const c = d && typeof d === 'object' ? d.source?.coupon ?? d.coupon : undefined;
    return typeof c === 'string' ? [c] : [];
  });
  return { discounts, coupons };
}

// Revenue tools count no revenue for a subscription whose first invoice was never paid
// (ChartMogul and Baremetrics both skip Stripe's incomplete and incomplete_expired): no event at all,
// so an account that never paid neither gains MRR nor churns.
const NOT_REVENUE = new Set(['incomplete', 'incomplete_expired']);

/**
 * Maps one verified Stripe event for an already resolved account. With the catalog, a subscription's
 * items also say what the account holds: the base plan, extra units per meter and add-ons.
 */
export function mapStripeEvent(evt: StripeEvent, account: string, cfg: StripeConfig, refs: StripeRefs = NO_REFS, catalog?: Catalog): StripeResult {
  const ts = new Date(evt.created * 1000).toISOString();
  if (STRIPE_SUBSCRIPTION_EVENTS.includes(evt.type)) {
    const r = subscriptionSchema.safeParse(evt.data.object);
    if (!r.success) return { kind: 'invalid', detail: r.error.issues.map((i) => `data.object.${i.path.join('.')}: ${i.message}`).join('; ') };
    if (NOT_REVENUE.has(r.data.status)) {
      return { kind: 'ignored', reason: `${evt.type}: status ${r.data.status} is not revenue (the first invoice is unpaid); the update to active or trialing will count` };
    }
    return checked({ id: evt.id, ts, account, ...subscriptionFields(r.data, evt.type, cfg, refs, evt.created * 1000, catalog) });
  }
  if (evt.type.startsWith('customer.discount.') || evt.type.startsWith('coupon.')) {
    return { kind: 'ignored', reason: `${evt.type}: kept to resolve discount ids on subscriptions, no event of its own` };
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

// docs/http-api.md, "Stripe subscription statuses", says why each maps as it does.
const STATUS: Record<string, SubscriptionStatus> = {
  trialing: 'trialing', active: 'active', past_due: 'past_due', unpaid: 'past_due',
  canceled: 'canceled', paused: 'canceled',
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
  /** discount or coupon ids that could not be resolved: the MRR leaves them out */
  unresolved: string[];
  /** the subscription's items, as the canonical event carries them (docs/events.md) */
  items: SubscriptionItem[];
}

export interface SubscriptionItem {
  price: string;
  product?: string;
  quantity: number;
  unit_amount?: number;
  interval?: 'day' | 'week' | 'month' | 'year';
  interval_count?: number;
}

type DiscountRef = z.output<typeof discountRef>;

/**
 * The coupon behind a discount reference, or the id that could not be resolved. A coupon used
 * once, or a repeating one that ended before `at`, does not reduce recurring revenue.
 */
function couponOf(d: DiscountRef | null | undefined, refs: StripeRefs, at: number): { coupon?: StripeCoupon; unresolved?: string } {
  if (!d) return {};
  const disc = typeof d === 'string' ? refs.discount(d) : d;
  if (!disc) return { unresolved: d as string };
  if (typeof disc.end === 'number' && disc.end * 1000 <= at) return {};
  const c = disc.source?.coupon ?? disc.coupon;
  if (c === null || c === undefined) return {};
  const resolved = typeof c === 'string' ? refs.coupon(c) : c;
  if (!resolved) return { unresolved: typeof c === 'string' ? c : disc.id ?? 'discount' };
  return resolved.duration === 'once' ? {} : { coupon: resolved };
}

function applyCoupons(amount: number, coupons: StripeCoupon[], periodMonths: number): number {
  let net = amount;
  for (const c of coupons) {
    if (c.percent_off) net *= 1 - c.percent_off / 100;
    // amount_off comes off each invoice, i.e. once per billing period.
    if (c.amount_off) net -= c.amount_off / periodMonths;
  }
  return Math.max(0, net);
}

/** MRR from the items' price x quantity, normalized to a month, net of item and subscription discounts. */
export function subscriptionMrr(sub: Subscription, refs: StripeRefs = NO_REFS, at = Number.POSITIVE_INFINITY): Mrr {
  let gross = 0;
  let net = 0;
  let firstMonths = 1;
  let seats: number | undefined;
  let discounted = false;
  const unresolved: string[] = [];
  const items: SubscriptionItem[] = [];
  const coupons = (refsList: readonly (DiscountRef | null | undefined)[]): StripeCoupon[] => refsList.flatMap((d) => {
    const r = couponOf(d, refs, at);
    if (r.unresolved !== undefined) unresolved.push(r.unresolved);
    return r.coupon ? [r.coupon] : [];
  });
  sub.items.data.forEach((item, i) => {
    const unit = item.price.unit_amount ?? (item.price.unit_amount_decimal ? Number(item.price.unit_amount_decimal) : 0);
    const rec = item.price.recurring;
    const months = rec ? monthsPerPeriod(rec.interval, rec.interval_count) : 1;
    const quantity = item.quantity ?? 1;
    const tq = item.price.transform_quantity;
    const billed = tq ? (tq.round === 'up' ? Math.ceil(quantity / tq.divide_by) : Math.floor(quantity / tq.divide_by)) : quantity;
    if (i === 0) {
      firstMonths = months;
      if (item.quantity !== undefined && item.quantity !== null) seats = item.quantity;
    }
    const amount = (unit * billed) / months;
    const itemCoupons = coupons(item.discounts ?? []);
    if (itemCoupons.length > 0) discounted = true;
    gross += amount;
    net += applyCoupons(amount, itemCoupons, months);
    const product = typeof item.price.product === 'string' ? item.price.product : item.price.product?.id;
    items.push({
      price: item.price.id,
      ...(product !== undefined ? { product } : {}),
      quantity,
      ...(item.price.unit_amount !== undefined && item.price.unit_amount !== null ? { unit_amount: item.price.unit_amount } : {}),
      ...(rec ? { interval: rec.interval, ...(rec.interval_count > 1 ? { interval_count: rec.interval_count } : {}) } : {}),
    });
  });
  const subCoupons = coupons([sub.discount, ...(sub.discounts ?? [])]);
  if (subCoupons.length > 0) discounted = true;
  net = applyCoupons(net, subCoupons, firstMonths);
  const mrr = Math.round(net);
  const rec = sub.items.data[0]?.price.recurring;
  const out: Mrr = {
    gross, mrr,
    interval: rec?.interval === 'year' ? 'year' : 'month',
    termMonths: Math.max(1, Math.round(firstMonths)),
    unresolved, items,
  };
  if (discounted && gross > 0) out.discountPct = Math.round((1 - net / gross) * 10_000) / 100;
  if (seats !== undefined) out.seats = seats;
  return out;
}

type StripePrice = Subscription['items']['data'][number]['price'];

function planOfPrice(price: StripePrice, cfg: StripeConfig): string {
  return cfg.plans[price.id]
    ?? (price.lookup_key ? cfg.plans[price.lookup_key] : undefined)
    ?? price.metadata?.['tierwise_plan']
    ?? price.lookup_key
    ?? price.id;
}

function planOf(sub: Subscription, cfg: StripeConfig): string {
  const price = sub.items.data[0]?.price;
  return price ? planOfPrice(price, cfg) : 'unknown';
}

/** What the items stand for in the catalog, or nothing when no item names one of its plans. */
interface Holdings { plan: string; seats?: number; units: Record<string, number>; addons: string[]; base: Subscription['items']['data'][number]; unknown: string[] }

function holdingsOf(sub: Subscription, cfg: StripeConfig, catalog: Catalog): Holdings | undefined {
  const byId = new Map(sub.items.data.map((i) => [i.price.id, i]));
  const mapped = mapStripeItems(
    catalog,
    sub.items.data.map((i) => ({ price: i.price.id, quantity: i.quantity ?? 1, ...(i.price.lookup_key ? { lookupKey: i.price.lookup_key } : {}) })),
    (id) => { const p = byId.get(id)?.price; return p ? planOfPrice(p, cfg) : undefined; },
  );
  if (mapped.plan === undefined) return undefined;
  const base = sub.items.data.find((i) => planOfPrice(i.price, cfg) === mapped.plan)!;
  // seats: the plan's included seats plus extra seat units when it sells them; else the base item's
  // quantity (a plan priced per seat)
  const included = catalog.plans.find((p) => p.id === mapped.plan)?.units?.find((u) => u.meter === 'seats')?.included;
  const extraSeats = mapped.units['seats'];
  const seats = extraSeats !== undefined && included !== undefined ? included + extraSeats : base.quantity ?? undefined;
  return { plan: mapped.plan, ...(seats !== undefined ? { seats } : {}), units: mapped.units, addons: mapped.addons, base, unknown: mapped.unknown };
}

function subscriptionFields(sub: Subscription, type: string, cfg: StripeConfig, refs: StripeRefs, at: number, catalog: Catalog | undefined): Record<string, unknown> {
  const m = subscriptionMrr(sub, refs, at);
  const status: SubscriptionStatus = type === 'customer.subscription.deleted' ? 'canceled' : (STATUS[sub.status] ?? 'active');
  const held = catalog ? holdingsOf(sub, cfg, catalog) : undefined;
  if (held) {
    // the base plan's billing period is the term, whichever position Stripe lists its item in
    const rec = held.base.price.recurring;
    const months = rec ? Math.max(1, Math.round(monthsPerPeriod(rec.interval, rec.interval_count))) : 1;
    m.interval = rec?.interval === 'year' ? 'year' : 'month';
    m.termMonths = months;
    if (held.seats !== undefined) m.seats = held.seats;
    else delete m.seats;
  }
  const warnings = [
    ...m.unresolved.map((id) => `discount ${id} could not be resolved (no event carried it; expand discounts on the webhook endpoint or send customer.discount.* events): MRR is before it`),
    ...(held?.unknown ?? []).map((price) => `price ${price} is no plan, unit price or add-on of the catalog (stripe.plans, stripe_prices): its revenue counts in MRR, it grants nothing`),
  ];
  return {
    type: 'subscription',
    plan: held?.plan ?? planOf(sub, cfg),
    interval: m.interval,
    // A canceled subscription brings no revenue: churn shows as MRR going to 0 (as the simulator emits it).
    mrr: status === 'canceled' ? 0 : m.mrr,
    status,
    ...(m.seats !== undefined ? { seats: m.seats } : {}),
    ...(m.discountPct !== undefined ? { discount_pct: m.discountPct } : {}),
    ...(m.termMonths > 1 ? { term_months: m.termMonths } : {}),
    stripe_subscription: sub.id,
    stripe_event: type,
    items: m.items,
    // a subscription lists every item it has: what the items map to is the whole holding, not a delta
    ...(held ? { addons: held.addons, units: held.units } : {}),
    // Never a silent guess: a discount we cannot see is named, and the MRR is gross of it.
    ...(m.unresolved.length > 0 ? { unresolved_discounts: m.unresolved } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(type === 'customer.subscription.trial_will_end' && sub.trial_end ? { trial_end: new Date(sub.trial_end * 1000).toISOString() } : {}),
  };
}
