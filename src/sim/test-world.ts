// A shared small world for the tests: the example catalog, generated once per test file.
import { EXAMPLE_CONFIG, loadConfig } from '../config/load.ts';
import { toCatalog } from '../config/catalog-from-config.ts';
import type { Catalog } from '../core/catalog/types.ts';
import { simulateInMemory } from './world.ts';

export const START_MS = Date.UTC(2026, 0, 1);

export function exampleCatalog(): Catalog {
  return toCatalog(loadConfig(EXAMPLE_CONFIG));
}

export function smallWorld(accounts: number, days: number, seed: number): ReturnType<typeof simulateInMemory> {
  return simulateInMemory({ accounts, days, seed, startMs: START_MS, catalog: exampleCatalog() });
}
