// The product's run-time calls (ingest or admin keys): should this user see an upgrade prompt now,
// and what the user then did with it.
import type { Hono } from 'hono';
import { decideFor, recordPromptOutcome } from '../../app/decide.ts';
import { requireKey } from '../auth.ts';
import type { ServerContext } from '../context.ts';
import { decideRequestSchema, promptOutcomeRequestSchema } from '../schemas-playbooks.ts';
import { engineOf, exclusive, jsonBody, withIsoTimes } from './route-helpers.ts';

export function registerDecideRoutes(app: Hono, ctx: ServerContext): void {
  const auth = { keys: ctx.store, limiter: ctx.limiter };

  app.post('/v1/decide', async (c) => {
    await requireKey(c, auth, 'ingest');
    const engine = engineOf(ctx);
    const body = await jsonBody(c, decideRequestSchema);
    const context = body.context ? { ...(body.context.session !== undefined ? { session: body.context.session } : {}), ...(body.context.feature !== undefined ? { feature: body.context.feature } : {}) } : undefined;
    // A shown prompt is a touch and may move the opportunity: a write, so it waits its turn.
    const d = await exclusive(ctx, () => decideFor(ctx.playbookDeps, engine, { account: body.account, user: body.user, ...(context ? { context } : {}) }, ctx.now()));
    return c.json(d);
  });

  app.post('/v1/prompts/:id/outcome', async (c) => {
    await requireKey(c, auth, 'ingest');
    const engine = engineOf(ctx);
    const { action } = await jsonBody(c, promptOutcomeRequestSchema);
    const id = c.req.param('id');
    const touch = await exclusive(ctx, () => recordPromptOutcome(ctx.playbookDeps, engine, id, action, ctx.now()));
    return c.json(withIsoTimes(touch));
  });
}
