// Commands that need the store but not the engine (keys, outbox): open it from the flags, run, close.
import type { Command } from 'commander';
import type { Store } from '../app/ports.ts';
import { openStore } from '../open-store.ts';
import { loadConfig, resolveConfigPath, resolveDbPath } from '../config/load.ts';
import type { TierwiseConfig } from '../config/schema.ts';

export interface StoreFlags { db?: string; config?: string; json?: boolean }

/** --db, --config and --json, as every store command takes them. */
export function storeOptions(cmd: Command): Command {
  return cmd
    .option('--db <path>', 'store file (default: $TIERWISE_DB, the config\'s store.path, or .tierwise/tierwise.db)')
    .option('-c, --config <file>', 'config file')
    .option('--json', 'print JSON');
}

export async function withStore<T>(flags: StoreFlags, fn: (store: Store, cfg: TierwiseConfig) => Promise<T>): Promise<T> {
  const cfg = loadConfig(resolveConfigPath(flags.config));
  const store = await openStore(resolveDbPath(flags.db, cfg));
  try {
    return await fn(store, cfg);
  } finally {
    await store.close();
  }
}
