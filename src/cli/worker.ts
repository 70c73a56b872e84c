// `tierwise worker`: the signal engine and the playbook scheduler without HTTP. On a PostgreSQL
// store it is one node among several and works on its share of the account partitions.
import type { Command } from 'commander';
import { describeStore, openStore } from '../open-store.ts';
import { loadConfig, resolveConfigPath, resolveDbPath } from '../config/load.ts';
import { nodeOptions, nodeSettings, onStopSignals, type NodeFlags } from './node-flags.ts';

interface WorkerFlags extends NodeFlags { db?: string; config?: string }

export function registerWorker(program: Command): void {
  nodeOptions(program.command('worker')
    .description('run the signal engine and the playbook scheduler (with outbox delivery) without the HTTP API')
    .option('--db <path|url>', 'store file or postgres:// URL (default: $TIERWISE_DB, the config\'s store.url or store.path, or .tierwise/tierwise.db)')
    .option('-c, --config <file>', 'config file'))
    .addHelpText('after', `
On PostgreSQL, run as many workers and servers as you like: the accounts are split into 64
partitions, each owned by one node at a time (a session advisory lock); nodes take a fair share
each, and a node that dies loses its partitions at once to the others. See docs/deploy.md.
On SQLite, run one worker or one \`tierwise serve\` with the engine per store file, not both.
SIGTERM or SIGINT stops it gracefully: the last pass finishes, states are saved, partitions released.`)
    .action(async (flags: WorkerFlags) => {
      const cfg = loadConfig(resolveConfigPath(flags.config));
      const dbPath = resolveDbPath(flags.db, cfg);
      const settings = nodeSettings(flags);
      const store = await openStore(dbPath);
      const { startWorker } = await import('../compose.ts');
      const w = await startWorker({ store, config: cfg, now: Date.now, ...settings });
      process.stdout.write(`tierwise worker: running${w.node ? ` as node ${w.node}` : ''} (store ${describeStore(dbPath)})\n`);
      onStopSignals('worker', async () => {
        await w.stop();
        await store.close();
      });
    });
}
