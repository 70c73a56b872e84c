// The upsell pipeline (admin keys): list and read opportunities; move the stage, hand off, close.
// The actions are the app's (app/opportunity-actions.ts), the same the dashboard calls.
import type { Context, Hono } from 'hono';
import { closeOpportunityById, handOffOpportunity, moveOpportunityStage } from '../../app/opportunity-actions.ts';
import type { ApiKeyRecord } from '../../app/ports.ts';
import { ageDays, type Opportunity } from '../../core/playbooks/opportunity.ts';
import { asOfExpectation, momentJson } from '../../app/clock.ts';
import { requireKey } from '../auth.ts';
import type { ServerContext } from '../context.ts';
import { HttpProblem } from '../problem.ts';
import { closeRequestSchema, opportunityQuerySchema, ownerRequestSchema, stageRequestSchema } from '../schemas-playbooks.ts';
import { exclusive, jsonBody, queryOf, withIsoTimes } from './route-helpers.ts';
import { registerSalesRoutes } from './sales.ts';

const summary = ({ history: _h, brief: _b, plays: _p, ...o }: Opportunity, now: number) => withIsoTimes({ ...o, ageDays: ageDays(o as Opportunity, now) });
export const byKey = (k: ApiKeyRecord) => `API key ${k.id}${k.name ? ` (${k.name})` : ''}`;

/** An opportunity with its steps and tasks, as the detail endpoints answer. */
export const detailOf = (ctx: ServerContext) => async (c: Context, o: Opportunity, status: 200 | 201 = 200) => {
  const steps = await ctx.store.listSteps({ opportunity: o.id });
  const tasks = (await ctx.store.listTasks({ account: o.account })).filter((t) => t.opportunity === o.id);
  return c.json(withIsoTimes({ ...o, ageDays: ageDays(o, ctx.now()), steps, tasks }), status);
};

export function registerOpportunityRoutes(app: Hono, ctx: ServerContext): void {
  registerSalesRoutes(app, ctx, detailOf(ctx));
  const auth = { keys: ctx.store, limiter: ctx.limiter };
  const deps = () => ctx.playbookDeps;

  const detail = detailOf(ctx);

  app.get('/v1/opportunities', async (c) => {
    await requireKey(c, auth, 'admin');
    const { limit, offset, account, status, stage, owner, as_of: asOf } = queryOf(c, opportunityQuerySchema);
    const moment = await ctx.moments.resolve(asOf);
    if (!moment) throw new HttpProblem('invalid_request', asOfExpectation('as_of', asOf ?? ''));
    const list = await ctx.store.listOpportunities({
      ...(account !== undefined ? { account } : {}), ...(status !== undefined ? { status } : {}),
      ...(stage !== undefined ? { stage } : {}), ...(owner !== undefined ? { owner } : {}),
    });
    return c.json({ moment: momentJson(moment), total: list.length, opportunities: list.slice(offset, offset + limit).map((o) => summary(o, moment.now)) });
  });

  app.get('/v1/opportunities/:id', async (c) => {
    await requireKey(c, auth, 'admin');
    const id = c.req.param('id');
    const o = await ctx.store.getOpportunity(id);
    if (!o) throw new HttpProblem('not_found', `no opportunity "${id}"`);
    return detail(c, o);
  });

  app.post('/v1/opportunities/:id/stage', async (c) => {
    const key = await requireKey(c, auth, 'admin');
    const { stage, note } = await jsonBody(c, stageRequestSchema);
    const o = await exclusive(ctx, () => moveOpportunityStage(deps(), c.req.param('id'), stage, ctx.now(), note ?? `moved by ${byKey(key)}`));
    return detail(c, o);
  });

  app.post('/v1/opportunities/:id/owner', async (c) => {
    await requireKey(c, auth, 'admin');
    const { to, intro } = await jsonBody(c, ownerRequestSchema);
    const o = await exclusive(ctx, () => handOffOpportunity(deps(), c.req.param('id'), to, ctx.now(), intro));
    return detail(c, o);
  });

  app.post('/v1/opportunities/:id/close', async (c) => {
    const key = await requireKey(c, auth, 'admin');
    const { outcome, reason, loss_reason, credit } = await jsonBody(c, closeRequestSchema);
    const o = await exclusive(ctx, () => closeOpportunityById(deps(), c.req.param('id'), outcome === 'won', ctx.now(),
      `closed ${outcome} by ${byKey(key)}${loss_reason ? ` (${loss_reason})` : ''}${reason ? `: ${reason}` : ''}`, { lossReason: loss_reason, note: reason, by: byKey(key), credit }));
    return detail(c, o);
  });
}
