// Stripe discount and coupon objects seen in webhook events, kept so that a subscription naming a
// discount by id (Stripe's default: `discounts` are not expanded) can be priced net of it. Kept
// in the store's meta values: a discount created months ago still resolves after a restart.
import type { StripeCoupon, StripeDiscount, StripeRefs } from '../sources/stripe.ts';
import type { StateStore } from './ports.ts';

type Meta = Pick<StateStore, 'getMeta' | 'setMeta'>;

export class StripeObjects {
  constructor(private readonly store: Meta) {}

  async remember(found: { discounts: (StripeDiscount & { id: string })[]; coupons: (StripeCoupon & { id: string })[] }): Promise<void> {
    for (const d of found.discounts) {
      const c = d.source?.coupon ?? d.coupon;
      // A discount carries its coupon when expanded: keep that too, for other discounts of it.
      if (c && typeof c === 'object' && c.id !== undefined) found.coupons.push(c as StripeCoupon & { id: string });
      await this.store.setMeta(`stripe.discount:${d.id}`, JSON.stringify({ id: d.id, coupon: c ?? null, end: d.end ?? null }));
    }
    for (const c of found.coupons) {
      await this.store.setMeta(`stripe.coupon:${c.id}`, JSON.stringify({ id: c.id, percent_off: c.percent_off ?? null, amount_off: c.amount_off ?? null, duration: c.duration ?? null }));
    }
  }

  /** A resolver over the ids a subscription names, loaded from the store. */
  async refs(ids: { discounts: string[]; coupons: string[] }): Promise<StripeRefs> {
    const discounts = new Map<string, StripeDiscount>();
    const coupons = new Map<string, StripeCoupon>();
    const couponIds = [...ids.coupons];
    for (const id of ids.discounts) {
      const raw = await this.store.getMeta(`stripe.discount:${id}`);
      if (raw === undefined) continue;
      const d = JSON.parse(raw) as StripeDiscount;
      discounts.set(id, d);
      if (typeof d.coupon === 'string') couponIds.push(d.coupon);
    }
    for (const id of couponIds) {
      const raw = await this.store.getMeta(`stripe.coupon:${id}`);
      if (raw !== undefined) coupons.set(id, JSON.parse(raw) as StripeCoupon);
    }
    return { discount: (id) => discounts.get(id), coupon: (id) => coupons.get(id) };
  }
}
