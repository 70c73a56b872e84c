// The signal engine: events -> account state -> rescore only what changed, plus tick(now) for
// time-based signals. It codes against the ports only; states persist through the StateStore so
// a restart resumes from the last folded seq instead of replaying the log.
import type { Catalog } from '../core/catalog/types.ts';
import type { TierwiseEvent } from '../core/events/types.ts';
import { segmentOf } from '../core/offers/routing.ts';
import { evaluate, type Evaluation } from '../core/scoring/evaluate.ts';
import { ProfileBuilder } from '../core/scoring/profile.ts';
import type { EngineSettings } from '../core/scoring/settings.ts';
import type { PropensityModel } from '../core/model/train.ts';
import type { PriorityTier } from '../core/scoring/priority.ts';
import type { Stage } from '../core/scoring/stage.ts';
import type { PlanProfiles } from '../core/signals/types.ts';
import { emptyState } from '../core/state/create.ts';
import { fold } from '../core/state/fold.ts';
import { deserializeState, serializeState } from '../core/state/serialize.ts';
import { dayOf } from '../core/state/time.ts';
import type { AccountState } from '../core/state/types.ts';
import type { CheckpointInfo, CheckpointStore, EventStore, StateEntry, StateStore, StoredEvent } from './ports.ts';

export const SEQ_META_KEY = 'engine.seq';

/** One account's ranking line: what `tierwise accounts` lists. */
export interface AccountScore {
  account: string;
  plan: string;
  segment: string;
  stage: Stage;
  score: number;
  /** sort on this: every ready account above every other, disqualified below, nothing to offer last */
  priority: number;
  tier: PriorityTier;
  ready: boolean;
  placeholder: boolean;
  /** the strongest positive signal's sentence, or why it is not ready */
  top: string;
  /** the positive signals that fire (what playbook triggers match on) */
  signals: string[];
  reasons: string[];
}

export interface EngineDeps {
  store: EventStore & StateStore & CheckpointStore;
  catalog: Catalog;
  settings: EngineSettings;
  /** a trained propensity model (`tierwise model train`); ranks inside each priority tier while active */
  model?: PropensityModel | undefined;
  /** days between state checkpoints (default CHECKPOINT_DAYS); 0 writes none */
  checkpointDays?: number;
}

/**
 * A checkpoint every this many days of event time (docs/adr/0011-one-clock.md): an `--as-of` replay
 * folds at most this many days of events on top of one. Each holds only the accounts that changed
 * since the one before, about a week of a busy account's state.
 */
export const CHECKPOINT_DAYS = 7;
const DAY = 86_400_000;

export interface FoldReport { events: number; accounts: number; seq: number }

function summarize(ev: Evaluation, segment: string): AccountScore {
  let top = '';
  let best = -1;
  const signals: string[] = [];
  for (const s of ev.signals) {
    if (s.kind !== 'positive') continue;
    signals.push(s.id);
    if (s.strength > best) { best = s.strength; top = s.evidence.sentence; }
  }
  return {
    account: ev.account, plan: ev.plan, segment, stage: ev.stage.stage, score: ev.score.score, priority: ev.priority.value, tier: ev.priority.tier, ready: ev.qualification.ready,
    placeholder: ev.placeholder, top, signals, reasons: ev.qualification.reasons,
  };
}

export class Engine {
  readonly states = new Map<string, AccountState>();
  readonly scores = new Map<string, AccountScore>();
  /** the seq of the last event folded into each state (restart safety: never fold an event twice) */
  private readonly stateSeq = new Map<string, number>();
  private readonly dirty = new Set<string>();
  private readonly unsaved = new Set<string>();
  private profiles: PlanProfiles | undefined;
  seq = 0;
  /** the newest event time folded (engine-wide): a checkpoint at B needs every folded event before B */
  private maxTs = 0;
  private lastCheckpoint: CheckpointInfo = { at: 0, seq: 0 };
  private readonly pendingCheckpoints: { cp: CheckpointInfo; entries: StateEntry[] }[] = [];

  /** readOnly: an as-of replay never writes states (nor checkpoints) back */
  constructor(private readonly deps: EngineDeps, private readonly readOnly = false) {}

  /** A read-only engine over the same states, scored at its own moment (what `?as_of=` reads when no event is after it). */
  view(): Engine {
    const v = new Engine(this.deps, true);
    for (const [id, s] of this.states) v.states.set(id, s);
    v.seq = this.seq;
    return v;
  }

  /** Loads persisted states and the last folded seq. */
  async load(): Promise<number> {
    let n = 0;
    for await (const entry of this.deps.store.loadAllStates()) {
      this.states.set(entry.account, deserializeState(entry.state));
      this.stateSeq.set(entry.account, entry.seq);
      this.dirty.add(entry.account);
      n++;
    }
    const meta = await this.deps.store.getMeta(SEQ_META_KEY);
    this.seq = meta ? Number(meta) : 0;
    this.maxTs = this.latestTs();
    this.lastCheckpoint = (await this.deps.store.findCheckpoint(Number.POSITIVE_INFINITY)) ?? { at: 0, seq: 0 };
    return n;
  }

  /** Starts from a checkpoint's states instead of event 0 (an as-of replay). */
  async loadCheckpoint(cp: CheckpointInfo): Promise<void> {
    for await (const entry of this.deps.store.loadCheckpoint(cp.at)) {
      this.states.set(entry.account, deserializeState(entry.state));
      this.stateSeq.set(entry.account, entry.seq);
      this.dirty.add(entry.account);
    }
    this.seq = cp.seq;
    this.maxTs = this.latestTs();
    this.lastCheckpoint = cp;
  }

  /** Folds events already in the store (seq order). O(1) per event. */
  foldStored(batch: Iterable<StoredEvent>): FoldReport {
    const before = this.dirty.size;
    let events = 0;
    const every = this.readOnly ? 0 : (this.deps.checkpointDays ?? CHECKPOINT_DAYS) * DAY;
    for (const { seq, event } of batch) {
      if (seq <= this.seq) continue;
      if (every > 0 && event.ts >= this.lastCheckpoint.at + every) this.maybeCheckpoint(event.ts, every);
      this.foldOne(event, seq);
      if (event.ts > this.maxTs) this.maxTs = event.ts;
      this.seq = seq;
      events++;
    }
    return { events, accounts: this.dirty.size - before, seq: this.seq };
  }

  /**
   * Before folding an event at `ts`: if every event folded so far is before the checkpoint boundary
   * at or below `ts`, the states as they stand are that boundary's checkpoint. Only the accounts
   * changed since the last checkpoint are written (the rest are as in an earlier one).
   */
  private maybeCheckpoint(ts: number, every: number): void {
    const at = Math.floor(ts / every) * every;
    if (at <= this.lastCheckpoint.at || this.maxTs >= at || this.seq === 0) return;
    const entries: StateEntry[] = [];
    for (const [id, s] of this.states) {
      const seq = this.stateSeq.get(id) ?? 0;
      if (seq > this.lastCheckpoint.seq) entries.push({ account: id, state: serializeState(s), seq });
    }
    this.lastCheckpoint = { at, seq: this.seq };
    this.pendingCheckpoints.push({ cp: this.lastCheckpoint, entries });
  }

  /** Writes the checkpoints taken while folding (before the states, so a crash leaves no gap). */
  async saveCheckpoints(): Promise<number> {
    let n = 0;
    for (const p of this.pendingCheckpoints.splice(0)) {
      await this.deps.store.saveCheckpoint(p.cp, p.entries);
      n++;
    }
    return n;
  }

  private foldOne(event: TierwiseEvent, seq: number): void {
    const id = event.account;
    if ((this.stateSeq.get(id) ?? 0) >= seq) return; // already in the persisted state
    let s = this.states.get(id);
    if (!s) this.states.set(id, (s = emptyState(id)));
    fold(s, event, this.deps.catalog);
    this.stateSeq.set(id, seq);
    this.dirty.add(id);
    this.unsaved.add(id);
  }

  /**
   * Takes over saved states (a node acquired their partitions): they replace what this engine held
   * for those accounts, and are rescored at the next rescore.
   */
  adopt(entries: Iterable<StateEntry>): number {
    let n = 0;
    for (const entry of entries) {
      this.states.set(entry.account, deserializeState(entry.state));
      this.stateSeq.set(entry.account, entry.seq);
      this.dirty.add(entry.account);
      n++;
    }
    return n;
  }

  /**
   * Folds events at or below the engine's seq that it has not seen (an adopted partition catching up
   * to the rest); each account's own seq keeps an event from being folded twice.
   */
  foldBehind(batch: Iterable<StoredEvent>): number {
    let n = 0;
    for (const { seq, event } of batch) {
      if (seq > this.seq) break;
      if ((this.stateSeq.get(event.account) ?? 0) >= seq) continue;
      this.foldOne(event, seq);
      n++;
    }
    return n;
  }

  /** Forgets the accounts `which` picks (a node gave their partitions away; save first). */
  drop(which: (account: string) => boolean): number {
    let n = 0;
    for (const id of [...this.states.keys()]) {
      if (!which(id)) continue;
      this.states.delete(id);
      this.scores.delete(id);
      this.stateSeq.delete(id);
      this.dirty.delete(id);
      this.unsaved.delete(id);
      n++;
    }
    return n;
  }

  /** Reads and folds everything appended after the last folded seq; `onFolded` hears the running count after each batch. */
  async catchUp(batchSize = 10_000, onFolded?: (events: number) => void): Promise<FoldReport> {
    let events = 0;
    const start = this.dirty.size;
    for (;;) {
      const batch: StoredEvent[] = [];
      for await (const e of this.deps.store.readEvents({ afterSeq: this.seq, limit: batchSize })) batch.push(e);
      if (batch.length === 0) break;
      events += this.foldStored(batch).events;
      onFolded?.(events);
      if (this.pendingCheckpoints.length > 0) await this.saveCheckpoints();
      if (batch.length < batchSize) break;
    }
    return { events, accounts: this.dirty.size - start, seq: this.seq };
  }

  /** Appends to the log (deduped by id), then folds what was new. */
  async ingest(events: readonly TierwiseEvent[]): Promise<FoldReport> {
    await this.deps.store.appendEvents(events);
    return this.catchUp();
  }

  /** Rescores the accounts that changed since the last rescore (or all of them). */
  rescore(now: number, opts: { all?: boolean } = {}): number {
    const env = { catalog: this.deps.catalog, settings: this.deps.settings, profiles: this.profiles, model: this.deps.model };
    const ids = opts.all ? this.states.keys() : this.dirty.values();
    let n = 0;
    for (const id of ids) {
      const s = this.states.get(id);
      if (!s) continue;
      this.scores.set(id, summarize(evaluate(s, env, now, { offer: false }), segmentOf(s.segment, s.employees, this.deps.settings.offers)));
      n++;
    }
    this.dirty.clear();
    return n;
  }

  /** the moment of the last full tick (0 before one): what the ranking is as of */
  scoredAt = 0;

  /** Time moved: every account's windows shifted, so recompute plan profiles and rescore all. */
  tick(now: number): number {
    this.scoredAt = now;
    this.refreshProfiles(now);
    return this.rescore(now, { all: true });
  }

  refreshProfiles(now: number): PlanProfiles {
    const b = new ProfileBuilder();
    const today = dayOf(now);
    for (const s of this.states.values()) b.add(s, today);
    this.profiles = b.build();
    return this.profiles;
  }

  /** Everything about one account: state, signals with evidence, stage, score, qualification, offer. */
  explain(account: string, now: number): Evaluation | undefined {
    const s = this.states.get(account);
    if (!s) return undefined;
    return evaluate(s, { catalog: this.deps.catalog, settings: this.deps.settings, profiles: this.profiles, model: this.deps.model }, now, { offer: true });
  }

  ranked(): AccountScore[] {
    return [...this.scores.values()].sort((a, b) => b.priority - a.priority || a.account.localeCompare(b.account));
  }

  /** Persists the changed states with their seq, then the engine's seq. */
  async save(): Promise<number> {
    if (this.readOnly) return 0;
    await this.saveCheckpoints();
    const entries: StateEntry[] = [];
    for (const id of this.unsaved) {
      const s = this.states.get(id);
      if (s) entries.push({ account: id, state: serializeState(s), seq: this.stateSeq.get(id) ?? this.seq });
    }
    if (this.deps.store.saveFold) {
      await this.deps.store.saveFold(entries, this.seq);
    } else {
      if (entries.length > 0) await this.deps.store.saveStates(entries);
      await this.deps.store.setMeta(SEQ_META_KEY, String(this.seq));
    }
    this.unsaved.clear();
    return entries.length;
  }

  /** The latest event time folded, for a default `now` when scoring a recorded world. */
  latestTs(): number {
    let t = 0;
    for (const s of this.states.values()) if (s.lastTs > t) t = s.lastTs;
    return t;
  }
}

/** Opens an engine on a store: loads saved states and folds what the log has beyond them. */
export async function openEngine(deps: EngineDeps, onFolded?: (events: number) => void): Promise<Engine> {
  const engine = new Engine(deps);
  await engine.load();
  await engine.catchUp(undefined, onFolded);
  return engine;
}

/**
 * History as of a date: the events with ts < asOf folded into states (no saved state is touched),
 * so `--as-of` shows what the engine would have said that day. It starts from the newest
 * checkpoint at or before `asOf` and folds only the events after it.
 */
export async function engineAsOf(deps: EngineDeps, asOf: number, onFolded?: (events: number) => void): Promise<Engine> {
  const engine = new Engine(deps, true);
  const cp = await deps.store.findCheckpoint(asOf);
  if (cp) await engine.loadCheckpoint(cp);
  const batch: StoredEvent[] = [];
  let folded = 0;
  const flush = () => { folded += engine.foldStored(batch).events; batch.length = 0; onFolded?.(folded); };
  for await (const e of deps.store.readEvents({ to: asOf, afterSeq: cp?.seq ?? 0 })) {
    batch.push(e);
    if (batch.length >= 10_000) flush();
  }
  flush();
  return engine;
}
