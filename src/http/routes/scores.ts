// Engine-backed reads (admin keys): accounts ranked by readiness and score, and one account
// explained (signals with evidence, stage, score breakdown, qualification, offer). Both take
// `?as_of=` (one clock, docs/adr/0011-one-clock.md) and say which moment they used.
import type { Context, Hono } from 'hono';
import { asOfExpectation, momentJson, resolveMoment, staleWarning, type Moment } from '../../app/clock.ts';
import type { Engine } from '../../app/engine.ts';
import { ownerOpportunity, resolveOwner } from '../../app/owners.ts';
import { requireKey } from '../auth.ts';
import type { ServerContext } from '../context.ts';
import { HttpProblem } from '../problem.ts';
import { rankedQuerySchema } from '../schemas.ts';

/** The request's moment (`?as_of=`, else the wall clock) and the engine at it. */
export async function engineAtRequest(c: Context, ctx: ServerContext): Promise<{ engine: Engine; moment: Moment }> {
  if (!ctx.engine) throw new HttpProblem('engine_disabled', 'this server was started without the engine (serve --no-engine)');
  const text = c.req.query('as_of');
  const moment = await ctx.moments.resolve(text);
  if (!moment) throw new HttpProblem('invalid_request', asOfExpectation('as_of', text ?? ''));
  const engine = await ctx.moments.engineAt(moment);
  if (!engine) throw new HttpProblem('engine_disabled', 'this server was started without the engine (serve --no-engine)');
  return { engine, moment };
}

/** The moment as the answers carry it, with the stale-data warning when there is one. */
export const momentBody = (m: Moment) => ({ ...momentJson(m), warning: staleWarning(m, (day) => `pass ?as_of=${day}`) });

export function registerScoreRoutes(app: Hono, ctx: ServerContext): void {
  const auth = { keys: ctx.store, limiter: ctx.limiter };

  app.get('/v1/accounts', async (c) => {
    await requireKey(c, auth, 'admin');
    const q = rankedQuerySchema.safeParse(c.req.query());
    if (!q.success) throw new HttpProblem('invalid_request', q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const { engine, moment } = await engineAtRequest(c, ctx);
    // the live engine's ranking is as of its last full tick: that is the moment it states
    const used = moment.source === 'clock' && engine.scoredAt > 0 ? resolveMoment({ clock: engine.scoredAt, dataEnds: moment.dataEnds }) : moment;
    const { stage, segment, ready, limit, offset } = q.data;
    // filter and count on the numbers, rows and sentences (top, reasons) for the page only
    const page = engine.page({ stage, segment, ready, offset, limit });
    return c.json({ moment: momentBody(used), total: page.total, accounts: engine.withWhy(page.rows) });
  });

  app.get('/v1/accounts/:id/explain', async (c) => {
    await requireKey(c, auth, 'admin');
    const { engine, moment } = await engineAtRequest(c, ctx);
    const id = c.req.param('id');
    const ev = engine.explain(id, moment.now);
    if (!ev) throw new HttpProblem('not_found', `no account "${id}" in the engine`);
    const [record, opps] = await Promise.all([ctx.store.getAccount(id), ctx.store.listOpportunities({ account: id, status: 'open' })]);
    const owner = resolveOwner(record?.traits, ownerOpportunity(opps), ctx.playbookDeps.playbooks.team.members);
    return c.json({ moment: momentBody(moment), name: typeof record?.traits.name === 'string' ? record.traits.name : null, owner, ...ev });
  });

  // the offer alone: the recommendation and every alternative, priced, at the request's moment (?as_of=)
  app.get('/v1/accounts/:id/offer', async (c) => {
    await requireKey(c, auth, 'admin');
    const { engine, moment } = await engineAtRequest(c, ctx);
    const id = c.req.param('id');
    const ev = engine.explain(id, moment.now);
    if (!ev) throw new HttpProblem('not_found', `no account "${id}" in the engine`);
    const o = ev.offer;
    return c.json({
      account: id, as_of: new Date(moment.now).toISOString(), moment: momentBody(moment), plan: ev.plan,
      recommended: o ? { ...o, alternatives: undefined } : null,
      alternatives: o?.alternatives ?? [], needs: o?.needs ?? [], why: o?.why ?? 'no need observed and no higher tier',
    });
  });
}
