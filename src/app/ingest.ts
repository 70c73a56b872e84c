// The ingest queue: group commit. Requests that arrive while a commit is being prepared or runs
// are appended together in the next single appendEvents call, and each request's promise settles
// only after the commit that holds its events: a 2xx is sent after the batch is durable.
import type { TierwiseEvent } from '../core/events/types.ts';
import { AppError } from './errors.ts';
import type { EventStore, StoredEvent } from './ports.ts';

interface Pending {
  events: readonly TierwiseEvent[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface IngestQueueOptions {
  /** beyond this many waiting events, submit() refuses with code `overloaded` */
  maxQueueEvents: number;
  /** told after each commit: events in it, seconds it took, requests it served; the events it stored with their seqs, if `keep` */
  onCommit?: (events: number, seconds: number, requests: number, stored?: StoredEvent[]) => void;
  /** ask the store for the stored events with their seqs (the server's engine folds them without reading the log back) */
  keep?: boolean;
}

export class IngestQueue {
  private pending: Pending[] = [];
  private pendingEvents = 0;
  private scheduled = false;
  private flushing: Promise<void> | undefined;

  private readonly appendOpts: { keep?: boolean };

  constructor(private readonly store: EventStore, private readonly opts: IngestQueueOptions) {
    this.appendOpts = opts.keep ? { keep: true } : {};
  }

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

  private async alone(batch: Pending[]): Promise<void> {
    for (const p of batch) {
      const started = performance.now();
      try {
        const r = await this.store.appendEvents(p.events, this.appendOpts);
        this.opts.onCommit?.(p.events.length, (performance.now() - started) / 1000, 1, r.stored);
        p.resolve();
      } catch (err) {
        p.reject(err);
      }
    }
  }

  private flush(): Promise<void> {
    const batch = this.pending;
    if (batch.length === 0 || this.flushing) return this.flushing ?? Promise.resolve();
    this.pending = [];
    const events = batch.length === 1 ? (batch[0] as Pending).events : batch.flatMap((p) => p.events);
    const started = performance.now();
    // The queue's depth drops before any waiter hears back, so a caller never sees its own settled events counted.
    const settled = () => { this.pendingEvents -= events.length; };
    this.flushing = this.store.appendEvents(events, this.appendOpts).then(
      (r) => {
        settled();
        this.opts.onCommit?.(events.length, (performance.now() - started) / 1000, batch.length, r.stored);
        for (const p of batch) p.resolve();
      },
      // One request's events must never fail the others that shared its commit: on failure each
      // request is committed alone, and only the ones that fail alone see the error.
      // A locked store is nobody's fault: everyone gets the error (503, retry) without a second wait.
      (err: unknown) => {
        settled();
        if (batch.length === 1 || isBusy(err)) for (const p of batch) p.reject(err);
        else return this.alone(batch);
      },
    ).finally(() => {
      this.flushing = undefined;
      if (this.pending.length > 0) this.schedule();
    });
    return this.flushing;
  }
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
