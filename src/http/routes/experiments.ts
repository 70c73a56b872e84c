// Experiments (admin keys): list, create, and the report (the same as `tierwise experiment
// report --json`); `expansion_holdout` reports the configured expansion holdout.
import type { Hono } from 'hono';
import { createExperiment, listExperiments, reportExperiment } from '../../app/experiments.ts';
import { parseAsOf } from '../../app/scoring-session.ts';
import { requireKey } from '../auth.ts';
import type { ServerContext } from '../context.ts';
import { HttpProblem } from '../problem.ts';
import { createExperimentRequestSchema, experimentReportQuerySchema } from '../schemas-experiments.ts';
import { exclusive, jsonBody, queryOf, withIsoTimes } from './route-helpers.ts';

export function registerExperimentRoutes(app: Hono, ctx: ServerContext): void {
  const auth = { keys: ctx.store, limiter: ctx.limiter };

  app.get('/v1/experiments', async (c) => {
    await requireKey(c, auth, 'admin');
    return c.json({ holdout: ctx.playbookDeps.playbooks.holdout ?? null, experiments: withIsoTimes(await listExperiments(ctx.store)) });
  });

  app.post('/v1/experiments', async (c) => {
    await requireKey(c, auth, 'admin');
    const b = await jsonBody(c, createExperimentRequestSchema);
    const input = { ...b, variants: b.variants.map(({ discount_pct, ...v }) => ({ ...v, ...(discount_pct !== undefined ? { discountPct: discount_pct } : {}) })) };
    const e = await exclusive(ctx, () => createExperiment(ctx.store, input, ctx.playbookDeps.playbooks.playbooks, ctx.now()));
    return c.json(withIsoTimes(e), 201);
  });

  app.get('/v1/experiments/:id/report', async (c) => {
    await requireKey(c, auth, 'admin');
    const q = queryOf(c, experimentReportQuerySchema);
    const asOf = q.as_of === undefined ? ctx.now() : parseAsOf(q.as_of);
    if (asOf === undefined) throw new HttpProblem('invalid_request', `as_of must be a date (YYYY-MM-DD) or an ISO timestamp, got "${q.as_of}"`);
    const r = await reportExperiment(ctx.store, c.req.param('id'), ctx.playbookDeps.playbooks.holdout, asOf);
    return c.json({ ...(withIsoTimes(r) as object), asOf: new Date(r.asOf).toISOString() });
  });
}
