// The runner's schedule: a commit announced by notify() is folded long before the fallback timer,
// and the duty guard still spaces cycles out after a long one.
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../adapters/memory/memory-store.ts';
import { exampleCatalog } from '../../test/support/fixture-world.ts';
import { DEFAULT_SETTINGS } from '../core/scoring/settings.ts';
import type { TierwiseEvent } from '../core/events/types.ts';
import { openEngine } from './engine.ts';
import { EngineRunner } from './engine-runner.ts';

const T = Date.UTC(2026, 10, 2);
const usage = (i: number, account = 'a1'): TierwiseEvent => ({ id: `u${i}`, ts: T + i, account, user: 'u1', type: 'usage', meter: 'api_calls', quantity: 1 } as TierwiseEvent);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(pred: () => boolean, ms: number): Promise<number> {
  const t0 = performance.now();
  while (!pred()) {
    if (performance.now() - t0 > ms) throw new Error(`not within ${ms} ms`);
    await sleep(2);
  }
  return performance.now() - t0;
}

describe('engine runner', () => {
  it('folds a notified commit at once, not at the timer', async () => {
    const store = createMemoryStore();
    const engine = await openEngine({ store, catalog: exampleCatalog(), settings: DEFAULT_SETTINGS });
    const cycles: number[] = [];
    const runner = new EngineRunner(engine, store, { now: () => T + 1_000, cycleMs: 60_000, minGapMs: 0, onCycle: (c) => cycles.push(c.events) });
    runner.start();
    try {
      await store.appendEvents([usage(1)]);
      await sleep(50);
      expect(engine.seq).toBe(0); // no notify: the 60 s timer has not come
      runner.notify();
      await until(() => engine.seq === 1, 1_000);
      expect(engine.scores.has('a1')).toBe(true);
      await store.appendEvents([usage(2)]);
      runner.notify();
      runner.notify(); // a burst of commits asks for one cycle
      await until(() => engine.seq === 2, 1_000);
      await sleep(30);
      expect(cycles).toEqual([1, 1]);
    } finally {
      await runner.stop();
    }
  });

  it('keeps the duty: after a long cycle the next waits, however many commits ask', async () => {
    const store = createMemoryStore();
    const engine = await openEngine({ store, catalog: exampleCatalog(), settings: DEFAULT_SETTINGS });
    const starts: number[] = [];
    const ends: number[] = [];
    const busyMs = 60;
    // a store whose reads keep the thread busy: the engine's own time, which the duty counts
    const slow: typeof store = { ...store, async *readEvents(q) {
      starts.push(performance.now());
      const t = performance.now();
      while (performance.now() - t < busyMs) { /* busy */ }
      yield* store.readEvents(q);
    } };
    const runner = new EngineRunner(engine, slow, {
      now: () => T + 1_000, cycleMs: 60_000, minGapMs: 0, maxDuty: 0.5,
      onCycle: () => { ends.push(performance.now()); },
    });
    runner.start();
    try {
      await store.appendEvents([usage(1)]);
      runner.notify();
      await until(() => ends.length === 1, 1_000);
      await store.appendEvents([usage(2)]);
      runner.notify();
      await until(() => engine.seq === 2, 2_000);
    } finally {
      await runner.stop();
    }
    // duty 0.5: a cycle busy for 60 ms is followed by at least 60 ms without one
    expect(starts.length).toBeGreaterThanOrEqual(2);
    expect((starts[1] as number) - (ends[0] as number)).toBeGreaterThanOrEqual(busyMs - 5);
  });
});
