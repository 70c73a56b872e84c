// The append thread's entry (append-thread.ts starts it): its own write connection to the store,
// running the same append transaction (append.ts) on the columns it is posted, and answering with
// the count and, when asked, the seqs. The main thread sends its 2xx only after this answer, which
// comes after the commit: the durability of an acknowledged event is the same as on the main thread.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { TierwiseEvent } from '../../core/events/types.ts';
import { createAppend } from './append.ts';
import type { AppendReply, AppendRequest, AppendThreadInput } from './append-thread.ts';

const port = parentPort;
if (!port) throw new Error('append-worker.ts runs as a worker thread');
const input = workerData as AppendThreadInput;
const db = new Database(input.path);
// the main connection set WAL (a property of the file) and migrated; these are per connection
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.pragma(`busy_timeout = ${input.busyTimeoutMs}`);
db.pragma(`cache_size = -${input.cacheMiB * 1024}`);
const append = createAppend(db);

port.on('message', (m: AppendRequest | { close: true }) => {
  if ('close' in m) {
    db.close();
    port.close();
    return;
  }
  try {
    // what the aggregates read of an event: usage fields from the columns, an account event's traits from its body
    const eventAt = (i: number): TierwiseEvent => {
      const type = m.types[i] as string;
      if (type === 'usage') return { id: m.ids[i], ts: m.ts[i], account: m.accounts[i], type, meter: m.meters[i], quantity: m.quantities[i] } as TierwiseEvent;
      if (type === 'account') return JSON.parse(m.bodies[i] as string) as TierwiseEvent;
      return { id: m.ids[i], ts: m.ts[i], account: m.accounts[i], type } as TierwiseEvent;
    };
    const r = append(m, eventAt, m.keep);
    const reply: AppendReply = { id: m.id, inserted: r.inserted, ...(r.seqs ? { seqs: r.seqs } : {}) };
    port.postMessage(reply, r.seqs ? [r.seqs.buffer as ArrayBuffer] : []);
  } catch (err) {
    const e = err as { message?: unknown; code?: unknown };
    const reply: AppendReply = { id: m.id, error: { message: String(e?.message ?? err), ...(typeof e?.code === 'string' ? { code: e.code } : {}) } };
    port.postMessage(reply);
  }
});
