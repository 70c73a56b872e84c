// The append on a second thread (`tierwise serve`): a worker owns a write connection and runs the
// append transaction, so a commit of thousands of events no longer holds the main thread, which
// meanwhile parses and validates requests, folds, and answers reads. The events cross as columns
// (strings and typed arrays; the typed arrays are transferred), not as objects: structured clone of
// objects costs about what JSON.parse does. The seqs come back in a transferred Float64Array.
import { Worker } from 'node:worker_threads';
import type { TierwiseEvent } from '../../core/events/types.ts';
import type { AppendResult, StoredEvent } from '../../app/ports.ts';
import { rowsOf, type AppendRows } from './append.ts';

export interface AppendThreadInput {
  path: string;
  busyTimeoutMs: number;
  cacheMiB: number;
}

/** One append call: the rows as columns, plus what the aggregates need of usage events. */
export interface AppendRequest extends AppendRows {
  id: number;
  keep: boolean;
  ts: Float64Array;
  /** a usage event's meter ('' for other types) */
  meters: string[];
  /** a usage event's quantity (0 for other types) */
  quantities: Float64Array;
}

export type AppendReply =
  | { id: number; inserted: number; seqs?: Float64Array }
  | { id: number; error: { message: string; code?: string } };

const WORKER_URL = new URL('./append-worker.ts', import.meta.url).href;
// A worker does not inherit the main thread's tsx hooks (see src/cli/simulate-parallel.ts): a
// bootstrap registers tsx, resolved from here, then imports the entry.
const BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL)}); });`;

interface Waiter {
  events: readonly TierwiseEvent[];
  keep: boolean;
  resolve: (r: AppendResult) => void;
  reject: (err: unknown) => void;
}

export class AppendThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiter>();
  private nextId = 1;
  /** why the thread can take no more appends (it exited or failed) */
  private dead: Error | undefined;
  private closing: Promise<void> | undefined;

  constructor(input: AppendThreadInput) {
    this.worker = new Worker(BOOTSTRAP, { eval: true, workerData: input });
    // idle, the thread does not keep the process alive; an append in flight does (ref() in append)
    this.worker.unref();
    this.worker.on('message', (m: AppendReply) => this.settle(m));
    this.worker.on('error', (err) => this.fail(err instanceof Error ? err : new Error(String(err))));
    this.worker.on('exit', (code) => this.fail(new Error(`the SQLite append thread exited (code ${code})`)));
  }

  append(events: readonly TierwiseEvent[], keep: boolean): Promise<AppendResult> {
    if (this.closing) return Promise.reject(new Error('the store is closing or closed'));
    if (this.dead) return Promise.reject(this.dead);
    const rows = rowsOf(events);
    const n = events.length;
    const meters = new Array<string>(n);
    const quantities = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const e = events[i] as TierwiseEvent;
      if (e.type === 'usage') {
        meters[i] = e.meter;
        quantities[i] = e.quantity;
      } else {
        meters[i] = '';
      }
    }
    const id = this.nextId++;
    const req: AppendRequest = { id, keep, ...rows, ts: rows.ts as Float64Array, meters, quantities };
    return new Promise<AppendResult>((resolve, reject) => {
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, { events, keep, resolve, reject });
      this.worker.postMessage(req, [req.ts.buffer as ArrayBuffer, quantities.buffer as ArrayBuffer]);
    });
  }

  private settle(m: AppendReply): void {
    const w = this.waiting.get(m.id);
    if (!w) return;
    this.waiting.delete(m.id);
    if (this.waiting.size === 0) this.worker.unref();
    if ('error' in m) {
      // keeps the SQLite code: the ingest queue answers SQLITE_BUSY with a 503 to every request of the commit
      w.reject(Object.assign(new Error(m.error.message), m.error.code !== undefined ? { code: m.error.code } : {}));
      return;
    }
    const duplicates = w.events.length - m.inserted;
    if (!w.keep) {
      w.resolve({ inserted: m.inserted, duplicates });
      return;
    }
    const stored: StoredEvent[] = [];
    const seqs = m.seqs as Float64Array;
    for (let i = 0; i < seqs.length; i++) if (seqs[i] !== 0) stored.push({ seq: seqs[i] as number, event: w.events[i] as TierwiseEvent });
    // the duplicates path finds seqs per chunk: a commit's rows are in seq order all the same (rowids given in VALUES order)
    w.resolve({ inserted: m.inserted, duplicates, stored });
  }

  private fail(err: Error): void {
    this.dead ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }

  /** Waits for the appends in flight, then closes the thread's connection and ends it. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.waiting.values()].map((w) => new Promise<void>((done) => {
        const { resolve, reject } = w;
        w.resolve = (r) => { resolve(r); done(); };
        w.reject = (e) => { reject(e); done(); };
      })));
      if (this.dead) return;
      const exited = new Promise<void>((done) => this.worker.once('exit', () => done()));
      this.worker.ref();
      this.worker.postMessage({ close: true });
      await exited;
    })();
    return this.closing;
  }
}
