// The ingest queue: group commit. Requests that arrive while a commit is being prepared or runs
// are appended together in the next single appendEvents call, and each request's promise settles
// only after the commit that holds its events: a 2xx is sent after the batch is durable.
import type { TierwiseEvent } from '../core/events/types.ts';
import { AppError } from './errors.ts';
import type { EventStore } from './ports.ts';

interface Pending {
  events: readonly TierwiseEvent[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface IngestQueueOptions {
  /** beyond this many waiting events, submit() refuses with code `overloaded` */
  maxQueueEvents: number;
  /** told after each commit: events in it, seconds it took, requests it served */
  onCommit?: (events: number, seconds: number, requests: number) => void;
}

export class IngestQueue {
  private pending: Pending[] = [];
  private pendingEvents = 0;
  private scheduled = false;
  private flushing: Promise<void> | undefined;

  constructor(private readonly store: EventStore, private readonly opts: IngestQueueOptions) {}

  /** Events waiting for a commit (the in-flight commit included). */
  depth(): number {
    return this.pendingEvents;
  }

  /** Resolves once the events are committed; rejects if the commit fails or the queue is full. */
  submit(events: readonly TierwiseEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    if (this.pendingEvents > 0 && this.pendingEvents + events.length > this.opts.maxQueueEvents) {
      return Promise.reject(new AppError('overloaded', `ingest queue is full (${this.pendingEvents} events waiting); retry shortly`));
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ events, resolve, reject });
      this.pendingEvents += events.length;
      this.schedule();
    });
  }

  /** Waits until everything submitted so far is committed (for shutdown). */
  async drain(): Promise<void> {
    while (this.flushing || this.pending.length > 0) {
      if (this.flushing) await this.flushing;
      else await this.flush();
    }
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    // setImmediate runs after the current poll phase: every request body that completed in it joins this commit.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private flush(): Promise<void> {
    const batch = this.pending;
    if (batch.length === 0 || this.flushing) return this.flushing ?? Promise.resolve();
    this.pending = [];
    const events = batch.length === 1 ? (batch[0] as Pending).events : batch.flatMap((p) => p.events);
    const started = performance.now();
    this.flushing = this.store.appendEvents(events).then(
      () => {
        this.opts.onCommit?.(events.length, (performance.now() - started) / 1000, batch.length);
        for (const p of batch) p.resolve();
      },
      (err: unknown) => {
        for (const p of batch) p.reject(err);
      },
    ).finally(() => {
      this.pendingEvents -= events.length;
      this.flushing = undefined;
      if (this.pending.length > 0) this.schedule();
    });
    return this.flushing;
  }
}
