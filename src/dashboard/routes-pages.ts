// The page routes: each gathers what it shows from the engine and the store, then renders.
import type { Context, Hono } from 'hono';
import { revenueMetrics } from '../app/metrics.ts';
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

export function registerPages(app: Hono, deps: DashboardDeps, guard: GuardDeps): void {
  const refreshSeconds = deps.refreshSeconds ?? 5;
  const takeFlash = (s: Session): string | undefined => {
    const f = s.flash;
    delete s.flash;
    return f;
  };

  app.get('/', authed(guard, async (c, s) => {
    const engine = deps.engine();
    if (!engine) return c.html(page({ title: 'Opportunities', active: 'opportunities', session: s, body: NO_ENGINE }));
    const filters = parseFilters(c.req.query());
    const now = deps.now();
    const list = await listOpportunities(engine, deps.store, filters, now);
    return c.html(page({ title: 'Opportunities', active: 'opportunities', session: s, body: opportunitiesBody({ list, filters, catalog: deps.catalog, now, refreshSeconds }) }));
  }));

  app.get('/opportunities/rows', authed(guard, async (c) => {
    const engine = deps.engine();
    if (!engine) return c.text('no engine', 503);
    const now = deps.now();
    const list = await listOpportunities(engine, deps.store, parseFilters(c.req.query()), now);
    c.header('X-Total', String(list.total));
    return c.html(opportunityRows(list, deps.catalog, now).value);
  }));

  app.get('/accounts/:id', authed(guard, async (c: Context, s) => {
    const id = c.req.param('id') ?? '';
    const engine = deps.engine();
    const now = deps.now();
    const ev = engine?.explain(id, now);
    if (!ev) return c.html(page({ title: 'Account not found', active: 'account', session: s, body: html`<p>No account "${id}" ${engine ? 'in the engine' : '(the engine is not running)'}. <a href="/">Back to opportunities</a></p>` }), 404);
    const [record, usage, timeline, opportunities, steps, trials] = await Promise.all([
      deps.store.getAccount(id), deps.store.usageDays(id),
      timelineOf(deps.store, id, now - USAGE_DAYS * DAY_MS, now + DAY_MS, deps.catalog.currency),
      maybe(() => deps.store.listOpportunities({ account: id })), maybe(() => deps.store.listSteps({ account: id })), maybe(() => deps.store.listTrials({ account: id })),
    ]);
    const plan = deps.catalog.plans.find((p) => p.id === ev.plan);
    const name = typeof record?.traits.name === 'string' ? record.traits.name : id;
    return c.html(page({ title: name, active: 'account', session: s, charts: true, body: accountBody({
      id, record, ev, catalog: deps.catalog, usage: usageSeries(deps.catalog, plan, usage, now), timeline,
      opportunities: opportunities ?? [], steps: steps ?? [], trials: trials ?? [], actionsEnabled: deps.actions !== undefined && opportunities !== undefined,
      csrf: s.csrf, flash: takeFlash(s), now, sales: deps.sales,
    }) }));
  }));

  app.get('/pipeline', authed(guard, async (c, s) => {
    const opps = await allOpportunities(deps.store);
    return c.html(page({ title: 'Pipeline', active: 'pipeline', session: s, body: pipelineBody(opps && board(opps), deps.catalog.currency, deps.now()) }));
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
