// The composition root: config -> adapters -> services. The CLI, the server and tests start here.
import { openSqliteStore } from './adapters/sqlite/sqlite-store.ts';
import { createMemoryStore } from './adapters/memory/memory-store.ts';
import type { Store } from './app/ports.ts';
import type { Hono } from 'hono';
import { makeTransports } from './channels/transports.ts';
import { checkOptions } from './config/catalog-from-config.ts';
import { toChannelSettings } from './config/playbooks-schema.ts';
import { checkCatalog } from './core/catalog/check.ts';
import { pipelineActions } from './dashboard/pipeline-actions.ts';
import { createDashboard } from './dashboard/router.ts';
import type { ServerContext } from './http/context.ts';
import { startServer as startHttpServer, type RunningServer, type StartOptions } from './http/server.ts';

export type { RunningServer, StartOptions };

/** Opens the store at a path; ':memory:' gives the in-memory store. */
export async function openStore(path: string): Promise<Store> {
  return path === ':memory:' ? createMemoryStore() : openSqliteStore(path);
}

// The HTTP server with the dashboard mounted at `/`, reached from the CLI through here (cli/, http/
// and dashboard/ never import each other).
// With the engine, the playbook scheduler runs too, delivering through the configured channels.
export function startServer(opts: StartOptions): Promise<RunningServer> {
  const delivery = opts.delivery ?? (opts.runEngine ? makeTransports(toChannelSettings(opts.config.channels)) : undefined);
  return startHttpServer({ ...opts, delivery, extraRoutes: opts.extraRoutes ?? dashboardFor }).catch((err: unknown) => {
    if (!opts.delivery) delivery?.close();
    throw err;
  });
}

/** The dashboard's parameters, from the server's context: catalog, check findings, engine, playbooks. */
export function dashboardFor(ctx: ServerContext): Hono {
  const deps = ctx.playbookDeps;
  const engine = () => ctx.engine?.engine;
  const runner = ctx.playbooks;
  return createDashboard({
    store: ctx.store, catalog: deps.catalog, findings: checkCatalog(deps.catalog, checkOptions(ctx.config)), engine, now: ctx.now,
    moments: ctx.moments, team: deps.playbooks.team.members, playbooks: deps.playbooks.playbooks,
    actions: pipelineActions(deps, engine, runner ? (fn) => runner.exclusive(fn) : undefined),
  });
}
