// Binds the app to a port and shuts it down gracefully: stop accepting, let requests in flight
// finish, commit what the ingest queue holds, then close the store.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { openEngine } from '../app/engine.ts';
import { latestModel } from '../app/model-store.ts';
import type { Transports } from '../app/delivery.ts';
import { EngineRunner } from '../app/engine-runner.ts';
import { PlaybookRunner } from '../app/playbook-runner.ts';
import type { PartitionCoordinator } from '../app/partition-coordinator.ts';
import type { Store } from '../app/ports.ts';
import type { TierwiseConfig } from '../config/schema.ts';
import { toCatalog } from '../config/catalog-from-config.ts';
import { toEngineSettings } from '../config/engine-schema.ts';
import { toChannelSettings } from '../config/playbooks-schema.ts';
import { createApp, type TierwiseApp } from './app.ts';
import type { HttpDeps } from './context.ts';
import { playbookDepsFor } from './playbook-context.ts';
import { crmSystems, toCrmSettings, type CrmSettings } from '../config/crm-schema.ts';

export interface StartOptions extends HttpDeps {
  port: number;
  host: string;
  /** run the signal engine in the server (default false here; `tierwise serve` turns it on) */
  runEngine?: boolean;
  /** engine cycle in ms (default 500) */
  engineCycleMs?: number;
  /** engine state saves every this many ms (default 30 000) */
  saveMs?: number;
  /** playbook scheduler pass every this many ms (default 60 000); it runs whenever the engine does */
  playbookRunMs?: number;
  /** outbox delivery every this many ms (default 5 000) */
  deliverMs?: number;
  /** the outbound transports (compose.ts builds them from channels:); without them the outbox waits */
  delivery?: { transports: Transports; close(): void } | undefined;
  /** on a shared PostgreSQL store: this node's view and partition coordinator (compose.ts builds them) */
  node?: { view: Store; coordinator: PartitionCoordinator } | undefined;
}

export interface RunningServer {
  url: string;
  port: number;
  tierwise: TierwiseApp;
  /** Stops the server and drains the ingest queue; the caller closes the store. */
  close(): Promise<void>;
}

export interface EngineOptions {
  store: Store;
  config: TierwiseConfig;
  now: () => number;
  /** a node on a shared PostgreSQL store: the engine and scheduler work on its partitions only */
  node?: { view: Store; coordinator: PartitionCoordinator } | undefined;
  engineCycleMs?: number | undefined;
  /** how often the engine saves states (default 30 s) */
  saveMs?: number | undefined;
  playbookRunMs?: number | undefined;
  deliverMs?: number | undefined;
  delivery?: { transports: Transports; close(): void } | undefined;
  /** the CRMs the scheduler syncs CSM / AE opportunities into (default: config.crm and the environment) */
  crm?: CrmSettings | undefined;
  onCycle?: (seconds: number) => void;
  onPass?: (seconds: number) => void;
  log?: (message: string, err?: unknown) => void;
}

export interface RunningEngine {
  runner: EngineRunner;
  playbooks: PlaybookRunner;
  /** the scheduler's last pass, then the engine saves; a node then gives its partitions back */
  stop(): Promise<void>;
}

/** The signal engine and the playbook scheduler, started (`tierwise serve` runs them beside HTTP, `tierwise worker` alone). */
export async function startEngine(opts: EngineOptions): Promise<RunningEngine> {
  const log = opts.log ?? ((m: string, err?: unknown) => console.error(m, err ?? ''));
  const store = opts.node?.view ?? opts.store;
  // Opening folds whatever the log holds beyond the saved states (a node: none until it takes partitions).
  // the latest trained model ranks inside each priority tier while it beats the rules (tierwise model train);
  // a node folds only its partitions: its states are no checkpoint of the whole log (ADR 0011), so it writes none
  const engine = await openEngine({ store, catalog: toCatalog(opts.config), settings: toEngineSettings(opts.config), model: (await latestModel(opts.store))?.model, ...(opts.node ? { checkpointDays: 0 } : {}) });
  const coordinator = opts.node?.coordinator;
  const runner = new EngineRunner(engine, store, {
    now: opts.now,
    ...(opts.engineCycleMs !== undefined ? { cycleMs: opts.engineCycleMs } : {}),
    ...(opts.saveMs !== undefined ? { saveMs: opts.saveMs } : {}),
    ...(coordinator ? { beforeCycle: async () => { await coordinator.sync(engine); } } : {}),
    // a node folds its partitions only: the events committed here may be another node's
    takeStored: !coordinator,
    onCycle: (c) => opts.onCycle?.(c.seconds),
    onError: (err) => log('tierwise: engine cycle failed:', err),
  });
  const channels = toChannelSettings(opts.config.channels);
  const playbooks = new PlaybookRunner(playbookDepsFor(store, opts.config, channels), engine, {
    now: opts.now, retry: channels.retry, transports: opts.delivery?.transports, crm: crmSystems(opts.crm ?? toCrmSettings(opts.config.crm)),
    ...(opts.playbookRunMs !== undefined ? { runMs: opts.playbookRunMs } : {}),
    ...(opts.deliverMs !== undefined ? { deliverMs: opts.deliverMs } : {}),
    onPass: (p) => opts.onPass?.(p.seconds),
    onError: (err) => log('tierwise: playbook pass failed:', err),
  });
  if (coordinator) coordinator.exclusive = (fn) => playbooks.exclusive(fn);
  runner.start();
  playbooks.start();
  return {
    runner, playbooks,
    async stop() {
      await playbooks.stop();
      opts.delivery?.close();
      await runner.stop();
      await coordinator?.close(engine);
    },
  };
}

export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const now = opts.now ?? Date.now;
  // The runner reports to the app's metrics, which exist only once the app is created below.
  const late: { app?: TierwiseApp } = {};
  const running = opts.runEngine
    ? await startEngine({
      store: opts.store, config: opts.config, now, node: opts.node, engineCycleMs: opts.engineCycleMs, saveMs: opts.saveMs, playbookRunMs: opts.playbookRunMs,
      deliverMs: opts.deliverMs, delivery: opts.delivery, crm: opts.crm,
      onCycle: (s) => late.app?.ctx.metrics.engineCycleSeconds.observe(s),
      onPass: (s) => late.app?.ctx.metrics.playbookPassSeconds.observe(s),
      log: (m, err) => console.error(m.replace('tierwise:', 'tierwise serve:'), err),
    })
    : undefined;
  const runner = running?.runner;
  const playbooks = running?.playbooks;
  const app = createApp({ ...opts, now, engine: runner, playbooks });
  late.app = app;
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.app.fetch, port: opts.port, hostname: opts.host }, () => resolve(s));
    s.once('error', reject);
  });
  // Node's defaults drop idle keep-alive sockets after 5 s; load balancers keep theirs longer.
  if ('keepAliveTimeout' in server) server.keepAliveTimeout = 65_000;
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${addr.port}`,
    port: addr.port,
    tierwise: app,
    close() {
      closing ??= (async () => {
        app.ctx.ready = false;
        // The scheduler stops at once: delivery attempts in flight are cancelled (they stay pending).
        const scheduler = playbooks?.stop();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Idle keep-alive sockets would hold close() open; busy ones finish their request first.
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        });
        await app.ctx.queue.drain();
        // The scheduler first: its last pass reads the engine, which then saves and stops.
        await scheduler;
        // stops the (already stopped) scheduler, closes delivery, saves the engine, gives partitions back
        if (running) await running.stop();
        else opts.delivery?.close();
      })();
      return closing;
    },
  };
}
