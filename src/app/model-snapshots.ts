// Weekly snapshots of every account for training a propensity model: the features as the engine saw
// them that morning, and whether the account expanded (a higher plan, or more MRR on its plan, paid)
// within the horizon after it, read from the subscription history.
import type { Catalog } from '../core/catalog/types.ts';
import type { TierwiseEvent } from '../core/events/types.ts';
import { featureVector } from '../core/model/features.ts';
import type { Snapshot } from '../core/model/train.ts';
import { segmentOf } from '../core/offers/routing.ts';
import { evaluate } from '../core/scoring/evaluate.ts';
import { ProfileBuilder } from '../core/scoring/profile.ts';
import type { EngineSettings } from '../core/scoring/settings.ts';
import { emptyState } from '../core/state/create.ts';
import { fold } from '../core/state/fold.ts';
import { dayOf } from '../core/state/time.ts';
import type { AccountState } from '../core/state/types.ts';
import type { EventStore } from './ports.ts';

const DAY = 86_400_000;

export interface SnapshotOptions {
  catalog: Catalog;
  settings: EngineSettings;
  horizonDays: number;
  /** days between snapshots (7: weekly) */
  everyDays?: number;
  /** no snapshot before this many days of history */
  warmupDays?: number;
  /** only snapshots at or after this time (ms) */
  from?: number;
  /** keep snapshots whose label is not known yet (their horizon runs past the data), labelled false */
  unlabelled?: boolean;
}

export interface SnapshotSet {
  snapshots: Snapshot[];
  /** the first and last event times */
  dataFrom: number;
  dataTo: number;
  expansions: number;
}

/** Per account, the times it expanded: moved up the ladder or paid more on the same plan. */
export function expansionTimes(events: readonly TierwiseEvent[], catalog: Catalog): Map<string, number[]> {
  const rank = new Map(catalog.plans.map((p) => [p.id, p.rank]));
  const last = new Map<string, { rank: number; mrr: number; status: string }>();
  const out = new Map<string, number[]>();
  for (const e of events) {
    if (e.type !== 'subscription') continue;
    const r = rank.get(e.plan) ?? 0;
    const prev = last.get(e.account);
    last.set(e.account, { rank: r, mrr: e.mrr, status: e.status });
    if (!prev || prev.status === 'canceled' || (e.status !== 'active' && e.status !== 'past_due')) continue;
    if (r > prev.rank || (r === prev.rank && e.mrr > prev.mrr)) {
      const list = out.get(e.account) ?? [];
      list.push(e.ts);
      out.set(e.account, list);
    }
  }
  return out;
}

/** Snapshots from events in time order (a simulated world, or the store's log sorted). */
export function snapshotsFromEvents(events: readonly TierwiseEvent[], o: SnapshotOptions): SnapshotSet {
  if (events.length === 0) return { snapshots: [], dataFrom: 0, dataTo: 0, expansions: 0 };
  const dataFrom = events[0]!.ts;
  const dataTo = events[events.length - 1]!.ts;
  const grown = expansionTimes(events, o.catalog);
  const every = (o.everyDays ?? 7) * DAY;
  const horizon = o.horizonDays * DAY;
  const states = new Map<string, AccountState>();
  const snapshots: Snapshot[] = [];
  let next = 0;
  // mornings (09:00 UTC) from the end of the warm-up
  for (let now = (dayOf(dataFrom) + (o.warmupDays ?? 28)) * DAY + 9 * 3_600_000; now <= dataTo; now += every) {
    while (next < events.length && events[next]!.ts < now) {
      const e = events[next++]!;
      let s = states.get(e.account);
      if (!s) states.set(e.account, (s = emptyState(e.account)));
      fold(s, e, o.catalog);
    }
    if ((o.from !== undefined && now < o.from) || (!o.unlabelled && now + horizon > dataTo)) continue;
    const pb = new ProfileBuilder();
    for (const s of states.values()) pb.add(s, dayOf(now));
    const env = { catalog: o.catalog, settings: o.settings, profiles: pb.build() };
    for (const s of states.values()) {
      if (!s.plan || s.status === 'canceled') continue; // nothing to expand from
      const ev = evaluate(s, env, now, { offer: false });
      const x = featureVector(ev, s, o.catalog, segmentOf(s.segment, s.employees, o.settings.offers));
      const y = (grown.get(s.account) ?? []).some((t) => t > now && t <= now + horizon);
      snapshots.push({ account: s.account, at: now, x, y, rulesScore: ev.score.score });
    }
  }
  let expansions = 0;
  for (const l of grown.values()) expansions += l.length;
  return { snapshots, dataFrom, dataTo, expansions };
}

/** The store's whole log in time order (training is a batch job; the log of a few million events fits). */
export async function eventsInTimeOrder(store: EventStore): Promise<TierwiseEvent[]> {
  const events: TierwiseEvent[] = [];
  for await (const e of store.readEvents()) events.push(e.event);
  return events.sort((a, b) => a.ts - b.ts);
}
