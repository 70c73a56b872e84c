// Binds the app to a port and shuts it down gracefully: stop accepting, let requests in flight
// finish, commit what the ingest queue holds, then close the store.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { openEngine } from '../app/engine.ts';
import type { Transports } from '../app/delivery.ts';
import { EngineRunner } from '../app/engine-runner.ts';
import { PlaybookRunner } from '../app/playbook-runner.ts';
import { toCatalog } from '../config/catalog-from-config.ts';
import { toEngineSettings } from '../config/engine-schema.ts';
import { toChannelSettings } from '../config/playbooks-schema.ts';
import { createApp, type TierwiseApp } from './app.ts';
import type { HttpDeps } from './context.ts';
import { playbookDepsFor } from './playbook-context.ts';

export interface StartOptions extends HttpDeps {
  port: number;
  host: string;
  /** run the signal engine in the server (default false here; `tierwise serve` turns it on) */
  runEngine?: boolean;
  /** engine cycle in ms (default 500) */
  engineCycleMs?: number;
  /** playbook scheduler pass every this many ms (default 60 000); it runs whenever the engine does */
  playbookRunMs?: number;
  /** outbox delivery every this many ms (default 5 000) */
  deliverMs?: number;
  /** the outbound transports (compose.ts builds them from channels:); without them the outbox waits */
  delivery?: { transports: Transports; close(): void } | undefined;
}

export interface RunningServer {
  url: string;
  port: number;
  tierwise: TierwiseApp;
  /** Stops the server and drains the ingest queue; the caller closes the store. */
  close(): Promise<void>;
}

export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const now = opts.now ?? Date.now;
  let runner: EngineRunner | undefined;
  let playbooks: PlaybookRunner | undefined;
  // The runner reports to the app's metrics, which exist only once the app is created below.
  const late: { app?: TierwiseApp } = {};
  if (opts.runEngine) {
    // Opening folds whatever the log holds beyond the saved states, before the port opens.
    const engine = await openEngine({ store: opts.store, catalog: toCatalog(opts.config), settings: toEngineSettings(opts.config) });
    runner = new EngineRunner(engine, opts.store, {
      now,
      ...(opts.engineCycleMs !== undefined ? { cycleMs: opts.engineCycleMs } : {}),
      onCycle: (c) => late.app?.ctx.metrics.engineCycleSeconds.observe(c.seconds),
      onError: (err) => console.error('tierwise serve: engine cycle failed:', err),
    });
    runner.start();
    const channels = toChannelSettings(opts.config.channels);
    playbooks = new PlaybookRunner(playbookDepsFor(opts.store, opts.config, channels), engine, {
      now, retry: channels.retry, transports: opts.delivery?.transports,
      ...(opts.playbookRunMs !== undefined ? { runMs: opts.playbookRunMs } : {}),
      ...(opts.deliverMs !== undefined ? { deliverMs: opts.deliverMs } : {}),
      onPass: (p) => late.app?.ctx.metrics.playbookPassSeconds.observe(p.seconds),
      onError: (err) => console.error('tierwise serve: playbook pass failed:', err),
    });
    playbooks.start();
  }
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
        opts.delivery?.close();
        await runner?.stop();
      })();
      return closing;
    },
  };
}
