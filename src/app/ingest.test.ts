import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../adapters/memory/memory-store.ts';
import type { TierwiseEvent } from '../core/events/types.ts';
import { AppError } from './errors.ts';
import { IngestQueue } from './ingest.ts';
import type { EventStore } from './ports.ts';

const ev = (i: number): TierwiseEvent => ({ id: `e${i}`, ts: 1_772_359_200_000 + i, account: 'a', type: 'usage', meter: 'api_calls', quantity: 1 });
const batch = (from: number, n: number) => Array.from({ length: n }, (_, i) => ev(from + i));

/** The real memory store, with its appends recorded. */
function recorded(store = createMemoryStore()) {
  const calls: number[] = [];
  const wrapped: EventStore = {
    appendEvents: (events) => { calls.push(events.length); return store.appendEvents(events); },
    countEvents: () => store.countEvents(),
    readEvents: (q) => store.readEvents(q),
    latestEventTs: () => store.latestEventTs(),
  };
  return { store, wrapped, calls };
}

describe('IngestQueue (group commit)', () => {
  it('commits requests that arrive together in one append, and settles each after it', async () => {
    const { store, wrapped, calls } = recorded();
    const commits: number[] = [];
    const q = new IngestQueue(wrapped, { maxQueueEvents: 10_000, onCommit: (n) => commits.push(n) });
    const done = await Promise.all([q.submit(batch(0, 500)), q.submit(batch(500, 500)), q.submit(batch(1_000, 10))]);
    expect(done).toHaveLength(3);
    expect(calls).toEqual([1_010]);
    expect(commits).toEqual([1_010]);
    expect(await store.countEvents()).toBe(1_010);
    expect(q.depth()).toBe(0);
  });

  it('refuses with code overloaded past the queue bound, and a failed append rejects every waiter', async () => {
    const { wrapped } = recorded();
    const q = new IngestQueue(wrapped, { maxQueueEvents: 600 });
    const first = q.submit(batch(0, 500));
    await expect(q.submit(batch(500, 200))).rejects.toMatchObject({ code: 'overloaded' });
    await first;

    const failing: EventStore = { ...wrapped, appendEvents: async () => { throw new Error('disk full'); } };
    const f = new IngestQueue(failing, { maxQueueEvents: 600 });
    const results = await Promise.allSettled([f.submit(batch(0, 2)), f.submit(batch(2, 2))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(f.depth()).toBe(0);
    expect(new AppError('overloaded', 'x').code).toBe('overloaded');
  });

  it('drain() waits for everything submitted', async () => {
    const { store, wrapped } = recorded();
    const q = new IngestQueue(wrapped, { maxQueueEvents: 10_000 });
    void q.submit(batch(0, 3));
    void q.submit(batch(3, 3));
    await q.drain();
    expect(await store.countEvents()).toBe(6);
  });
});
