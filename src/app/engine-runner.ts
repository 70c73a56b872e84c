// Runs the signal engine beside the server: every cycle folds what ingest committed since the
// last one and rescores the accounts it touched; every tick interval, time-based signals move
// (a full tick); states are saved now and then so a restart does not replay the whole log.
import type { Engine } from './engine.ts';
import type { EventStore, StoredEvent } from './ports.ts';

/** events folded between two yields to the event loop, so ingest requests interleave with a cycle */
const FOLD_SLICE = 2_000;
/** at most this many slices per cycle: under steady ingest the log grows while we fold, and a cycle
 * must end (rescore, metrics) rather than chase it forever; the next cycle takes up the rest */
const MAX_SLICES = 25;
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface EngineRunnerOptions {
  /** epoch ms: the engine's `now` */
  now: () => number;
  /** how often to fold new events and rescore (default 500 ms) */
  cycleMs?: number;
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
  /** runs at the start of every cycle, before folding (a node's partition heartbeat and rebalance) */
  beforeCycle?: () => Promise<void>;
  onCycle?: (info: { seconds: number; lateSeconds: number; events: number }) => void;
  onError?: (err: unknown) => void;
}

export class EngineRunner {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private lastTick = 0;
  private lastSave = 0;
  private stopped = false;
  /** when the last cycle started later than planned, by how much (seconds): the scheduler lag */
  lateSeconds = 0;

  constructor(readonly engine: Engine, private readonly store: EventStore, private readonly opts: EngineRunnerOptions) {}

  start(): void {
    this.lastTick = this.opts.now();
    this.lastSave = this.lastTick;
    this.engine.tick(this.lastTick);
    this.lastCycleStart = performance.now();
    this.schedule(performance.now());
  }

  /** Runs one cycle now (tests; shutdown) and waits for it. */
  async cycle(): Promise<void> {
    while (this.running) await this.running;
    this.running = this.runOnce().finally(() => { this.running = undefined; });
    await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.cycle();
    await this.engine.save();
  }

  /** the last cycle's busy time (ms): its wall time less the yields, when requests had the thread */
  private lastCycleMs = 0;
  private lastCycleStart = 0;

  /**
   * The next cycle: cycleMs after the last one started (a cycle of 300 ms does not add a 500 ms
   * pause to the lag), and no sooner than the duty allows after it ended.
   */
  private schedule(endedAt: number): void {
    if (this.stopped) return;
    const duty = Math.min(1, Math.max(0.05, this.opts.maxDuty ?? 0.5));
    const due = Math.max(this.lastCycleStart + (this.opts.cycleMs ?? 500), endedAt + (this.lastCycleMs * (1 - duty)) / duty);
    this.timer = setTimeout(() => {
      this.lateSeconds = Math.max(0, (performance.now() - due) / 1000);
      this.cycle().catch((err: unknown) => this.opts.onError?.(err)).finally(() => this.schedule(performance.now()));
    }, Math.max(0, due - performance.now()));
    (this.timer as { unref?: () => void }).unref?.();
  }

  private async runOnce(): Promise<void> {
    const started = performance.now();
    this.lastCycleStart = started;
    if (!this.stopped) await this.opts.beforeCycle?.();
    // Folds in slices with a yield between them (engine.catchUp() would fold everything in one go
    // and hold acknowledgements back for as long).
    let events = 0;
    let yielded = 0;
    for (let n = 1; ; n++) {
      const slice: StoredEvent[] = [];
      for await (const e of this.store.readEvents({ afterSeq: this.engine.seq, limit: FOLD_SLICE })) slice.push(e);
      events += this.engine.foldStored(slice).events;
      if (slice.length < FOLD_SLICE || this.stopped || n >= MAX_SLICES) break;
      const y = performance.now();
      await yieldToIo();
      yielded += performance.now() - y;
    }
    if (this.stopped) await this.engine.catchUp();
    const report = { events };
    const now = this.opts.now();
    if (now - this.lastTick >= (this.opts.tickMs ?? 60_000)) {
      this.engine.tick(now);
      this.lastTick = now;
    } else if (report.events > 0) {
      this.engine.rescore(now);
    }
    if (now - this.lastSave >= (this.opts.saveMs ?? 30_000)) {
      await this.engine.save();
      this.lastSave = now;
    }
    // the duty counts the engine's own time: requests served during the yields were ingest's share
    this.lastCycleMs = performance.now() - started - yielded;
    this.opts.onCycle?.({ seconds: (performance.now() - started) / 1000, lateSeconds: this.lateSeconds, events: report.events });
  }
}
