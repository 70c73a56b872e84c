// What the score / accounts / explain commands share: an engine over a store, at a chosen time.
import type { Catalog } from '../core/catalog/types.ts';
import type { EngineSettings } from '../core/scoring/settings.ts';
import { engineAsOf, openEngine, type Engine } from './engine.ts';
import { latestModel } from './model-store.ts';
import type { EventStore, StateStore } from './ports.ts';

export interface ScoringSession { engine: Engine; now: number; asOf: boolean }

/** A YYYY-MM-DD date means the end of that day (UTC); a full timestamp means that instant. */
export function parseAsOf(text: string): number | undefined {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const t = Date.parse(day ? `${text}T00:00:00Z` : text);
  if (!Number.isFinite(t)) return undefined;
  return day ? t + 86_400_000 - 1 : t;
}

/**
 * Opens the engine: as of a past time by replaying the log (nothing saved), or live, resuming from
 * saved states and saving what it folded. Live `now` defaults to the latest event's time, so a
 * recorded world is scored as it stood at its end; pass `clock` to score at wall-clock time.
 */
export async function openScoring(store: EventStore & StateStore, catalog: Catalog, settings: EngineSettings,
  opts: { asOf?: number | undefined; clock?: number | undefined } = {}): Promise<ScoringSession> {
  // the latest trained model ranks inside each priority tier while it beats the rules (tierwise model train)
  const model = (await latestModel(store))?.model;
  if (opts.asOf !== undefined) {
    const engine = await engineAsOf({ store, catalog, settings, model }, opts.asOf + 1);
    engine.tick(opts.asOf);
    return { engine, now: opts.asOf, asOf: true };
  }
  const engine = await openEngine({ store, catalog, settings, model });
  await engine.save();
  const latest = engine.latestTs();
  const now = opts.clock ?? (latest > 0 ? latest : 0);
  engine.tick(now);
  return { engine, now, asOf: false };
}
