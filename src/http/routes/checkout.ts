// The checkout hand-off (ingest or admin keys, like decide): the Stripe change and invoice preview
// for an accepted offer with a signed upgrade link, a downgrade, a cancellation. The link itself
// needs no key: its signature is the credential, and it recomputes the preview when opened.
import type { Context, Hono } from 'hono';
import { cancelCheckout, downgradeCheckout, planPricesFrom, upgradeCheckout, type Checkout } from '../../app/checkout.ts';
import { checkLink, linkSecret, signLink } from '../../app/upgrade-links.ts';
import { requireKey } from '../auth.ts';
import type { ServerContext } from '../context.ts';
import { HttpProblem } from '../problem.ts';
import { cancelRequestSchema, checkoutRequestSchema, downgradeRequestSchema } from '../schemas-entitlements.ts';
import { engineOf, jsonBody } from './route-helpers.ts';

const HOUR = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();

function wire(ctx: ServerContext, co: Checkout, link?: { url: string; expiresAt: number }): unknown {
  return {
    account: co.account, kind: co.kind, currency: ctx.playbookDeps.catalog.currency, offer: co.offer,
    period: { start: iso(co.periodStart), end: iso(co.periodEnd) }, stripe: co.stripe,
    preview: {
      ...co.preview,
      lines: co.preview.lines.map((l) => ({ ...l, periodStart: iso(l.periodStart), periodEnd: iso(l.periodEnd) })),
      next: { ...co.preview.next, at: iso(co.preview.next.at) },
    },
    ...(link ? { link: { url: link.url, expiresAt: iso(link.expiresAt) } } : {}),
  };
}

const origin = (c: Context): string => new URL(c.req.url).origin;

export function registerCheckoutRoutes(app: Hono, ctx: ServerContext): void {
  const auth = { keys: ctx.store, limiter: ctx.limiter };
  const prices = planPricesFrom(ctx.stripe.plans);

  app.post('/v1/checkout', async (c) => {
    await requireKey(c, auth, 'ingest');
    const engine = engineOf(ctx);
    const b = await jsonBody(c, checkoutRequestSchema);
    const now = ctx.now();
    const co = upgradeCheckout(ctx.playbookDeps, engine, prices, b.account, b.offer, now);
    const expiresAt = now + b.expires_in_hours * HOUR;
    const token = signLink(await linkSecret(ctx.store), { account: co.account, offer: co.offer!.key, expiresAt });
    return c.json(wire(ctx, co, { url: `${origin(c)}/v1/checkout/links/${token}`, expiresAt }));
  });

  app.get('/v1/checkout/links/:token', async (c) => {
    const engine = engineOf(ctx);
    const now = ctx.now();
    const check = checkLink(await linkSecret(ctx.store), c.req.param('token'), now);
    if (!check.ok && check.reason === 'expired') throw new HttpProblem('link_expired', `this upgrade link expired at ${iso(check.payload!.expiresAt)}: ask for a new one`);
    if (!check.ok) throw new HttpProblem('forbidden', 'this upgrade link is not valid (altered or not signed by this server)');
    const co = upgradeCheckout(ctx.playbookDeps, engine, prices, check.payload.account, check.payload.offer, now);
    return c.json(wire(ctx, co, { url: c.req.url, expiresAt: check.payload.expiresAt }));
  });

  app.post('/v1/checkout/downgrade', async (c) => {
    await requireKey(c, auth, 'ingest');
    const engine = engineOf(ctx);
    const b = await jsonBody(c, downgradeRequestSchema);
    return c.json(wire(ctx, downgradeCheckout(ctx.playbookDeps, engine, prices, b.account, b.plan, ctx.now())));
  });

  app.post('/v1/checkout/cancel', async (c) => {
    await requireKey(c, auth, 'ingest');
    const engine = engineOf(ctx);
    const b = await jsonBody(c, cancelRequestSchema);
    return c.json(wire(ctx, cancelCheckout(ctx.playbookDeps, engine, prices, b.account, ctx.now())));
  });
}
