// The composition root: config -> adapters -> services. The CLI, the server and tests start here.
import { openSqliteStore } from './adapters/sqlite/sqlite-store.ts';
import { createMemoryStore } from './adapters/memory/memory-store.ts';
import { connect, isPostgresUrl, migrate, redactUrl } from './adapters/postgres/connect.ts';
import { PG_MIGRATIONS } from './adapters/postgres/migrations.ts';
import { openPostgresStore } from './adapters/postgres/postgres-store.ts';
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

/** Opens the store at a path; ':memory:' gives the in-memory store, a postgres:// URL the PostgreSQL one. */
export async function openStore(path: string): Promise<Store> {
  if (path === ':memory:') return createMemoryStore();
  return isPostgresUrl(path) ? openPostgresStore(path) : openSqliteStore(path);
}

/** The store's name for messages and logs: a URL's password is never printed. */
export { isPostgresUrl };

export interface MigrateResult { store: string; kind: 'sqlite' | 'postgres'; from?: number; to?: number; latest?: number }

/** `tierwise db migrate`: brings a store's schema up to date (opening one does too; this is for operators who migrate first). */
export async function migrateStore(path: string): Promise<MigrateResult> {
  if (isPostgresUrl(path)) {
    const sql = connect(path, { max: 1 });
    try {
      return { store: redactUrl(path), kind: 'postgres', ...(await migrate(sql)), latest: PG_MIGRATIONS.length };
    } finally {
      await sql.end({ timeout: 5 });
    }
  }
  await openSqliteStore(path).close();
  return { store: path, kind: 'sqlite' };
}

export const describeStore = (path: string): string => (isPostgresUrl(path) ? redactUrl(path) : path);

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
    playbooks: deps.playbooks.playbooks,
    actions: pipelineActions(deps, engine, runner ? (fn) => runner.exclusive(fn) : undefined),
  });
}
