// POST /webhooks/stripe: verified with the endpoint secret over the raw body, then mapped to a
// subscription or invoice event whose id is the Stripe event id (redeliveries dedupe); the
// subscription's items map through the catalog to the plan, extra units and add-ons held.
import type { Hono } from 'hono';
import { mapStripeEvent, stripeAccountHint, stripeEventSchema, stripeObjectsIn, stripeRefsOf } from '../../sources/stripe.ts';
import { verifyStripeSignature } from '../../sources/stripe-signature.ts';
import { parseJson, readBody } from '../body.ts';
import type { ServerContext } from '../context.ts';
import { HttpProblem } from '../problem.ts';

const MAX_STRIPE_BODY = 1_000_000;

export function registerStripeRoutes(app: Hono, ctx: ServerContext): void {
  app.post('/webhooks/stripe', async (c) => {
    const secret = ctx.stripeSecret;
    if (!secret) throw new HttpProblem('stripe_not_configured', 'set stripe.webhook_secret or TIERWISE_STRIPE_WEBHOOK_SECRET to receive Stripe webhooks');
    const raw = await readBody(c, { maxBytes: MAX_STRIPE_BODY, tooLarge: 'payload_too_large' });
    const check = verifyStripeSignature(raw, c.req.header('stripe-signature'), secret, Math.floor(ctx.now() / 1000), ctx.stripe.tolerance_seconds);
    if (!check.ok) {
      ctx.metrics.ingestEvents.inc({ source: 'stripe', outcome: 'refused' });
      throw new HttpProblem('signature_invalid', check.reason);
    }
    const parsed = stripeEventSchema.safeParse(parseJson(raw));
    if (!parsed.success) throw new HttpProblem('invalid_request', `not a Stripe event: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const evt = parsed.data;
    // Discounts and coupons first, whatever the event: a subscription may name them by id later.
    await ctx.stripeObjects.remember(stripeObjectsIn(evt));
    const hint = stripeAccountHint(evt);
    const account = hint.account ?? (hint.customer !== undefined ? (await ctx.identities.lookup('stripe.customer', hint.customer)) ?? hint.customer : undefined);
    if (account === undefined) {
      ctx.metrics.ingestEvents.inc({ source: 'stripe', outcome: 'ignored' });
      return c.json({ received: true as const, ignored: `${evt.type}: no customer on the object` });
    }
    const r = mapStripeEvent(evt, account, ctx.stripe, await ctx.stripeObjects.refs(stripeRefsOf(evt)), ctx.playbookDeps.catalog);
    if (r.kind === 'ignored') {
      ctx.metrics.ingestEvents.inc({ source: 'stripe', outcome: 'ignored' });
      return c.json({ received: true as const, ignored: r.reason });
    }
    if (r.kind === 'invalid') {
      ctx.metrics.ingestEvents.inc({ source: 'stripe', outcome: 'rejected' });
      throw new HttpProblem('invalid_events', `${evt.type} ${evt.id}: ${r.detail}`);
    }
    await ctx.queue.submit([r.event]);
    if (hint.account !== undefined && hint.customer !== undefined) await ctx.identities.learn('stripe.customer', hint.customer, hint.account);
    ctx.metrics.ingestEvents.inc({ source: 'stripe', outcome: 'accepted' });
    const unresolved = r.event.extra?.['unresolved_discounts'];
    if (Array.isArray(unresolved)) ctx.metrics.stripeUnresolvedDiscounts.inc(unresolved.length);
    return c.json({ received: true as const, event: r.event.id });
  });
}
