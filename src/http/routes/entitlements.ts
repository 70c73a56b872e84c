// Entitlements (ingest or admin keys): what the account may use right now, called by the product on
// every page view. A read: it takes no write lock. The answer says how long it may be cached, never
// past the moment a trial ends.
import type { Hono } from 'hono';
import { entitlementsFor } from '../../app/entitlements.ts';
import type { Entitlements } from '../../core/entitlements/entitlements.ts';
import { requireKey } from '../auth.ts';
import type { ServerContext } from '../context.ts';
import { engineOf } from './route-helpers.ts';

/** The most an answer may be cached: usage moves, and a product must see a new limit within this. */
export const ENTITLEMENTS_TTL_S = 30;

const iso = (ms: number): string => new Date(ms).toISOString();

export function entitlementsWire(e: Entitlements, ttlSeconds: number): unknown {
  return {
    account: e.account, plan: { id: e.plan, name: e.planName }, asOf: iso(e.asOf),
    features: e.features.map(({ trialEndsAt, ...f }) => ({ ...f, ...(trialEndsAt !== undefined ? { trialEndsAt: iso(trialEndsAt) } : {}) })),
    meters: e.meters,
    trials: e.trials.map((t) => ({ ...t, startedAt: iso(t.startedAt), endsAt: iso(t.endsAt) })),
    changesAt: e.changesAt === null ? null : iso(e.changesAt), ttlSeconds,
  };
}

export function registerEntitlementRoutes(app: Hono, ctx: ServerContext): void {
  const auth = { keys: ctx.store, limiter: ctx.limiter };

  app.get('/v1/entitlements/:account', async (c) => {
    await requireKey(c, auth, 'ingest');
    const engine = engineOf(ctx);
    const now = ctx.now();
    const e = await entitlementsFor(ctx.playbookDeps, engine, c.req.param('account'), now);
    const ttl = e.changesAt === null ? ENTITLEMENTS_TTL_S : Math.max(0, Math.min(ENTITLEMENTS_TTL_S, Math.floor((e.changesAt - now) / 1000)));
    c.header('Cache-Control', `private, max-age=${ttl}`);
    return c.json(entitlementsWire(e, ttl));
  });
}
