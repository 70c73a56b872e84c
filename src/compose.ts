// The composition root: config -> adapters -> services. The CLI, the server and tests start here.
import { openSqliteStore } from './adapters/sqlite/sqlite-store.ts';
import { createMemoryStore } from './adapters/memory/memory-store.ts';
import type { Store } from './app/ports.ts';
import type { Hono } from 'hono';
import { checkOptions, toCatalog } from './config/catalog-from-config.ts';
import { toEngineSettings } from './config/engine-schema.ts';
import { toPlaybookSettings } from './config/playbooks-schema.ts';
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
export function startServer(opts: StartOptions): Promise<RunningServer> {
  return startHttpServer({ ...opts, extraRoutes: opts.extraRoutes ?? dashboardFor });
}

/** The dashboard's parameters, from the server's context: catalog, check findings, engine, playbooks. */
export function dashboardFor(ctx: ServerContext): Hono {
  const cfg = ctx.config;
  const catalog = toCatalog(cfg);
  const settings = toEngineSettings(cfg);
  const playbooks = toPlaybookSettings(cfg);
  const engine = () => ctx.engine?.engine;
  return createDashboard({
    store: ctx.store, catalog, findings: checkCatalog(catalog, checkOptions(cfg)), engine, now: ctx.now,
    playbooks: playbooks.playbooks,
    actions: pipelineActions({ store: ctx.store, catalog, settings, playbooks }, engine),
  });
}
