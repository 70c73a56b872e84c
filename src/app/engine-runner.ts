// Runs the signal engine beside the server: every cycle folds what ingest committed since the
// last one and rescores the accounts it touched; every tick interval, time-based signals move
// (a full tick); states are saved now and then so a restart does not replay the whole log.
// A cycle starts when a commit lands (ingest calls notify()), as soon as the duty allows, so an
// event's signal waits for one fold rather than for a fixed timer; the timer still runs every
// cycleMs for what no commit announces (ticks, saves, other nodes' writes to a shared store).
// Committed events handed over from memory are folded at the next turn of the event loop, without
// waiting for the duty: a fold costs a few µs an event, and explain, decide and the moments read the
// folded state, so an event counts from then on. The rescore (and the ranking) waits for the cycle,
// which a commit starts no sooner than rescoreMs after the last rescore (one pass over the changed
// accounts: the fewer passes, the fewer times a busy account is rescored). In the last hour before
// midnight UTC, idle cycles extract tomorrow's rows (Engine.extractAhead), so the day's first tick
// costs about what a later one does.
import { DAY_MS, dayOf } from '../core/state/time.ts';
import type { Engine } from './engine.ts';
import type { EventStore, StoredEvent } from './ports.ts';

/** events folded between two yields to the event loop, so ingest requests interleave with a cycle */
const FOLD_SLICE = 2_000;
/** at most this many slices per cycle: under steady ingest the log grows while we fold, and a cycle
 * must end (rescore, metrics) rather than chase it forever; the next cycle takes up the rest */
const MAX_SLICES = 25;
/** accounts rescored (or rows extracted on a day's first tick) between two yields: ~20-40 ms of work */
const RESCORE_SLICE = 1_000;
/** at most this many slices of tomorrow's rows per idle cycle (~100-200 ms of work at 1M accounts): a
 * commit that lands during them waits for the duty after that work, not after a whole pass */
const AHEAD_SLICES = 5;
/** tomorrow's rows are extracted from this long before midnight UTC (default of aheadFromMs) */
const AHEAD_FROM_MS = 3_600_000;
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));
/** beyond this many events handed over and not yet folded, they are dropped and read back from the log instead */
const MAX_HANDED = 200_000;

export interface EngineRunnerOptions {
  /** epoch ms: the engine's `now` */
  now: () => number;
  /** how often a cycle runs with no commit announced (default 500 ms): ticks, saves, writes by other processes */
  cycleMs?: number;
  /**
   * the shortest gap between the starts of two cycles a commit asked for (default 20 ms): under
   * steady ingest each cycle then folds a few commits together, and an account that many of them
   * touch is rescored once per cycle, not once per commit
   */
  minGapMs?: number;
  /**
   * the shortest gap between the starts of two rescores that commits ask for (default 250 ms). The
   * events are folded as they are committed (explain, decide and the moments read the folded state);
   * the ranking waits for the rescore, and each account many commits touch is rescored once a gap
   * rather than once a commit: under full ingest the rescores were the engine's largest cost.
   */
  rescoreMs?: number;
  /** accounts rescored between two yields of the event loop (default RESCORE_SLICE) */
  rescoreSlice?: number;
  /**
   * from this long before midnight UTC (default 1 h), idle cycles extract tomorrow's rows
   * (Engine.extractAhead) and extract again those of the accounts that change, so the day's first
   * tick finds its rows ready; 0 turns it off
   */
  aheadFromMs?: number;
  /** how often to tick every account (default 60 s) */
  tickMs?: number;
  /** how often to save states (default 30 s) */
  saveMs?: number;
  /**
   * the share of the thread the engine may take (default 0.5): after a cycle that kept the thread
   * busy for t seconds (its yields to requests not counted) the next one waits at least
   * t x (1 - duty) / duty, so heavy ingest keeps the rest of the CPU and signals lag a little more
   * instead of acknowledgements slowing down
   */
  maxDuty?: number;
  /**
   * the committed events handed to notify() are folded from memory when they follow the engine's
   * seq without a gap (no read-back and JSON.parse of the log). Only where this process's engine
   * folds every event of the log: not a node of a shared store, which folds its partitions only.
   */
  takeStored?: boolean;
  /** runs before folding, at most once every cycleMs (a node's partition heartbeat and rebalance) */
  beforeCycle?: () => Promise<void>;
  onCycle?: (info: { seconds: number; lateSeconds: number; events: number }) => void;
  onError?: (err: unknown) => void;
}

export class EngineRunner {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** when the armed timer fires (performance.now() ms) */
  private timerDue = Number.POSITIVE_INFINITY;
  private running: Promise<void> | undefined;
  private lastTick = 0;
  private lastSave = 0;
  private lastBefore = Number.NEGATIVE_INFINITY;
  private started = false;
  private stopped = false;
  /** a commit landed (or a cycle left events unfolded) since the last cycle started */
  private wanted = false;
  /** committed events handed over by notify(), in seq order, not yet folded (a fast path: the log is the truth) */
  private handed: StoredEvent[][] = [];
  private handedCount = 0;
  /** when the last cycle started later than planned, by how much (seconds): the scheduler lag */
  lateSeconds = 0;
  /** a fold of the handed-over events is due at the next turn of the event loop */
  private folding = false;
  /**
   * something may be in the log that was not handed over (a commit announced without its events, a
   * hand-over dropped): the next cycle reads the log. A cycle the timer starts always reads it.
   */
  private readLog = true;
  /** the last fold or cycle threw, and no cycle has ended well since */
  private failing = false;
  /** events were folded since the last rescore (by a cycle or by a fold between cycles) */
  private unscored = false;
  /** when the last cycle that rescored started (performance.now() ms) */
  private lastRescore = Number.NEGATIVE_INFINITY;
  /** the last cycle's busy time (ms): its wall time less the yields, when requests had the thread */
  private lastCycleMs = 0;
  private lastCycleStart = 0;
  private lastCycleEnd = 0;

  constructor(readonly engine: Engine, private readonly store: EventStore, private readonly opts: EngineRunnerOptions) {}

  start(): void {
    this.lastTick = this.opts.now();
    this.lastSave = this.lastTick;
    this.engine.tick(this.lastTick);
    this.lastCycleStart = performance.now();
    this.lastCycleEnd = this.lastCycleStart;
    this.started = true;
    this.schedule();
  }

  /**
   * Events were committed: the next cycle starts as soon as the duty and minGapMs allow (at once
   * when the engine is idle), instead of at the timer. Cheap and idempotent: every commit calls it.
   */
  notify(stored?: readonly StoredEvent[]): void {
    if (this.stopped) return;
    if (stored && stored.length > 0 && this.opts.takeStored) {
      this.hand(stored);
      this.foldSoon();
    } else {
      this.readLog = true;
    }
    if (this.wanted) return;
    this.wanted = true;
    // a running cycle reschedules when it ends, and sees `wanted` then
    if (this.started && !this.running) this.schedule();
  }

  /** whether notify() uses the stored events it is given (the ingest queue asks the store for them only then) */
  get takesStored(): boolean {
    return this.opts.takeStored === true;
  }

  private hand(stored: readonly StoredEvent[]): void {
    if (this.handedCount + stored.length > MAX_HANDED) {
      // the engine is far behind: reading the log back costs less memory than holding it all
      this.handed = [];
      this.handedCount = 0;
      this.readLog = true;
      return;
    }
    this.handed.push(stored as StoredEvent[]);
    this.handedCount += stored.length;
  }

  /**
   * Folds the handed-over events at the next turn of the event loop, FOLD_SLICE per turn (requests
   * interleave), ahead of the cycle the duty holds back. Only events that follow the engine's seq:
   * at a gap it stops, and the cycle reads the log. Synchronous from take to fold, so a cycle folding
   * between its own yields never sees half of it; each side skips what the other folded (by seq).
   */
  private foldSoon(): void {
    if (this.folding || !this.started) return;
    this.folding = true;
    setImmediate(() => {
      this.folding = false;
      if (this.stopped) return;
      try {
        const slice = this.takeHanded(FOLD_SLICE);
        if (slice.length === 0) return;
        if (this.engine.foldStored(slice).events > 0) this.unscored = true;
      } catch (err) {
        this.failed();
        this.opts.onError?.(err);
        if (!this.running) this.schedule();
        return;
      }
      if (this.handed.length > 0) this.foldSoon();
    });
  }

  /**
   * Up to `limit` events that follow the engine's seq, from the handed-over commits; none if the
   * next one is not there (appended by another path, or dropped): the caller reads the log then.
   */
  private takeHanded(limit: number): StoredEvent[] {
    const out: StoredEvent[] = [];
    let next = this.engine.seq + 1;
    while (this.handed.length > 0 && out.length < limit) {
      const batch = this.handed[0] as StoredEvent[];
      // skip what the engine already folded (read back from the log before it was handed over)
      let i = 0;
      while (i < batch.length && (batch[i] as StoredEvent).seq < next) i++;
      for (; i < batch.length && out.length < limit; i++) {
        const e = batch[i] as StoredEvent;
        if (e.seq !== next) return out;
        out.push(e);
        next++;
      }
      if (i < batch.length) {
        this.handed[0] = batch.slice(i);
      } else {
        this.handed.shift();
      }
      this.handedCount -= i;
    }
    return out;
  }

  /** Runs one cycle now (tests; shutdown) and waits for it. */
  async cycle(): Promise<void> {
    return this.runCycle(true);
  }

  /** `readLog`: read the log after what was handed over, whatever was announced */
  private async runCycle(readLog: boolean): Promise<void> {
    while (this.running) await this.running;
    this.running = this.runOnce(readLog)
      .catch((err: unknown) => { this.failed(); throw err; })
      .finally(() => { this.running = undefined; });
    await this.running;
  }

  /**
   * A fold or a cycle threw: the events it had taken are read back from the log from the engine's
   * seq. A first failure asks for that cycle at once (the duty allowing), so a passing fault costs
   * one cycle, not the timer's wait; while failures repeat (a store that is down) the retries keep
   * to the timer instead of spinning.
   */
  private failed(): void {
    this.readLog = true;
    if (!this.failing) this.wanted = true;
    this.failing = true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.cycle();
    await this.engine.save();
  }

  /**
   * The next cycle: at once when a commit asked for one, else cycleMs after the last one started (a
   * cycle of 300 ms does not add a 500 ms pause to the lag); never sooner than the duty allows after
   * the last one ended, nor minGapMs after it started.
   */
  private schedule(): void {
    if (this.stopped) return;
    const duty = Math.min(1, Math.max(0.05, this.opts.maxDuty ?? 0.5));
    const floor = Math.max(this.lastCycleEnd + (this.lastCycleMs * (1 - duty)) / duty, this.lastCycleStart + (this.opts.minGapMs ?? 20));
    let planned = this.wanted ? 0 : this.lastCycleStart + (this.opts.cycleMs ?? 500);
    // every commit since was handed over and is folded between cycles: the cycle is for the rescore
    if (this.wanted && !this.readLog) planned = Math.max(planned, this.lastRescore + Math.max(0, this.opts.rescoreMs ?? 250));
    const due = Math.max(planned, floor);
    if (this.timer) {
      if (due >= this.timerDue) return;
      clearTimeout(this.timer);
    }
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerDue = Number.POSITIVE_INFINITY;
      this.lateSeconds = Math.max(0, (performance.now() - due) / 1000);
      // a cycle no commit asked for is the timer's: it reads what other writers appended
      this.runCycle(!this.wanted).catch((err: unknown) => this.opts.onError?.(err)).finally(() => this.schedule());
    }, Math.max(0, due - performance.now()));
    (this.timer as { unref?: () => void }).unref?.();
  }

  /**
   * Before midnight, in idle time: tomorrow's rows, a few slices a cycle, until they are all ready
   * (the ones that changed since are redone by the cycles that follow, until midnight). Stops when
   * a commit asks for a cycle or events were folded (the live path comes first) and at midnight.
   */
  private async extractAhead(now: number, slice: number, pause: () => Promise<void>): Promise<void> {
    const from = this.opts.aheadFromMs ?? AHEAD_FROM_MS;
    const idle = () => !this.stopped && !this.wanted && !this.unscored && this.handed.length === 0;
    const midnight = (dayOf(now) + 1) * DAY_MS;
    if (from <= 0 || now < midnight - from) return;
    for (let k = 0; k < AHEAD_SLICES; k++) {
      if (k > 0) {
        await pause();
        now = this.opts.now();
        if (now >= midnight) return;
      }
      if (!idle() || this.engine.extractAhead(now, slice) < slice) return;
    }
  }

  private async runOnce(force: boolean): Promise<void> {
    const started = performance.now();
    this.lastCycleStart = started;
    const readLog = force || this.readLog;
    this.readLog = false;
    // commits that land from here on are not certain to be in this cycle's reads: they ask for the next
    this.wanted = false;
    if (!this.stopped && this.opts.beforeCycle && started - this.lastBefore >= (this.opts.cycleMs ?? 500)) {
      this.lastBefore = started;
      await this.opts.beforeCycle();
    }
    // Folds in slices with a yield between them (engine.catchUp() would fold everything in one go
    // and hold acknowledgements back for as long).
    let events = 0;
    let yielded = 0;
    // requests served during a yield are ingest's share of the thread, not the engine's
    const pause = async () => {
      const y = performance.now();
      await yieldToIo();
      yielded += performance.now() - y;
    };
    for (let n = 1; ; n++) {
      const slice = this.handed.length > 0 ? this.takeHanded(FOLD_SLICE) : [];
      // a short slice from memory ends at a gap (events appended another way) or at the last commit
      const more = slice.length > 0 ? slice.length === FOLD_SLICE || this.handed.length > 0 : undefined;
      // every commit since the last cycle was handed over and folded already: nothing to read back
      if (slice.length === 0 && !readLog && this.handed.length === 0) break;
      if (slice.length === 0) {
        for await (const e of this.store.readEvents({ afterSeq: this.engine.seq, limit: FOLD_SLICE })) slice.push(e);
      }
      events += this.engine.foldStored(slice).events;
      if (!(more ?? slice.length === FOLD_SLICE) || this.stopped) break;
      // the log grew faster than this cycle folds: the next cycle takes up the rest as soon as the duty allows
      if (n >= MAX_SLICES) { this.wanted = true; break; }
      await pause();
    }
    if (this.stopped) events += (await this.engine.catchUp()).events;
    if (events > 0) this.unscored = true;
    const report = { events };
    const now = this.opts.now();
    // Rescores in slices with a yield between them too: one pass over 5,000 changed accounts held the
    // thread for ~200 ms, the loaded tail of event to signal (docs/adr/0014-live-path-speed.md).
    const slice = this.opts.rescoreSlice ?? RESCORE_SLICE;
    if (now - this.lastTick >= (this.opts.tickMs ?? 60_000)) {
      // a day's first tick extracts every account's row: spread over turns, the tick then runs the kernel only
      while (!this.stopped && this.engine.extractForDay(now, slice) === slice) await pause();
      this.engine.tick(now);
      this.lastTick = now;
      this.unscored = false;
      this.lastRescore = started;
    } else if (this.unscored) {
      // what this cycle folded and what was folded between cycles; folds during the yields join the
      // pass, bounded so that steady ingest cannot keep one cycle going
      let rounds = Math.ceil(this.engine.unscored / slice) + 1;
      while (this.engine.rescore(now, { limit: slice }) === slice && --rounds > 0 && !this.stopped) await pause();
      this.unscored = this.engine.unscored > 0;
      this.lastRescore = started;
    }
    if (now - this.lastSave >= (this.opts.saveMs ?? 30_000)) {
      await this.engine.save();
      this.lastSave = now;
    }
    await this.extractAhead(now, slice, pause);
    // the duty counts the engine's own time: requests served during the yields were ingest's share
    this.lastCycleEnd = performance.now();
    this.lastCycleMs = this.lastCycleEnd - started - yielded;
    this.failing = false;
    this.opts.onCycle?.({ seconds: (this.lastCycleEnd - started) / 1000, lateSeconds: this.lateSeconds, events: report.events });
  }
}
