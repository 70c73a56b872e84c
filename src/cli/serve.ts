import type { Command } from 'commander';
import { loadConfig, resolveConfigPath, resolveDbPath } from '../config/load.ts';
import { stripeWebhookSecret } from '../config/http-env.ts';
import { describeStore, openStore } from '../open-store.ts';
import { UsageError } from './output.ts';
import { nodeOptions, nodeSettings, onStopSignals, type NodeFlags } from './node-flags.ts';

interface ServeFlags extends NodeFlags { port: string; host: string; db?: string; config?: string; engine?: boolean }

export function registerServe(program: Command): void {
  nodeOptions(program.command('serve')
    .description('run the HTTP API: ingest (canonical, Segment, Stripe), decide, pipeline, read endpoints, /metrics, /openapi.json')
    .option('-p, --port <n>', 'port (0 picks a free one)', '8080')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--db <path>', 'store file (default: $TIERWISE_DB, the config\'s store.path, or .tierwise/tierwise.db)')
    .option('-c, --config <file>', 'config file')
    .option('--no-engine', 'ingest only: run neither the signal engine nor the playbook scheduler (no ranked accounts, explain, decide or trials)'))
    .addHelpText('after', `
Requests need an API key (tierwise keys create --scope ingest|admin). Stripe webhooks need
stripe.webhook_secret or TIERWISE_STRIPE_WEBHOOK_SECRET. The signal engine runs in the server: new
events are folded as they are committed and rescored at most every 250 ms, every account ticks each minute; the playbook scheduler
runs each minute and delivers the outbox every 5 s. SIGTERM or SIGINT stops it gracefully:
requests in flight finish and every acknowledged event is committed. See docs/http-api.md.
With --db postgres://..., several servers and workers share one store (docs/deploy.md).`)
    .action(async (flags: ServeFlags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port must be 0-65535, got "${flags.port}"`);
      const cfg = loadConfig(resolveConfigPath(flags.config));
      const dbPath = resolveDbPath(flags.db, cfg);
      const settings = nodeSettings(flags);
      // TIERWISE_SQLITE_APPEND_THREAD=1: the append on a second thread (docs/adr/0014-live-path-speed.md:
      // it pays only where the server has a core to itself; on a shared 2-core machine it cost more CPU per event)
      const store = await openStore(dbPath, { appendThread: process.env['TIERWISE_SQLITE_APPEND_THREAD'] === '1' });
      // the server's side is loaded here, not with the CLI: every other command starts without it
      const { startServer } = await import('../compose.ts');
      const server = await startServer({ store, config: cfg, stripeSecret: stripeWebhookSecret(cfg), port, host: flags.host, runEngine: flags.engine !== false, ...settings });
      process.stdout.write(`tierwise: listening on ${server.url} (store ${describeStore(dbPath)})\n`);
      if ((await store.listKeys()).every((k) => k.revokedAt !== undefined)) {
        process.stderr.write('tierwise: no API key yet; create one with `tierwise keys create --scope ingest`\n');
      }
      onStopSignals('serve', async () => {
        await server.close();
        await store.close();
      });
    });
}
