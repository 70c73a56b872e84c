// Shared set-up for the HTTP tests: a config with a Segment mapping, keys, canonical events.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { parse } from 'yaml';
import { createApiKey } from '../../src/app/keys.ts';
import type { Store } from '../../src/app/ports.ts';
import { createMemoryStore } from '../../src/adapters/memory/memory-store.ts';
import type { RunningServer } from '../../src/http/server.ts';
import { configSchema, type TierwiseConfig } from '../../src/config/schema.ts';
import { EXAMPLE_CONFIG } from '../../src/config/load.ts';

export const SEGMENT_MAPPING = {
  account_property: 'account_id',
  track: {
    'API Call': { type: 'usage', meter: 'api_calls', quantity: { property: 'count', default: 1 } },
    'Upgrade Modal Viewed': { type: 'gate', feature: { property: 'feature' } },
  },
};

export function testConfig(extra: Record<string, unknown> = {}): TierwiseConfig {
  const base = parse(readFileSync(EXAMPLE_CONFIG, 'utf8')) as Record<string, unknown>;
  return configSchema.parse({ ...base, segment: SEGMENT_MAPPING, ...extra });
}

export async function keysFor(store: Store): Promise<{ ingest: string; admin: string }> {
  const now = Date.now();
  return { ingest: (await createApiKey(store, 'ingest', 'test', now)).key, admin: (await createApiKey(store, 'admin', 'test', now)).key };
}

export const usageWire = (i: number, account = 'acme', ts = '2026-03-01T10:00:00Z') =>
  ({ id: `e${i}`, ts, account, type: 'usage', meter: 'api_calls', quantity: 1 + (i % 5) });

export interface LiveServer {
  readonly store: Store;
  readonly server: RunningServer;
  readonly keys: { ingest: string; admin: string };
}

/** A server on a fresh memory store with an ingest and an admin key, for one test file. */
export function useServer(start: (store: Store) => Promise<RunningServer>): LiveServer {
  const live = {} as { store: Store; server: RunningServer; keys: { ingest: string; admin: string } };
  beforeAll(async () => {
    live.store = createMemoryStore();
    live.keys = await keysFor(live.store);
    live.server = await start(live.store);
  });
  afterAll(async () => {
    await live.server.close();
    await live.store.close();
  });
  return live;
}
