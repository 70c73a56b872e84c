// What every scoring surface shares (CLI commands, HTTP read routes, the dashboard): an engine over
// a store at one moment, resolved by the one-clock rule (src/app/clock.ts).
import type { Catalog } from '../core/catalog/types.ts';
import type { EngineSettings } from '../core/scoring/settings.ts';
import { resolveMoment, type Moment } from './clock.ts';
import { engineAsOf, openEngine, type Engine } from './engine.ts';
import { latestModel } from './model-store.ts';
import type { CheckpointStore, EventStore, StateStore } from './ports.ts';

export { parseAsOf } from './clock.ts';

export interface ScoringSession {
  engine: Engine;
  now: number;
  /** true when the state was replayed to a past moment (events after it left out) */
  asOf: boolean;
  moment: Moment;
}

type ScoringStore = EventStore & StateStore & CheckpointStore;

/**
 * Opens the engine at the moment: `asOf` when given, else the wall clock (`clock`, read here when
 * not given). The persisted
 * state, brought up to date (only events not yet folded are folded, and saved), serves every moment
 * at or after the newest event; an earlier moment is replayed from the nearest checkpoint before it.
 */
export async function openScoring(store: ScoringStore, catalog: Catalog, settings: EngineSettings,
  opts: { asOf?: number | undefined; clock?: number; onFolded?: (events: number) => void } = {}): Promise<ScoringSession> {
  const dataEnds = await store.latestEventTs();
  const moment = resolveMoment({ asOf: opts.asOf, clock: opts.clock ?? Date.now(), dataEnds });
  // the latest trained model ranks inside each priority tier while it beats the rules (tierwise model train)
  const model = (await latestModel(store))?.model;
  const deps = { store, catalog, settings, model };
  if (opts.asOf !== undefined && opts.asOf < dataEnds) {
    const engine = await engineAsOf(deps, opts.asOf + 1, opts.onFolded);
    engine.tick(moment.now);
    return { engine, now: moment.now, asOf: true, moment };
  }
  const engine = await openEngine(deps, opts.onFolded);
  await engine.save();
  engine.tick(moment.now);
  return { engine, now: moment.now, asOf: false, moment };
}

/**
 * The engine a server request reads at `asOf`: the live engine's states when no event is after
 * the moment (a read-only view, scored at that moment), else a replay from the nearest checkpoint.
 * `live` is the server's engine; its own scores (at the wall clock) are left alone.
 */
export async function engineAtMoment(live: Engine, store: ScoringStore, catalog: Catalog, settings: EngineSettings, moment: Moment): Promise<Engine> {
  if (moment.now >= moment.dataEnds) {
    const v = live.view();
    v.tick(moment.now);
    return v;
  }
  const engine = await engineAsOf({ store, catalog, settings, model: (await latestModel(store))?.model }, moment.now + 1);
  engine.tick(moment.now);
  return engine;
}
