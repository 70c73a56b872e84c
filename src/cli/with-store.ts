// Commands that need the store but not the engine (keys, outbox): open it from the flags, run, close.
import type { Store } from '../app/ports.ts';
import { openStore } from '../compose.ts';
import { loadConfig, resolveConfigPath, resolveDbPath } from '../config/load.ts';

export interface StoreFlags { db?: string; config?: string; json?: boolean }

export async function withStore<T>(flags: StoreFlags, fn: (store: Store) => Promise<T>): Promise<T> {
  const cfg = loadConfig(resolveConfigPath(flags.config));
  const store = await openStore(resolveDbPath(flags.db, cfg));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
