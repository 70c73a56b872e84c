// The page routes: each gathers what it shows from the engine and the store, then renders.
import type { Context, Hono } from 'hono';
import { revenueMetrics } from '../app/metrics.ts';
import { asOfExpectation, resolveMoment, type Moment } from '../app/clock.ts';
import type { Engine } from '../app/engine.ts';
import { ownerOpportunity, resolveOwner } from '../app/owners.ts';
import type { Store } from '../app/ports.ts';
import type { Opportunity } from '../core/playbooks/opportunity.ts';
import type { DashboardDeps } from './deps.ts';
import { authed, type GuardDeps } from './guard.ts';
import { html } from './html.ts';
import { page } from './layout.ts';
import { listOpportunities, parseFilters } from './opportunity-rows.ts';
import { accountBody } from './pages/account.ts';
import { catalogBody } from './pages/catalog.ts';
import { metricsBody } from './pages/metrics.ts';
import { opportunitiesBody, opportunityRows } from './pages/opportunities.ts';
import { pipelineBody } from './pages/pipeline.ts';
import { playbooksBody } from './pages/playbooks.ts';
import { experimentsBody } from './pages/experiments.ts';
import { listExperiments, reportExperiment } from '../app/experiments.ts';
import { EXPANSION_HOLDOUT } from '../core/experiments/apply.ts';
import { board, bySource, funnel, playbookRows } from './pipeline-stats.ts';
import type { Session } from './session.ts';
import { timelineOf } from './timeline.ts';
import { USAGE_DAYS, usageSeries } from './usage-series.ts';

const DAY_MS = 86_400_000;

/** The playbook store's reads, or undefined while a store has none (T4 not wired yet). */
async function maybe<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    return undefined;
  }
}

const allOpportunities = (store: Store): Promise<Opportunity[] | undefined> => maybe(() => store.listOpportunities());

const NO_ENGINE = html`<p class="note">This server runs without the signal engine (<code>serve --no-engine</code>), so there is no ranking to show.</p>`;

/** The page's moment (`?as_of=`, else the wall clock) and the engine at it; undefined moment: a bad as_of. */
async function at(c: Context, deps: DashboardDeps): Promise<{ moment: Moment | undefined; engine: Engine | undefined }> {
  if (!deps.moments) return { moment: resolveMoment({ clock: deps.now(), dataEnds: 0 }), engine: deps.engine() };
  const moment = await deps.moments.resolve(c.req.query('as_of'));
  return { moment, engine: moment ? await deps.moments.engineAt(moment) : undefined };
}

const badMoment = (c: Context, s: Session, path: string) => c.html(page({ title: 'Not a date', active: 'opportunities', session: s,
  body: html`<p class="warn">${asOfExpectation('as_of', c.req.query('as_of') ?? '')}. <a href="${path}">Back to now</a></p>` }), 400);

export function registerPages(app: Hono, deps: DashboardDeps, guard: GuardDeps): void {
  const refreshSeconds = deps.refreshSeconds ?? 5;
  const takeFlash = (s: Session): string | undefined => {
    const f = s.flash;
    delete s.flash;
    return f;
  };

  app.get('/', authed(guard, async (c, s) => {
    const { moment, engine } = await at(c, deps);
    if (!moment) return badMoment(c, s, '/');
    if (!engine) return c.html(page({ title: 'Opportunities', active: 'opportunities', session: s, body: NO_ENGINE }));
    const filters = parseFilters(c.req.query());
    const now = moment.now;
    const list = await listOpportunities(engine, deps.store, filters, now, deps.team ?? []);
    return c.html(page({ title: 'Opportunities', active: 'opportunities', session: s, moment, path: '/',
      body: opportunitiesBody({ list, filters, catalog: deps.catalog, now, refreshSeconds, moment }) }));
  }));

  app.get('/opportunities/rows', authed(guard, async (c) => {
    const { moment, engine } = await at(c, deps);
    if (!moment) return c.text('as_of is not a date', 400);
    if (!engine) return c.text('no engine', 503);
    const list = await listOpportunities(engine, deps.store, parseFilters(c.req.query()), moment.now, deps.team ?? []);
    c.header('X-Total', String(list.total));
    return c.html(opportunityRows(list, deps.catalog, moment.now, moment).value);
  }));

  app.get('/accounts/:id', authed(guard, async (c: Context, s) => {
    const id = c.req.param('id') ?? '';
    const { moment, engine } = await at(c, deps);
    if (!moment) return badMoment(c, s, `/accounts/${encodeURIComponent(id)}`);
    const now = moment.now;
    const ev = engine?.explain(id, now);
    if (!ev) return c.html(page({ title: 'Account not found', active: 'account', session: s, body: html`<p>No account "${id}" ${engine ? 'in the engine' : '(the engine is not running)'}. <a href="/">Back to opportunities</a></p>` }), 404);
    const [record, usage, timeline, opportunities, steps, trials] = await Promise.all([
      deps.store.getAccount(id), deps.store.usageDays(id),
      timelineOf(deps.store, id, now - USAGE_DAYS * DAY_MS, now + DAY_MS, deps.catalog.currency),
      maybe(() => deps.store.listOpportunities({ account: id })), maybe(() => deps.store.listSteps({ account: id })), maybe(() => deps.store.listTrials({ account: id })),
    ]);
    const plan = deps.catalog.plans.find((p) => p.id === ev.plan);
    const name = typeof record?.traits.name === 'string' ? record.traits.name : id;
    const owner = resolveOwner(record?.traits, ownerOpportunity(opportunities ?? []), deps.team ?? []);
    return c.html(page({ title: name, active: 'account', session: s, charts: true, moment, path: `/accounts/${encodeURIComponent(id)}`, body: accountBody({
      id, record, ev, owner, catalog: deps.catalog, usage: usageSeries(deps.catalog, plan, usage, now), timeline,
      opportunities: opportunities ?? [], steps: steps ?? [], trials: trials ?? [], actionsEnabled: deps.actions !== undefined && opportunities !== undefined,
      csrf: s.csrf, flash: takeFlash(s), now, sales: deps.sales,
    }) }));
  }));

  app.get('/pipeline', authed(guard, async (c, s) => {
    const { moment } = await at(c, deps);
    if (!moment) return badMoment(c, s, '/pipeline');
    const [opps, accounts] = await Promise.all([allOpportunities(deps.store), deps.store.listAccounts()]);
    const names = new Map(accounts.map((a) => [a.id, typeof a.traits.name === 'string' ? a.traits.name : a.id]));
    return c.html(page({ title: 'Pipeline', active: 'pipeline', session: s, moment, path: '/pipeline',
      body: pipelineBody(opps && board(opps), deps.catalog.currency, moment.now, { names, team: deps.team ?? [], moment }) }));
  }));

  app.get('/revenue', authed(guard, async (c, s) => {
    const [revenue, opps] = await Promise.all([
      revenueMetrics(deps.store, { knownPlans: new Set(deps.catalog.plans.map((p) => p.id)), currency: deps.catalog.currency, now: deps.now(), catalog: deps.catalog }),
      allOpportunities(deps.store),
    ]);
    return c.html(page({ title: 'Metrics', active: 'metrics', session: s, charts: true, body: metricsBody({
      revenue, sources: opps && bySource(opps, deps.playbooks ?? []), funnel: opps && funnel(opps), currency: deps.catalog.currency,
    }) }));
  }));

  app.get('/catalog', authed(guard, (c, s) => c.html(page({ title: 'Catalog', active: 'catalog', session: s, body: catalogBody(deps.catalog, deps.findings) }))));

  app.get('/playbooks', authed(guard, async (c, s) => {
    const [opps, steps] = await Promise.all([allOpportunities(deps.store), maybe(() => deps.store.listSteps({ status: 'done' }))]);
    const rows = opps && steps ? playbookRows(deps.playbooks ?? [], opps, steps) : undefined;
    return c.html(page({ title: 'Playbooks', active: 'playbooks', session: s, body: playbooksBody(rows) }));
  }));

  app.get('/experiments', authed(guard, async (c, s) => {
    const now = deps.now();
    const ids = [...(deps.holdout ? [EXPANSION_HOLDOUT] : []), ...(await listExperiments(deps.store)).map((e) => e.id)];
    const reports = await Promise.all(ids.map((id) => reportExperiment(deps.store, id, deps.holdout, now)));
    const names = new Map((deps.playbooks ?? []).map((p) => [p.id, p.name]));
    return c.html(page({ title: 'Experiments', active: 'experiments', session: s, body: experimentsBody(reports, names, deps.catalog.currency) }));
  }));
}
