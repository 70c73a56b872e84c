// Engine-backed reads (admin keys): accounts ranked by readiness and score, and one account
// explained (signals with evidence, stage, score breakdown, qualification, offer).
import type { Hono } from 'hono';
import type { EngineRunner } from '../../app/engine-runner.ts';
import { requireKey } from '../auth.ts';
import type { ServerContext } from '../context.ts';
import { HttpProblem } from '../problem.ts';
import { rankedQuerySchema } from '../schemas.ts';

function engineOf(ctx: ServerContext): EngineRunner {
  if (!ctx.engine) throw new HttpProblem('engine_disabled', 'this server was started without the engine (serve --no-engine)');
  return ctx.engine;
}

export function registerScoreRoutes(app: Hono, ctx: ServerContext): void {
  const auth = { keys: ctx.store, limiter: ctx.limiter };

  app.get('/v1/accounts', async (c) => {
    await requireKey(c, auth, 'admin');
    const runner = engineOf(ctx);
    const q = rankedQuerySchema.safeParse(c.req.query());
    if (!q.success) throw new HttpProblem('invalid_request', q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const { stage, segment, ready, limit, offset } = q.data;
    const rows = runner.engine.ranked().filter((r) => (stage === undefined || r.stage === stage) && (segment === undefined || r.segment === segment) && (ready === undefined || r.ready === ready));
    return c.json({ total: rows.length, accounts: rows.slice(offset, offset + limit) });
  });

  app.get('/v1/accounts/:id/explain', async (c) => {
    await requireKey(c, auth, 'admin');
    const runner = engineOf(ctx);
    const id = c.req.param('id');
    const ev = runner.engine.explain(id, ctx.now());
    if (!ev) throw new HttpProblem('not_found', `no account "${id}" in the engine`);
    return c.json(ev);
  });

  // the offer alone: the recommendation and every alternative, priced, at the server's moment
  app.get('/v1/accounts/:id/offer', async (c) => {
    await requireKey(c, auth, 'admin');
    const runner = engineOf(ctx);
    const id = c.req.param('id');
    const now = ctx.now();
    const ev = runner.engine.explain(id, now);
    if (!ev) throw new HttpProblem('not_found', `no account "${id}" in the engine`);
    const o = ev.offer;
    return c.json({
      account: id, as_of: new Date(now).toISOString(), plan: ev.plan,
      recommended: o ? { ...o, alternatives: undefined } : null,
      alternatives: o?.alternatives ?? [], needs: o?.needs ?? [], why: o?.why ?? 'no need observed and no higher tier',
    });
  });
}
