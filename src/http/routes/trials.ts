// Trials (admin keys): start one of a higher tier (the opportunity moves to Proposal and the
// trial-conversion playbook starts), or end an account's active trials now.
import type { Hono } from 'hono';
import { endTrial, startTrial } from '../../app/trials.ts';
import { requireKey } from '../auth.ts';
import type { ServerContext } from '../context.ts';
import { trialRequestSchema } from '../schemas-playbooks.ts';
import { engineOf, exclusive, jsonBody, withIsoTimes } from './route-helpers.ts';

export function registerTrialRoutes(app: Hono, ctx: ServerContext): void {
  const auth = { keys: ctx.store, limiter: ctx.limiter };

  app.post('/v1/trials', async (c) => {
    await requireKey(c, auth, 'admin');
    const engine = engineOf(ctx);
    const b = await jsonBody(c, trialRequestSchema);
    const { trial, opportunity } = await exclusive(ctx, () => startTrial(ctx.playbookDeps, engine, {
      account: b.account, now: ctx.now(),
      ...(b.plan !== undefined ? { plan: b.plan } : {}), ...(b.addon !== undefined ? { addon: b.addon } : {}), ...(b.days !== undefined ? { days: b.days } : {}), ...(b.user !== undefined ? { user: b.user } : {}),
    }));
    return c.json({ trial: withIsoTimes(trial), opportunity: opportunity?.id ?? null }, 201);
  });

  app.delete('/v1/trials/:account', async (c) => {
    await requireKey(c, auth, 'admin');
    const engine = engineOf(ctx);
    const ended = await exclusive(ctx, () => endTrial(ctx.playbookDeps, engine, c.req.param('account'), ctx.now()));
    return c.json({ ended: withIsoTimes(ended) });
  });
}
