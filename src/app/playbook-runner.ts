// Runs the playbook scheduler beside the server: a pass of runPlaybooks every `runMs` (outcomes,
// triggers, due steps), delivery of the outbox every `deliverMs`. It is also the one writer of
// playbook state: `exclusive` queues the API's and the dashboard's changes between passes, so a
// pass never writes back an opportunity from a snapshot older than a person's change.
import type { BackoffSettings } from '../core/playbooks/backoff.ts';
import { enqueueCrmSync, type CrmSystem } from './crm-sync.ts';
import { CircuitBreakers, deliverOutbox, type DeliveryReport, type Transports } from './delivery.ts';
import type { Engine } from './engine.ts';
import type { PlaybookDeps } from './playbook-deps.ts';
import { runPlaybooks, type RunReport } from './scheduler.ts';

export interface PlaybookRunnerOptions {
  /** epoch ms: the scheduler's `now` */
  now: () => number;
  /** how often a scheduler pass runs (default 60 s, the engine's full tick: time-based triggers move then) */
  runMs?: number;
  /** how often the outbox is delivered (default 5 s, so retries keep their backoff closely) */
  deliverMs?: number;
  /** due steps per pass at most (default: all) */
  stepLimit?: number;
  /** without transports nothing is delivered: messages wait in the outbox for `tierwise run` */
  transports?: Transports | undefined;
  retry: BackoffSettings;
  /** CRMs that receive CSM / AE opportunities (enqueued after each scheduler run) */
  crm?: { system: CrmSystem; closeInDays: number }[];
  onPass?: (info: { seconds: number; lateSeconds: number; run: RunReport | undefined; delivery: DeliveryReport | undefined }) => void;
  onError?: (err: unknown) => void;
}

export interface PassResult { run: RunReport | undefined; delivery: DeliveryReport | undefined }

export class PlaybookRunner {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private lastRun = Number.NEGATIVE_INFINITY;
  private stopped = false;
  /** the timer's pass under way, delivery included */
  private current: Promise<void> = Promise.resolve();
  /** how late the last pass started against its plan (seconds) */
  lateSeconds = 0;
  /** per-destination breakers live across passes: a dead receiver stays skipped until it half-opens */
  private readonly breakers = new CircuitBreakers();
  /** aborted by stop(): delivery attempts in flight are cancelled and stay pending */
  private readonly shutdown = new AbortController();

  constructor(readonly deps: PlaybookDeps, private readonly engine: Engine, private readonly opts: PlaybookRunnerOptions) {}

  /** Runs `fn` when no pass and no other change is under way (one writer of playbook state). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  start(): void {
    this.schedule(performance.now());
  }

  /**
   * One pass now (tests; `force` runs the scheduler even if `runMs` has not passed), waiting its
   * turn behind changes in flight.
   */
  async pass(force = true, plannedAt?: number): Promise<PassResult> {
    const run = await this.exclusive(async () => {
      // Lateness counts the wait for the lock too: a change queue that holds passes back is lag.
      if (plannedAt !== undefined) this.lateSeconds = Math.max(0, (performance.now() - plannedAt) / 1000);
      // The cadence is wall time; `now` is the scheduler's logical time (tests move it by days).
      if (!force && performance.now() - this.lastRun < (this.opts.runMs ?? 60_000)) return undefined;
      this.lastRun = performance.now();
      const report = await runPlaybooks(this.deps, this.engine, this.opts.now(), this.opts.stepLimit !== undefined ? { stepLimit: this.opts.stepLimit } : {});
      // Stage, owner and close changes since the last run reach the CRM as new deal states.
      if (this.opts.crm?.length) await enqueueCrmSync(this.deps.store, this.opts.crm, this.opts.now());
      return report;
    });
    // Delivery only touches outbox rows, keyed and idempotent: a slow receiver must not hold the lock.
    const delivery = this.opts.transports && !this.shutdown.signal.aborted
      ? await deliverOutbox(this.deps.store, this.opts.transports, this.opts.retry, this.opts.now(), { breakers: this.breakers, signal: this.shutdown.signal })
      : undefined;
    return { run, delivery };
  }

  /**
   * The scheduler lag: how long the oldest due outbox message has waited past its time, in seconds
   * (at least how late the last pass started); a hanging receiver shows here at once.
   */
  async lagSeconds(): Promise<number> {
    const now = this.opts.now();
    const [m] = this.opts.transports ? await this.deps.store.listOutbox({ status: 'pending', dueBy: now, limit: 1 }) : [];
    return Math.max(this.lateSeconds, m ? (now - m.nextAt) / 1000 : 0);
  }

  /** Stops the timer and waits for the pass (and delivery) under way; the caller stops the engine after. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.shutdown.abort(new Error('shutting down'));
    await this.current;
    await this.exclusive(async () => undefined);
  }

  private schedule(plannedAt: number): void {
    if (this.stopped) return;
    const due = plannedAt + (this.opts.deliverMs ?? 5_000);
    this.timer = setTimeout(() => {
      const started = performance.now();
      this.current = this.pass(false, due)
        .then((r) => this.opts.onPass?.({ seconds: (performance.now() - started) / 1000, lateSeconds: this.lateSeconds, ...r }))
        .catch((err: unknown) => this.opts.onError?.(err))
        .finally(() => this.schedule(performance.now()));
    }, Math.max(0, due - performance.now()));
    (this.timer as { unref?: () => void }).unref?.();
  }
}
