// GET /v1/metrics/revenue (admin keys): MRR movements, NRR/GRR, upsell revenue, by month or quarter,
// from the subscription events in the log (the same report as `tierwise metrics`).
import type { Hono } from 'hono';
import { MetricsQueryError, revenueMetrics } from '../../app/metrics.ts';
import { requireKey } from '../auth.ts';
import type { ServerContext } from '../context.ts';
import { HttpProblem } from '../problem.ts';
import { revenueQuerySchema } from '../schemas-playbooks.ts';
import { queryOf } from './route-helpers.ts';

export function registerRevenueRoutes(app: Hono, ctx: ServerContext): void {
  const auth = { keys: ctx.store, limiter: ctx.limiter };
  const knownPlans = new Set(ctx.config.plans.map((p) => p.id));

  app.get('/v1/metrics/revenue', async (c) => {
    await requireKey(c, auth, 'admin');
    const q = queryOf(c, revenueQuerySchema);
    try {
      return c.json(await revenueMetrics(ctx.store, {
        by: q.by, knownPlans, currency: ctx.config.currency,
        ...(q.from !== undefined ? { from: q.from } : {}), ...(q.to !== undefined ? { to: q.to } : {}),
      }));
    } catch (err) {
      if (err instanceof MetricsQueryError) throw new HttpProblem('invalid_request', err.message.replaceAll('--', ''));
      throw err;
    }
  });
}
