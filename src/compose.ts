// The composition root: config -> adapters -> services. The CLI, the server and tests start here.
import { openSqliteStore } from './adapters/sqlite/sqlite-store.ts';
import { createMemoryStore } from './adapters/memory/memory-store.ts';
import type { Store } from './app/ports.ts';

/** Opens the store at a path; ':memory:' gives the in-memory store. */
export async function openStore(path: string): Promise<Store> {
  return path === ':memory:' ? createMemoryStore() : openSqliteStore(path);
}

// The HTTP server, reached from the CLI through here (cli/ and http/ never import each other).
export { startServer, type RunningServer, type StartOptions } from './http/server.ts';
