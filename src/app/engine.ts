// The signal engine: events -> account state -> rescore only what changed, plus tick(now) for
// time-based signals. It codes against the ports only; states persist through the StateStore so
// a restart resumes from the last folded seq instead of replaying the log.
import type { Catalog } from '../core/catalog/types.ts';
import type { TierwiseEvent } from '../core/events/types.ts';
import { segmentOf } from '../core/offers/routing.ts';
import { DETECTORS } from '../core/signals/registry.ts';
import { extractRow, ScoreColumns, SIG, SIGNAL_ORDER } from '../core/scoring/columns.ts';
import { evaluate, type EvalEnv, type Evaluation } from '../core/scoring/evaluate.ts';
import { growKernelOut, kernelOut, rescoreColumns } from '../core/scoring/kernel.ts';
import { ProfileBuilder } from '../core/scoring/profile.ts';
import type { EngineSettings, SignalId } from '../core/scoring/settings.ts';
import type { PropensityModel } from '../core/model/train.ts';
import { PRIORITY_TIERS, type PriorityTier } from '../core/scoring/priority.ts';
import { STAGES, type Stage } from '../core/scoring/stage.ts';
import type { PlanProfiles } from '../core/signals/types.ts';
import { emptyState } from '../core/state/create.ts';
import { fold } from '../core/state/fold.ts';
import { deserializeState, serializeState } from '../core/state/serialize.ts';
import { dayOf } from '../core/state/time.ts';
import type { AccountState } from '../core/state/types.ts';
import type { CheckpointInfo, CheckpointStore, EventStore, StateEntry, StateStore, StoredEvent } from './ports.ts';
import { topSlots } from './top-slots.ts';

export const SEQ_META_KEY = 'engine.seq';

/** One account's numbers in the ranking (no sentences): what surfaces filter, sort and count on. */
export interface RankedRow {
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
  /** the positive signals that fire (what playbook triggers match on), in registry order; shared, do not change */
  signals: readonly string[];
}

/** Which rows of the ranking a list surface shows: the filter (each unset one keeps all), then a window of it. */
export interface RankedQuery {
  stage?: Stage | undefined;
  segment?: string | undefined;
  ready?: boolean | undefined;
  offset: number;
  limit: number;
}

/** A window of the filtered ranking and how many rows the filter keeps. */
export interface RankedPage { total: number; rows: RankedRow[] }

/**
 * One account's ranking line: what `tierwise accounts` lists (the numbers plus evaluate()'s sentences).
 * Its JSON keeps the order summarize() builds: the row's fields with `top` before `signals`, `reasons` last.
 */
export interface AccountScore extends Omit<RankedRow, 'signals'> {
  /** the strongest positive signal's sentence, or why it is not ready */
  top: string;
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

/** the bits of the positive detectors in a kernel's `fires` mask */
const POSITIVE_BITS = DETECTORS.reduce((m, d, k) => (d.kind === 'positive' ? m | (1 << k) : m), 0);
/** one frozen id list per distinct mask of firing positives (few distinct masks, a million rows) */
const signalLists = new Map<number, readonly string[]>();
function signalsOf(fires: number): readonly string[] {
  const mask = fires & POSITIVE_BITS;
  let list = signalLists.get(mask);
  if (!list) {
    const ids: string[] = [];
    for (let k = 0; k < SIGNAL_ORDER.length; k++) if ((mask & (1 << k)) !== 0) ids.push(SIGNAL_ORDER[k]!);
    signalLists.set(mask, (list = Object.freeze(ids)));
  }
  return list;
}
const byId = new Intl.Collator().compare; // the order of String.prototype.localeCompare without arguments
/**
 * page() sorts every match (on the cached id order) once the page ends past 1/DEEP_PAGE of them:
 * there a heap would take in most matches, each paying comparisons that may collate two ids.
 */
export const DEEP_PAGE = 8;

/** An evaluation as a ranking line (what the numbers and sentences of a surface are checked against). */
export function summarize(ev: Evaluation, segment: string): AccountScore {
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
  // The scores live in slots (docs/adr/0015-columnar-rescore.md): each account's row of day-decided
  // numbers (ScoreColumns), the kernel's output for it and the moment it was scored at. The
  // sentences (top, reasons) are made by evaluate() only for the accounts a surface shows.
  private readonly slotOf = new Map<string, number>();
  private readonly ids: string[] = [];
  private cols = new ScoreColumns(1024);
  /**
   * Rows extracted ahead for `aheadScan.day` (tomorrow, by extractAhead) from the states as they are:
   * a state change sets its row's day to -1. Made by the first extractAhead (a view or a CLI engine
   * never pays its memory); the day's first full rescore takes its rows instead of extracting them.
   */
  private ahead: ScoreColumns | undefined;
  /** where extractAhead stopped, for which day; the slots behind it invalidated since are in aheadStale */
  private aheadScan = { day: -1, slot: 0 };
  private aheadStale: number[] = [];
  private out = kernelOut(1024);
  /** the moment each slot was scored at; NaN: not scored yet */
  private slotNow = new Float64Array(1024).fill(Number.NaN);
  private readonly planOf: string[] = [];
  private readonly segmentOfSlot: string[] = [];
  private placeholderOf = new Uint8Array(1024);
  /** lines with sentences a surface asked for, per slot, until the slot is rescored */
  private readonly lines = new Map<number, AccountScore>();
  /** each slot's place in account-id order (the ranking's tie break); undefined once the slots change */
  private idRank: Int32Array | undefined;
  /** where extractForDay stopped, for which day (a scan from slot 0 per slice would be quadratic at 1M accounts) */
  private dayScan = { day: -1, slot: 0 };
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

  /** what a row's extraction and the kernel read (the profiles come per rescore) */
  private readonly rowEnv: { catalog: Catalog; settings: EngineSettings };

  /** readOnly: an as-of replay never writes states (nor checkpoints) back */
  constructor(private readonly deps: EngineDeps, private readonly readOnly = false) {
    this.rowEnv = { catalog: deps.catalog, settings: deps.settings };
  }

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
      this.changed(entry.account);
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
      this.changed(entry.account);
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
    this.changed(id);
    this.unsaved.add(id);
  }

  /**
   * The account's state changed (a fold, a state put in place): it is rescored at the next rescore,
   * and its row extracted ahead no longer says what the state says (extractAhead does it again).
   */
  private changed(id: string): void {
    this.dirty.add(id);
    const a = this.ahead;
    if (!a) return;
    const slot = this.slotOf.get(id);
    if (slot === undefined || a.day[slot] === -1) return;
    a.day[slot] = -1;
    // the scan takes the slots in front of it; behind it, the list is what is left to redo
    if (slot < this.aheadScan.slot) this.aheadStale.push(slot);
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
      this.changed(entry.account);
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
      this.stateSeq.delete(id);
      this.dirty.delete(id);
      this.unsaved.delete(id);
      n++;
    }
    if (n > 0) this.closeGaps();
    return n;
  }

  /** Moves the kept accounts' slots down over the forgotten ones' (rows, numbers and lines go with them). */
  private closeGaps(): void {
    const o = this.out;
    const lines = new Map<number, AccountScore>();
    let to = 0;
    for (let from = 0; from < this.ids.length; from++) {
      const id = this.ids[from]!;
      if (!this.states.has(id)) { this.slotOf.delete(id); continue; }
      if (from !== to) {
        this.cols.move(from, to);
        this.ahead?.move(from, to);
        for (const a of [o.score, o.stage, o.ready, o.tier, o.priority, o.fires]) a[to] = a[from]!;
        this.slotNow[to] = this.slotNow[from]!;
        this.placeholderOf[to] = this.placeholderOf[from]!;
        this.planOf[to] = this.planOf[from]!;
        this.segmentOfSlot[to] = this.segmentOfSlot[from]!;
        this.ids[to] = id;
        this.slotOf.set(id, to);
      }
      const line = this.lines.get(from);
      if (line) lines.set(to, line);
      to++;
    }
    this.ids.length = to;
    this.planOf.length = to;
    this.segmentOfSlot.length = to;
    this.slotNow.fill(Number.NaN, to);
    this.cols.day.fill(-1, to);
    this.ahead?.day.fill(-1, to);
    this.lines.clear();
    for (const [slot, line] of lines) this.lines.set(slot, line);
    this.idRank = undefined;
    this.dayScan = { day: -1, slot: 0 };
    // the stale list names old slots: a scan from slot 0 finds them (and skips the moved rows that are done)
    this.aheadScan.slot = 0;
    this.aheadStale = [];
  }

  private slotFor(id: string): number {
    let slot = this.slotOf.get(id);
    if (slot !== undefined) return slot;
    slot = this.ids.length;
    this.ids.push(id);
    this.slotOf.set(id, slot);
    this.reserve(slot + 1);
    this.idRank = undefined;
    return slot;
  }

  /** Room for n slots (a full rescore asks for every state's at once: one allocation, not a doubling per thousand). */
  private reserve(n: number): void {
    this.cols.grow(n);
    this.ahead?.grow(this.cols.capacity);
    const cap = this.cols.capacity;
    this.out = growKernelOut(this.out, cap);
    if (this.slotNow.length < cap) {
      const now = new Float64Array(cap).fill(Number.NaN);
      now.set(this.slotNow);
      this.slotNow = now;
      const ph = new Uint8Array(cap);
      ph.set(this.placeholderOf);
      this.placeholderOf = ph;
    }
  }

  /** The account's row for `today`, and what the ranking shows beside its numbers. */
  private extract(slot: number, s: AccountState, today: number): void {
    extractRow(this.cols, slot, s, this.rowEnv, today);
    this.planOf[slot] = s.plan;
    this.segmentOfSlot[slot] = segmentOf(s.segment, s.employees, this.deps.settings.offers);
    this.placeholderOf[slot] = s.described ? 0 : 1;
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

  /**
   * Rescores the accounts that changed since the last rescore, or all of them (then the plan profiles
   * are rebuilt first). By the columnar kernel: a changed account's row is extracted again, and on a
   * full rescore every row not extracted for dayOf(now) too (a day's first tick pays extraction for
   * all, later ones only the kernel). With an active propensity model, evaluate() per account.
   */
  rescore(now: number, opts: { all?: boolean; limit?: number } = {}): number {
    if (this.deps.model?.active) return this.rescoreByEvaluate(now, opts.all === true, opts.limit);
    const today = dayOf(now);
    const env = this.rowEnv;
    const changed: number[] = [];
    for (const id of this.takeDirty(opts.all ? undefined : opts.limit)) {
      const s = this.states.get(id);
      if (!s) continue;
      const slot = this.slotFor(id);
      this.extract(slot, s, today);
      changed.push(slot);
    }
    if (!opts.all) {
      if (changed.length === 0) return 0;
      // the profiles of the last full rescore; {} is "none" (the configured floors), as evaluate() without them
      rescoreColumns(this.cols, changed.length, { ...env, profiles: this.profiles ?? {} }, now, this.out, Int32Array.from(changed));
      for (const slot of changed) { this.slotNow[slot] = now; this.lines.delete(slot); }
      return changed.length;
    }
    // states put in place without a fold get a slot; rows of another day are taken from the ones
    // extracted ahead for today, or extracted for today (the kernel throws on any row left stale)
    this.reserve(this.states.size);
    if (this.ids.length !== this.states.size) for (const [id, s] of this.states) if (!this.slotOf.has(id)) this.extract(this.slotFor(id), s, today);
    this.extractDay(today, Number.POSITIVE_INFINITY);
    const n = this.ids.length;
    this.profiles = rescoreColumns(this.cols, n, env, now, this.out);
    this.slotNow.fill(now, 0, n);
    this.lines.clear();
    return n;
  }

  /** The model-ranked path: evaluate() per account (the priority is the model's probability, which needs its feature vector). */
  private rescoreByEvaluate(now: number, all: boolean, limit: number | undefined): number {
    if (all) this.refreshProfiles(now);
    const env = this.evalEnv();
    const o = this.out;
    let n = 0;
    const ids = all ? [...this.states.keys()] : this.takeDirty(limit);
    if (all) this.dirty.clear();
    for (const id of ids) {
      const s = this.states.get(id);
      if (!s) continue;
      const slot = this.slotFor(id);
      const ev = evaluate(s, env, now, { offer: false });
      const line = summarize(ev, segmentOf(s.segment, s.employees, this.deps.settings.offers));
      let fires = 0;
      for (const sig of ev.signals) fires |= 1 << SIG[sig.id as SignalId];
      o.score[slot] = line.score;
      o.stage[slot] = STAGES.indexOf(line.stage);
      o.ready[slot] = line.ready ? 1 : 0;
      o.tier[slot] = PRIORITY_TIERS.indexOf(line.tier);
      o.priority[slot] = line.priority;
      o.fires[slot] = fires;
      this.planOf[slot] = line.plan;
      this.segmentOfSlot[slot] = line.segment;
      this.placeholderOf[slot] = line.placeholder ? 1 : 0;
      this.slotNow[slot] = now;
      this.lines.set(slot, line);
      n++;
    }
    return n;
  }

  /** Takes up to `limit` of the accounts folded since their last rescore (all without a limit) off the dirty set. */
  private takeDirty(limit: number | undefined): string[] {
    if (limit === undefined || limit >= this.dirty.size) {
      const all = [...this.dirty];
      this.dirty.clear();
      return all;
    }
    const some: string[] = [];
    for (const id of this.dirty) {
      if (some.length >= limit) break;
      some.push(id);
    }
    for (const id of some) this.dirty.delete(id);
    return some;
  }

  /** accounts folded since their last rescore: what `rescore(now)` would take up */
  get unscored(): number {
    return this.dirty.size;
  }

  /**
   * Extracts up to `limit` rows that are not for dayOf(now) yet, so a server can spread a day's first
   * full rescore over several turns of its event loop; the tick that follows finds them done. Returns
   * how many it extracted (fewer than `limit`: none is left).
   */
  extractForDay(now: number, limit: number): number {
    return this.deps.model?.active ? 0 : this.extractDay(dayOf(now), limit);
  }

  /** extractForDay's work (a full rescore runs it without a limit): rows taken from the ahead set first, then extracted */
  private extractDay(today: number, limit: number): number {
    this.takeAhead(today);
    if (this.dayScan.day !== today) this.dayScan = { day: today, slot: 0 };
    const day = this.cols.day;
    let n = 0;
    let slot = this.dayScan.slot;
    for (; slot < this.ids.length && n < limit; slot++) {
      if (day[slot] === today) continue;
      const s = this.states.get(this.ids[slot]!);
      if (!s) continue;
      this.extract(slot, s, today);
      n++;
    }
    this.dayScan.slot = slot;
    return n;
  }

  /**
   * Extracts up to `limit` rows for tomorrow (dayOf(now) + 1) that are not extracted for it yet or
   * whose state changed since, so the first full rescore of tomorrow takes them instead of
   * extracting every row then (docs/adr/0015-columnar-rescore.md, "Rows ahead of the day"). Returns
   * how many it extracted (fewer than `limit`: every row is ready, until a state changes). The
   * ranking is untouched: these rows are scored only tomorrow. None with an active model (no columns).
   */
  extractAhead(now: number, limit: number): number {
    if (this.deps.model?.active) return 0;
    const today = dayOf(now);
    // rows extracted ahead for today, not taken by a full rescore yet: taken now, before they are overwritten
    this.takeAhead(today);
    const target = today + 1;
    const a = (this.ahead ??= new ScoreColumns(this.cols.capacity));
    if (this.aheadScan.day !== target) {
      this.aheadScan = { day: target, slot: 0 };
      this.aheadStale = [];
    }
    const env = this.rowEnv;
    const extract = (slot: number): boolean => {
      const s = this.states.get(this.ids[slot]!);
      if (!s) return false;
      // the row only: the plan, segment and placeholder shown beside today's numbers stay those of the state scored
      extractRow(a, slot, s, env, target);
      return true;
    };
    let n = 0;
    while (n < limit && this.aheadStale.length > 0) {
      const slot = this.aheadStale.pop()!;
      if (slot < this.ids.length && a.day[slot] !== target && extract(slot)) n++;
    }
    let slot = this.aheadScan.slot;
    for (; slot < this.ids.length && n < limit; slot++) if (a.day[slot] !== target && extract(slot)) n++;
    this.aheadScan.slot = slot;
    return n;
  }

  /**
   * Moves the rows extracted ahead for `today` into the day's columns, once: by swapping the two
   * column sets when the ahead rows are the more (a day's first full rescore: no copy of a million
   * rows), then copying per slot the rows for today that only the other set holds. A row is taken
   * only when its state has not changed since it was extracted (changed() sets its day to -1), so it
   * is the row extract() would make now; the plan, segment and placeholder beside it are already the
   * state's (every state change is rescored before the account counts as clean). The rows left in
   * the set that becomes `ahead` are forgotten: only extractAhead's rows are ever taken.
   */
  private takeAhead(today: number): void {
    const a = this.ahead;
    if (!a || this.aheadScan.day !== today) return;
    const n = this.ids.length;
    let inAhead = 0;
    let inCols = 0;
    for (let slot = 0; slot < n; slot++) {
      if (a.day[slot] === today) inAhead++;
      if (this.cols.day[slot] === today) inCols++;
    }
    let from = a;
    if (inAhead > inCols) {
      from = this.cols;
      this.ahead = this.cols;
      this.cols = a;
    }
    const day = this.cols.day;
    const take: number[] = [];
    for (let slot = 0; slot < n; slot++) if (day[slot] !== today && from.day[slot] === today) take.push(slot);
    this.cols.copyRows(from, take);
    this.ahead!.day.fill(-1);
    this.aheadScan = { day: -1, slot: 0 };
    this.aheadStale = [];
    this.dayScan = { day: -1, slot: 0 };
  }

  /** the moment of the last full tick (0 before one): what the ranking is as of */
  scoredAt = 0;

  /** Time moved: every account's windows shifted, so recompute plan profiles and rescore all. */
  tick(now: number): number {
    this.scoredAt = now;
    return this.rescore(now, { all: true });
  }

  refreshProfiles(now: number): PlanProfiles {
    const b = new ProfileBuilder();
    const today = dayOf(now);
    for (const s of this.states.values()) b.add(s, today);
    this.profiles = b.build();
    return this.profiles;
  }

  /** what evaluate() reads: the catalog, the settings, the last full rescore's profiles and the model */
  private evalEnv(): EvalEnv {
    return { catalog: this.deps.catalog, settings: this.deps.settings, profiles: this.profiles, model: this.deps.model };
  }

  /** Everything about one account: state, signals with evidence, stage, score, qualification, offer. */
  explain(account: string, now: number): Evaluation | undefined {
    const s = this.states.get(account);
    if (!s) return undefined;
    return evaluate(s, this.evalEnv(), now, { offer: true });
  }

  /** whether the account has been scored (a folded account is not until the next rescore) */
  hasScore(account: string): boolean {
    const slot = this.slotOf.get(account);
    return slot !== undefined && !Number.isNaN(this.slotNow[slot]!);
  }

  /** The account's numbers as last scored (no sentences). */
  row(account: string): RankedRow | undefined {
    const slot = this.slotOf.get(account);
    return slot === undefined || Number.isNaN(this.slotNow[slot]!) ? undefined : this.rowAt(slot);
  }

  private rowAt(slot: number): RankedRow {
    const o = this.out;
    return {
      account: this.ids[slot]!, plan: this.planOf[slot]!, segment: this.segmentOfSlot[slot]!, stage: STAGES[o.stage[slot]!]!, score: o.score[slot]!,
      priority: o.priority[slot]!, tier: PRIORITY_TIERS[o.tier[slot]!]!, ready: o.ready[slot] === 1, placeholder: this.placeholderOf[slot] === 1, signals: signalsOf(o.fires[slot]!),
    };
  }

  /**
   * The account's whole line: the numbers as last scored, with the top sentence and the reasons
   * evaluate() gives at the moment they were scored at (made once per slot until it is rescored).
   * A state folded since (not rescored yet) speaks in the sentences, not in the numbers.
   */
  line(account: string): AccountScore | undefined {
    const slot = this.slotOf.get(account);
    if (slot === undefined || Number.isNaN(this.slotNow[slot]!)) return undefined;
    let line = this.lines.get(slot);
    if (line) return line;
    const s = this.states.get(account)!;
    const ev = evaluate(s, this.evalEnv(), this.slotNow[slot]!, { offer: false });
    const why = summarize(ev, this.segmentOfSlot[slot]!);
    const r = this.rowAt(slot);
    line = {
      account: r.account, plan: r.plan, segment: r.segment, stage: r.stage, score: r.score, priority: r.priority, tier: r.tier, ready: r.ready,
      placeholder: r.placeholder, top: why.top, signals: [...r.signals], reasons: why.reasons,
    };
    this.lines.set(slot, line);
    return line;
  }

  /** The lines of the rows a surface shows (a page, a top N): sentences for those only. */
  withWhy(rows: readonly RankedRow[]): AccountScore[] {
    return rows.map((r) => this.line(r.account)!);
  }

  /** Every scored account's numbers, by priority (highest first), then account id. */
  ranked(): RankedRow[] {
    const n = this.ids.length;
    const idx = new Int32Array(n);
    let m = 0;
    for (let i = 0; i < n; i++) if (!Number.isNaN(this.slotNow[i]!)) idx[m++] = i;
    const order = this.sortSlots(idx.subarray(0, m));
    const rows = new Array<RankedRow>(m);
    for (let k = 0; k < m; k++) rows[k] = this.rowAt(order[k]!);
    return rows;
  }

  /** page()'s matching slots (reused: its contents mean nothing between calls) */
  private pageScratch = new Int32Array(0);

  /**
   * `ranked()` filtered, then rows offset..offset+limit of it, and the filtered count: the filter
   * reads the slots' numbers, and only the page's rows are made. A page near the top is picked by
   * a bounded heap that breaks priority ties on the ids themselves (no sort of every slot, no
   * account-id order built for it); a page deep in the list sorts the matches as ranked() does.
   */
  page(q: RankedQuery): RankedPage {
    if (!(Number.isInteger(q.offset) && q.offset >= 0 && Number.isInteger(q.limit) && q.limit >= 0)) throw new RangeError(`page: offset and limit must be integers >= 0, got ${q.offset} and ${q.limit}`);
    const n = this.ids.length;
    const o = this.out;
    const stage = q.stage === undefined ? -1 : STAGES.indexOf(q.stage);
    // the matches go in an array kept between pages: a read per request need not allocate 4 MB per million accounts
    if (this.pageScratch.length < n) this.pageScratch = new Int32Array(Math.max(n, 2 * this.pageScratch.length));
    const idx = this.pageScratch;
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(this.slotNow[i]!)) continue;
      if (q.stage !== undefined && o.stage[i] !== stage) continue;
      if (q.ready !== undefined && (o.ready[i] === 1) !== q.ready) continue;
      if (q.segment !== undefined && this.segmentOfSlot[i] !== q.segment) continue;
      idx[m++] = i;
    }
    const end = Math.min(m, q.offset + q.limit);
    if (q.offset >= end) return { total: m, rows: [] };
    const matches = idx.subarray(0, m);
    const pri = o.priority;
    const ids = this.ids;
    const rank = this.idRank;
    // ranked()'s order: priority (highest first), then account id, then slot where two ids collate
    // equal (where ranked()'s stable sort of the ids leaves them); the id order when one is cached
    // (the same order, and cheaper than collating)
    const before = rank
      ? (a: number, b: number): boolean => { const d = pri[a]! - pri[b]!; return d !== 0 ? d > 0 : rank[a]! < rank[b]!; }
      : (a: number, b: number): boolean => {
        const d = pri[a]! - pri[b]!;
        if (d !== 0) return d > 0;
        const c = byId(ids[a]!, ids[b]!);
        return c !== 0 ? c < 0 : a < b;
      };
    const order = end * DEEP_PAGE <= m ? topSlots(matches, end, before) : this.sortSlots(matches);
    const rows = new Array<RankedRow>(end - q.offset);
    for (let k = q.offset; k < end; k++) rows[k - q.offset] = this.rowAt(order[k]!);
    return { total: m, rows };
  }

  /** the slots in the ranking's order (in place), on the cached account-id order */
  private sortSlots(slots: Int32Array): Int32Array {
    const rank = this.idRanks();
    const pri = this.out.priority;
    return slots.sort((a, b) => pri[b]! - pri[a]! || rank[a]! - rank[b]!);
  }

  private idRanks(): Int32Array {
    if (this.idRank) return this.idRank;
    const n = this.ids.length;
    const slots = Array.from({ length: n }, (_, i) => i).sort((a, b) => byId(this.ids[a]!, this.ids[b]!));
    const rank = new Int32Array(n);
    for (let k = 0; k < n; k++) rank[slots[k]!] = k;
    return (this.idRank = rank);
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
