// The composition root: config -> adapters -> services. The CLI, the server and tests start here.
import { openPartitionLease, postgresNodeView } from './adapters/postgres/node.ts';
import type { PostgresStore } from './adapters/postgres/postgres-store.ts';
import { PartitionCoordinator } from './app/partition-coordinator.ts';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Store } from './app/ports.ts';
import { salesOfDeps } from './app/playbook-deps.ts';
import type { Hono } from 'hono';
import { makeTransports } from './channels/transports.ts';
import { checkOptions } from './config/catalog-from-config.ts';
import { toCrmSettings } from './config/crm-schema.ts';
import { toChannelSettings } from './config/playbooks-schema.ts';
import { checkCatalog } from './core/catalog/check.ts';
import { pipelineActions } from './dashboard/pipeline-actions.ts';
import { createDashboard } from './dashboard/router.ts';
import type { ServerContext } from './http/context.ts';
import { startEngine, startServer as startHttpServer, type EngineOptions, type RunningEngine, type RunningServer, type StartOptions } from './http/server.ts';
import type { TierwiseConfig } from './config/schema.ts';

export type { RunningServer, StartOptions, RunningEngine };

export type NodeParts = { view: Store; coordinator: PartitionCoordinator };

/**
 * On a PostgreSQL store, this process is one node of several: its partition lease, its view of the
 * store and the coordinator that moves partitions in and out of its engine. Other stores: none.
 */
export async function nodeFor(store: Store, id?: string): Promise<NodeParts | undefined> {
  if (store.kind !== 'postgres') return undefined;
  const pg = store as PostgresStore;
  const node = id ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const lease = await openPartitionLease(pg, node);
  const holder: { c?: PartitionCoordinator } = {};
  const view = postgresNodeView(pg, { node, parts: () => holder.c?.active ?? [] });
  holder.c = new PartitionCoordinator(lease, view);
  return { view, coordinator: holder.c };
}

/** `tierwise worker`: the engine and the scheduler without HTTP, delivering through the configured channels. */
export async function startWorker(opts: Omit<EngineOptions, 'node' | 'delivery'> & { nodeId?: string }): Promise<RunningEngine & { node: string | undefined }> {
  const node = await nodeFor(opts.store, opts.nodeId);
  const delivery = makeTransports(toChannelSettings((opts.config as TierwiseConfig).channels));
  const running = await startEngine({ ...opts, node, delivery }).catch((err: unknown) => { delivery.close(); throw err; });
  return { ...running, node: node?.coordinator.lease.node };
}

// The HTTP server with the dashboard mounted at `/`, reached from the CLI through here (cli/, http/
// and dashboard/ never import each other).
// With the engine, the playbook scheduler runs too, delivering through the configured channels.
// On a PostgreSQL store the engine runs as one node of several (nodeFor).
export async function startServer(opts: StartOptions & { nodeId?: string }): Promise<RunningServer> {
  const delivery = opts.delivery ?? (opts.runEngine ? makeTransports(toChannelSettings(opts.config.channels), opts.crm ?? toCrmSettings(opts.config.crm)) : undefined);
  const node = opts.node ?? (opts.runEngine ? await nodeFor(opts.store, opts.nodeId) : undefined);
  return startHttpServer({ ...opts, delivery, node, extraRoutes: opts.extraRoutes ?? dashboardFor }).catch((err: unknown) => {
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
    moments: ctx.moments, team: deps.playbooks.team.members, playbooks: deps.playbooks.playbooks, sales: salesOfDeps(deps), ...(deps.playbooks.holdout ? { holdout: deps.playbooks.holdout } : {}),
    actions: pipelineActions(deps, engine, runner ? (fn) => runner.exclusive(fn) : undefined),
    trustProxy: ctx.http.trust_proxy,
    loginRate: { perMinute: ctx.http.login_rate_limit.per_minute, burst: ctx.http.login_rate_limit.burst },
  });
}
