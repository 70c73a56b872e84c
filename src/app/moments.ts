// What a server request reads at a moment (one clock, docs/adr/0011-one-clock.md): the HTTP read
// routes' `?as_of=` and the dashboard's date picker. Without a moment the live engine answers at the
// wall clock; with one, an engine at that moment does: a read-only view of the live states when no
// event is after it, else a replay from the nearest checkpoint. The few latest ones are kept, so
// paging through a list at one moment replays once.
import type { Catalog } from '../core/catalog/types.ts';
import type { EngineSettings } from '../core/scoring/settings.ts';
import { parseAsOf, resolveMoment, type Moment } from './clock.ts';
import type { Engine } from './engine.ts';
import type { Store } from './ports.ts';
import { engineAtMoment } from './scoring-session.ts';

export interface MomentDeps {
  store: Store;
  catalog: Catalog;
  settings: EngineSettings;
  /** the server's live engine, if it runs one */
  live: () => Engine | undefined;
  /** the wall clock (epoch ms) */
  clock: () => number;
}

const KEEP = 4;

export class Moments {
  private readonly cache = new Map<string, Promise<Engine>>();

  constructor(private readonly deps: MomentDeps) {}

  /** The moment for an `as_of` text (undefined or '' = the wall clock); undefined when the text is not a moment. */
  async resolve(asOfText: string | undefined): Promise<Moment | undefined> {
    const asOf = asOfText === undefined || asOfText === '' ? undefined : parseAsOf(asOfText);
    if (asOfText !== undefined && asOfText !== '' && asOf === undefined) return undefined;
    return resolveMoment({ asOf, clock: this.deps.clock(), dataEnds: await this.deps.store.latestEventTs() });
  }

  /**
   * The engine to read at the moment: the live one for the wall clock (its ranking is as of its last
   * tick, at most a minute old; explain runs at the moment itself), else one scored at the moment.
   */
  async engineAt(m: Moment): Promise<Engine | undefined> {
    const live = this.deps.live();
    if (!live || m.source === 'clock') return live;
    const key = `${m.now}:${live.seq}`;
    let e = this.cache.get(key);
    if (!e) {
      e = engineAtMoment(live, this.deps.store, this.deps.catalog, this.deps.settings, m);
      this.cache.set(key, e);
      e.catch(() => this.cache.delete(key));
      while (this.cache.size > KEEP) this.cache.delete(this.cache.keys().next().value as string);
    }
    return e;
  }
}
