// The parallel path of `tierwise simulate`: the accounts are split into contiguous ranges, one per
// worker thread (simulate-worker.ts). For every step (the traits, the bootstrap, then each day)
// each worker reports its bytes per second of the day; the main thread gives each worker the
// offset of every second in the merged day (earlier ranges first on a tie, which is the
// single-thread order), the workers copy their lines into one shared buffer, and the main thread
// writes it. So the file is byte-identical to the single-thread run, and memory stays one day.
import { closeSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DAY_SECONDS } from '../sim/calendar.ts';
import { historyOf, type WorldOptions } from '../sim/world.ts';
import type { PlaceMessage, WorkerInput, WorkerMessage } from './simulate-worker.ts';

export interface WrittenWorld { events: number; eventBytes: number; truthRecords: number; truthBytes: number }

const WORKER_URL = new URL('./simulate-worker.ts', import.meta.url).href;
// A worker does not inherit the main thread's tsx hooks, and on Node 20 `--import tsx` in its
// execArgv does not reach its entry module: a two-line bootstrap registers tsx, then imports it.
// tsx is resolved from here, not from the cwd, so this works wherever tierwise runs.
const BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL)}); });`;

/** Messages of one worker, awaited in order; a crash rejects whatever is awaited. */
class Mailbox {
  private queue: WorkerMessage[] = [];
  private waiter: { kind: WorkerMessage['kind']; ok: (m: WorkerMessage) => void; fail: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(readonly worker: Worker, name: string) {
    worker.on('message', (m: WorkerMessage) => { this.queue.push(m); this.pump(); });
    worker.on('error', (e) => this.fail(e instanceof Error ? e : new Error(String(e))));
    worker.on('exit', (code) => this.fail(new Error(`${name} exited (code ${code}) before it finished`)));
  }

  next<K extends WorkerMessage['kind']>(kind: K): Promise<Extract<WorkerMessage, { kind: K }>> {
    return new Promise((ok, fail) => {
      this.waiter = { kind, ok: ok as (m: WorkerMessage) => void, fail };
      this.pump();
    });
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.pump();
  }

  private pump(): void {
    const w = this.waiter;
    if (!w) return;
    const m = this.queue.shift();
    if (m) {
      this.waiter = undefined;
      if (m.kind === w.kind) w.ok(m);
      else w.fail(new Error(`simulate worker: expected ${w.kind}, got ${m.kind}`));
    } else if (this.failure) {
      this.waiter = undefined;
      w.fail(this.failure);
    }
  }
}

function writeAll(fd: number, buf: Uint8Array): void {
  for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off);
}

/** Appends `from` to the open file `fd` (truth parts are 100+ MB: copied in slices, not read whole). */
function appendFile(fd: number, from: string): void {
  const src = openSync(from, 'r');
  const buf = Buffer.allocUnsafe(8 << 20);
  try {
    for (let n = readSync(src, buf, 0, buf.length, null); n > 0; n = readSync(src, buf, 0, buf.length, null)) writeAll(fd, buf.subarray(0, n));
  } finally {
    closeSync(src);
  }
}

/** Writes DIR/events.ndjson and DIR/truth.ndjson with `threads` workers; `onStep(day, events)` after each step. */
export async function writeWorldParallel(opts: WorldOptions, threads: number, dir: string, onStep: (day: number, events: number) => void): Promise<WrittenWorld> {
  const n = Math.max(1, Math.min(threads, opts.accounts));
  const truthParts: string[] = [];
  const boxes: Mailbox[] = [];
  for (let w = 0; w < n; w++) {
    const truthPath = join(dir, `truth.part-${w}`);
    truthParts.push(truthPath);
    const input: WorkerInput = { opts, from: Math.floor((w * opts.accounts) / n), to: Math.floor(((w + 1) * opts.accounts) / n), truthPath };
    boxes.push(new Mailbox(new Worker(BOOTSTRAP, { eval: true, workerData: input }), `simulate worker ${w + 1}/${n}`));
  }
  try {
    let output = new SharedArrayBuffer(0);
    let events = 0;
    let eventBytes = 0;
    const fd = openSync(join(dir, 'events.ndjson'), 'w');
    try {
      // the history (computed here: a few events per account), then traits, bootstrap and the days
      const history = historyOf(opts);
      writeAll(fd, history.data);
      events += history.events;
      eventBytes += history.data.length;
      for (let k = 0; k < opts.days + 2; k++) {
        const steps = await Promise.all(boxes.map((b) => b.next('step')));
        const offsets = steps.map(() => new Int32Array(DAY_SECONDS));
        let total = 0;
        for (let s = 0; s < DAY_SECONDS; s++) {
          for (let w = 0; w < n; w++) { offsets[w]![s] = total; total += steps[w]!.bytes[s]!; }
        }
        const grown = output.byteLength < total;
        if (grown) output = new SharedArrayBuffer(Math.max(1 << 20, Math.ceil(total * 1.25)));
        boxes.forEach((b, w) => {
          const o = offsets[w]!;
          const msg: PlaceMessage = grown ? { offsets: o, output } : { offsets: o };
          b.worker.postMessage(msg, [o.buffer]);
        });
        await Promise.all(boxes.map((b) => b.next('placed')));
        writeAll(fd, new Uint8Array(output, 0, total));
        const stepEvents = steps.reduce((a, s) => a + s.events, 0);
        events += stepEvents;
        eventBytes += total;
        onStep(steps[0]!.day, events);
      }
    } finally {
      closeSync(fd);
    }
    const done = await Promise.all(boxes.map((b) => b.next('done')));
    const truth = join(dir, 'truth.ndjson');
    renameSync(truthParts[0]!, truth);
    const tfd = openSync(truth, 'a');
    try {
      for (const p of truthParts.slice(1)) { appendFile(tfd, p); rmSync(p); }
    } finally {
      closeSync(tfd);
    }
    return {
      events, eventBytes,
      truthRecords: done.reduce((a, d) => a + d.truthRecords, 0),
      truthBytes: done.reduce((a, d) => a + d.truthBytes, 0),
    };
  } finally {
    await Promise.all(boxes.map((b) => b.worker.terminate()));
  }
}
