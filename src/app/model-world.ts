// A simulated world's events parsed and in time order: what the backtest and the model table train on.
import type { Catalog } from '../core/catalog/types.ts';
import type { TierwiseEvent } from '../core/events/types.ts';
import type { AccountTruth } from '../sim/types.ts';
import { simulateInMemory } from '../sim/world.ts';
import { parseCanonical } from '../sources/canonical.ts';

export interface ParsedWorld { events: TierwiseEvent[]; truth: AccountTruth[] }

export function simulateParsed(o: { accounts: number; days: number; seed: number; startMs: number; catalog: Catalog }): ParsedWorld {
  const world = simulateInMemory(o);
  const events: TierwiseEvent[] = [];
  for (const line of world.events.split('\n')) {
    if (!line) continue;
    const r = parseCanonical(JSON.parse(line));
    if (r.ok) events.push(r.event);
  }
  events.sort((a, b) => a.ts - b.ts);
  return { events, truth: world.truth };
}
