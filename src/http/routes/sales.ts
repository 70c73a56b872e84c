// The sales-assisted motion over HTTP (admin keys): raise an opportunity by hand, record its
// qualification, accept or bounce a hand-off, quote a discount and approve or refuse it, and the sales
// reports. The actions are the app's (app/sales.ts), the same the CLI and the dashboard call.
import type { Context, Hono } from 'hono';
import { salesOfDeps } from '../../app/playbook-deps.ts';
import { createManualOpportunity, decideHandoffById, decideQuoteById, qualifyOpportunity, quoteOpportunity } from '../../app/sales.ts';
import { approvalsFor, breachesFor, compFor, economicsFor, lossesFor, periodOrQuarter } from '../../app/sales-reports.ts';
import type { Opportunity } from '../../core/playbooks/opportunity.ts';
import { requireKey } from '../auth.ts';
import type { ServerContext } from '../context.ts';
import { createOpportunityRequestSchema, handoffDecisionRequestSchema, periodQuerySchema, qualificationRequestSchema, quoteDecisionRequestSchema, quoteRequestSchema } from '../schemas-sales.ts';
import { engineOf, exclusive, jsonBody, queryOf, withIsoTimes } from './route-helpers.ts';
import { byKey } from './opportunities.ts';

type Detail = (c: Context, o: Opportunity, status?: 200 | 201) => Promise<Response>;

export function registerSalesRoutes(app: Hono, ctx: ServerContext, detail: Detail): void {
  const auth = { keys: ctx.store, limiter: ctx.limiter };
  const deps = () => ctx.playbookDeps;

  app.post('/v1/opportunities', async (c) => {
    const key = await requireKey(c, auth, 'admin');
    const b = await jsonBody(c, createOpportunityRequestSchema);
    const engine = engineOf(ctx);
    const r = await exclusive(ctx, () => createManualOpportunity(deps(), engine, {
      account: b.account, offer: b.offer, source: b.source, by: b.by ?? byKey(key), owner: b.owner, note: b.note, now: ctx.now(),
    }));
    return detail(c, r.opportunity, r.created ? 201 : 200);
  });

  app.post('/v1/opportunities/:id/qualification', async (c) => {
    const key = await requireKey(c, auth, 'admin');
    const { by, ...answers } = await jsonBody(c, qualificationRequestSchema);
    const clean: Record<string, { met: boolean; note?: string }> = {};
    for (const [k, v] of Object.entries(answers)) if (v) clean[k] = { met: v.met, ...(v.note ? { note: v.note } : {}) };
    return detail(c, await exclusive(ctx, () => qualifyOpportunity(deps(), c.req.param('id'), clean, by ?? byKey(key), ctx.now())));
  });

  app.post('/v1/opportunities/:id/handoff', async (c) => {
    const key = await requireKey(c, auth, 'admin');
    const b = await jsonBody(c, handoffDecisionRequestSchema);
    return detail(c, await exclusive(ctx, () => decideHandoffById(deps(), c.req.param('id'), b.decision, b.by ?? byKey(key), b.reason, ctx.now())));
  });

  app.post('/v1/opportunities/:id/quote', async (c) => {
    const key = await requireKey(c, auth, 'admin');
    const b = await jsonBody(c, quoteRequestSchema);
    return detail(c, await exclusive(ctx, () => quoteOpportunity(deps(), c.req.param('id'), { discountPct: b.discount_pct, termMonths: b.term_months, by: b.by ?? byKey(key) }, ctx.now())));
  });

  app.post('/v1/opportunities/:id/quote/decision', async (c) => {
    await requireKey(c, auth, 'admin');
    const b = await jsonBody(c, quoteDecisionRequestSchema);
    return detail(c, await exclusive(ctx, () => decideQuoteById(deps(), c.req.param('id'), b.approve, b.approver, b.reason, ctx.now())));
  });

  const period = (c: Context) => periodOrQuarter(queryOf(c, periodQuerySchema).period, ctx.now());
  app.get('/v1/reports/comp', async (c) => {
    await requireKey(c, auth, 'admin');
    return c.json(withIsoTimes(await compFor(ctx.store, salesOfDeps(deps()), deps().playbooks.team, period(c))));
  });
  app.get('/v1/reports/economics', async (c) => {
    await requireKey(c, auth, 'admin');
    return c.json(await economicsFor(ctx.store, salesOfDeps(deps()), deps().playbooks.team, period(c)));
  });
  app.get('/v1/reports/losses', async (c) => {
    await requireKey(c, auth, 'admin');
    const q = queryOf(c, periodQuerySchema);
    return c.json(withIsoTimes(await lossesFor(ctx.store, q.period ? periodOrQuarter(q.period, ctx.now()) : undefined)));
  });
  app.get('/v1/reports/handoffs', async (c) => {
    await requireKey(c, auth, 'admin');
    return c.json(withIsoTimes({ breaches: await breachesFor(ctx.store, ctx.now()) }));
  });
  app.get('/v1/reports/discounts', async (c) => {
    await requireKey(c, auth, 'admin');
    return c.json(withIsoTimes(await approvalsFor(ctx.store)));
  });
}
