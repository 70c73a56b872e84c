// Read endpoints (admin keys): the plan catalog and one account with its daily usage.
import type { Hono } from 'hono';
import { toCatalog } from '../../config/catalog-from-config.ts';
import { requireKey } from '../auth.ts';
import type { ServerContext } from '../context.ts';
import { HttpProblem } from '../problem.ts';
import { accountQuerySchema } from '../schemas.ts';

export function registerReadRoutes(app: Hono, ctx: ServerContext): void {
  const auth = { keys: ctx.store, limiter: ctx.limiter };
  const catalog = toCatalog(ctx.config);

  app.get('/v1/catalog', async (c) => {
    await requireKey(c, auth, 'admin');
    return c.json(catalog);
  });

  app.get('/v1/accounts/:id', async (c) => {
    await requireKey(c, auth, 'admin');
    const q = accountQuerySchema.safeParse(c.req.query());
    if (!q.success) throw new HttpProblem('invalid_request', q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const id = c.req.param('id');
    const account = await ctx.store.getAccount(id);
    if (!account) throw new HttpProblem('not_found', `no account "${id}"`);
    const usage = await ctx.store.usageDays(id, q.data.meter);
    return c.json({
      account: { ...account, firstSeen: new Date(account.firstSeen).toISOString(), lastSeen: new Date(account.lastSeen).toISOString() },
      usage,
    });
  });
}
