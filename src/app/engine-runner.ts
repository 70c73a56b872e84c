// Runs the signal engine beside the server: every cycle folds what ingest committed since the
// last one and rescores the accounts it touched; every tick interval, time-based signals move
// (a full tick); states are saved now and then so a restart does not replay the whole log.
import type { Engine } from './engine.ts';

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
   * the share of the thread the engine may take (default 0.5): after a cycle of t seconds the
   * next one waits at least t x (1 - duty) / duty, so heavy ingest keeps the rest of the CPU and
   * signals lag a little more instead of acknowledgements slowing down
   */
  maxDuty?: number;
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

  constructor(readonly engine: Engine, private readonly opts: EngineRunnerOptions) {}

  start(): void {
    this.lastTick = this.opts.now();
    this.lastSave = this.lastTick;
    this.engine.tick(this.lastTick);
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

  private lastCycleMs = 0;

  private schedule(plannedAt: number): void {
    if (this.stopped) return;
    const duty = Math.min(1, Math.max(0.05, this.opts.maxDuty ?? 0.5));
    const cycleMs = Math.max(this.opts.cycleMs ?? 500, (this.lastCycleMs * (1 - duty)) / duty);
    const due = plannedAt + cycleMs;
    this.timer = setTimeout(() => {
      this.lateSeconds = Math.max(0, (performance.now() - due) / 1000);
      this.cycle().catch((err: unknown) => this.opts.onError?.(err)).finally(() => this.schedule(performance.now()));
    }, Math.max(0, due - performance.now()));
    (this.timer as { unref?: () => void }).unref?.();
  }

  private async runOnce(): Promise<void> {
    const started = performance.now();
    const report = await this.engine.catchUp();
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
    this.lastCycleMs = performance.now() - started;
    this.opts.onCycle?.({ seconds: (performance.now() - started) / 1000, lateSeconds: this.lateSeconds, events: report.events });
  }
}
