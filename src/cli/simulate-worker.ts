// One worker of a parallel `tierwise simulate`: runs a contiguous range of accounts (src/sim's
// createWorldPart) and, step by step, tells the main thread how many bytes it has at each second
// of the day, then copies its lines to the offsets the main thread hands back in a shared buffer.
// The main thread writes the buffer; its truth records go to a part file the main thread appends.
import { closeSync, openSync, writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { DAY_SECONDS } from '../sim/calendar.ts';
import { createWorldPart, type WorldOptions } from '../sim/world.ts';

export interface WorkerInput {
  opts: WorldOptions;
  from: number;
  to: number;
  truthPath: string;
}

/** worker -> main */
export type WorkerMessage =
  | { kind: 'step'; day: number; events: number; bytes: Int32Array }
  | { kind: 'placed' }
  | { kind: 'done'; truthRecords: number; truthBytes: number };

/** main -> worker: where each second's lines go, and (when it changed) the shared output */
export interface PlaceMessage { offsets: Int32Array; output?: SharedArrayBuffer }

const port = parentPort;
if (!port) throw new Error('simulate-worker runs as a worker thread');
const input = workerData as WorkerInput;

const inbox: PlaceMessage[] = [];
let waiting: ((m: PlaceMessage) => void) | undefined;
port.on('message', (m: PlaceMessage) => {
  if (waiting) { const w = waiting; waiting = undefined; w(m); } else inbox.push(m);
});
const nextPlace = (): Promise<PlaceMessage> => {
  const m = inbox.shift();
  return m ? Promise.resolve(m) : new Promise((r) => { waiting = r; });
};

const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

const part = createWorldPart(input.opts, input.from, input.to);
let output: Uint8Array = new Uint8Array(0);
for (const step of part.steps()) {
  const bytes = new Int32Array(DAY_SECONDS);
  step.buffer.secondBytes(bytes);
  post({ kind: 'step', day: step.day, events: step.events, bytes }, [bytes.buffer]);
  const place = await nextPlace();
  if (place.output) output = new Uint8Array(place.output);
  step.buffer.scatter(output, place.offsets);
  post({ kind: 'placed' });
}

// Truth records in account order, written here so the serialization runs in parallel too.
const fd = openSync(input.truthPath, 'w');
let truthRecords = 0;
let truthBytes = 0;
try {
  let batch: string[] = [];
  const flush = (): void => {
    const buf = Buffer.from(`${batch.join('\n')}\n`, 'utf8');
    for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off);
    truthBytes += buf.length;
    batch = [];
  };
  for (const t of part.truth()) {
    batch.push(JSON.stringify(t));
    truthRecords++;
    if (batch.length === 2000) flush();
  }
  if (batch.length > 0) flush();
} finally {
  closeSync(fd);
}
post({ kind: 'done', truthRecords, truthBytes });
port.close();
