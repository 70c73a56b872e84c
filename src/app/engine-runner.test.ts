// The runner's schedule: a commit announced by notify() is folded long before the fallback timer,
// and the duty guard still spaces cycles out after a long one; before midnight, idle cycles extract
// tomorrow's rows (on an injected clock).
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../adapters/memory/memory-store.ts';
import { openSqliteStore } from '../adapters/sqlite/sqlite-store.ts';
import { serializeState } from '../core/state/serialize.ts';
import { exampleCatalog } from '../../test/support/fixture-world.ts';
import { DEFAULT_SETTINGS } from '../core/scoring/settings.ts';
import type { TierwiseEvent } from '../core/events/types.ts';
import { openEngine } from './engine.ts';
import { EngineRunner } from './engine-runner.ts';

const T = Date.UTC(2026, 10, 2);
const usage = (i: number, account = 'a1'): TierwiseEvent => ({ id: `u${i}`, ts: T + i, account, user: 'u1', type: 'usage', meter: 'api_calls', quantity: 1 } as TierwiseEvent);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** how long a wait for "at once" may take: far below the 60 s timers, with room for a loaded CI machine */
const WAIT_MS = 5_000;

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
      await until(() => engine.seq === 1, WAIT_MS);
      expect(engine.hasScore('a1')).toBe(true);
      await store.appendEvents([usage(2)]);
      runner.notify();
      runner.notify(); // a burst of commits asks for one cycle
      await until(() => engine.seq === 2, WAIT_MS);
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
      await until(() => ends.length === 1, WAIT_MS);
      await store.appendEvents([usage(2)]);
      runner.notify();
      await until(() => engine.seq === 2, WAIT_MS);
    } finally {
      await runner.stop();
    }
    // duty 0.5: a cycle busy for 60 ms is followed by at least 60 ms without one
    expect(starts.length).toBeGreaterThanOrEqual(2);
    expect((starts[1] as number) - (ends[0] as number)).toBeGreaterThanOrEqual(busyMs - 5);
  });

  it('folds a handed-over commit at once while the duty holds the cycle back; the rescore waits for the cycle', async () => {
    const store = openSqliteStore(':memory:');
    const busyMs = 80;
    let cycleEnds = 0;
    let reads = 0;
    // the log reads keep the thread busy: a long cycle, so the duty keeps the next one 80 ms away
    const slow: typeof store = { ...store, async *readEvents(q) {
      reads++;
      const t = performance.now();
      while (performance.now() - t < busyMs) { /* busy */ }
      yield* store.readEvents(q);
    } };
    const engine = await openEngine({ store: slow, catalog: exampleCatalog(), settings: DEFAULT_SETTINGS });
    const runner = new EngineRunner(engine, slow, {
      now: () => T + 10_000, cycleMs: 60_000, minGapMs: 0, maxDuty: 0.5, takeStored: true, onCycle: () => { cycleEnds++; },
    });
    runner.start();
    try {
      await store.appendEvents([usage(1)]);
      runner.notify(); // not handed over: the cycle reads the log (slowly)
      await until(() => cycleEnds === 1, WAIT_MS);
      expect(engine.hasScore('a1')).toBe(true);
      const second = await store.appendEvents([usage(2, 'b1')], { keep: true });
      runner.notify(second.stored);
      // folded within a turn or two of the event loop, before the duty lets a cycle start
      await until(() => engine.seq === 2, WAIT_MS);
      expect(engine.explain('b1', T + 10_000)).toBeDefined();
      expect(engine.hasScore('b1')).toBe(false);
      expect(cycleEnds).toBe(1);
      const readsBefore = reads;
      // the cycle the commit asked for comes when the duty allows, rescores, and reads nothing back
      await until(() => engine.hasScore('b1'), WAIT_MS);
      expect(cycleEnds).toBe(2);
      expect(reads).toBe(readsBefore);
    } finally {
      await runner.stop();
      await store.close();
    }
  });

  it('under steady commits folds each at once and rescores at most once a rescore gap', async () => {
    const store = openSqliteStore(':memory:');
    const engine = await openEngine({ store, catalog: exampleCatalog(), settings: DEFAULT_SETTINGS });
    let cycles = 0;
    const runner = new EngineRunner(engine, store, { now: () => T + 10_000, cycleMs: 60_000, minGapMs: 0, rescoreMs: 150, takeStored: true, onCycle: () => { cycles++; } });
    runner.start();
    // commits whose fold came only after a cycle had run: all of them if folds waited for the cycles
    let foldedByCycle = 0;
    const t0 = performance.now();
    try {
      for (let i = 1; i <= 40; i++) {
        const r = await store.appendEvents([usage(i, `c${i}`)], { keep: true });
        const before = cycles;
        runner.notify(r.stored);
        await until(() => engine.seq === i, WAIT_MS);
        if (cycles > before) foldedByCycle++;
        await sleep(10);
      }
      await until(() => engine.hasScore('c40'), WAIT_MS);
    } finally {
      await runner.stop();
      await store.close();
    }
    const spanMs = performance.now() - t0;
    // one cycle (a rescore) per gap at most, plus the first and the one stop() runs
    expect(cycles).toBeLessThanOrEqual(Math.ceil(spanMs / 150) + 2);
    expect(cycles).toBeLessThan(20);
    expect(foldedByCycle).toBeLessThanOrEqual(cycles);
    expect(foldedByCycle).toBeLessThan(20);
  });

  // With takeStored the fold that fails is the one between cycles or the cycle's, whichever turn of the
  // event loop comes first; without it, always the cycle's. Either way the next cycle comes at once.
  it.each([true, false])('reports a fold that fails (takeStored %s), and the next cycle folds the events from the log', async (takeStored) => {
    const store = openSqliteStore(':memory:');
    const engine = await openEngine({ store, catalog: exampleCatalog(), settings: DEFAULT_SETTINGS });
    const errors: unknown[] = [];
    const runner = new EngineRunner(engine, store, { now: () => T + 10_000, cycleMs: 60_000, minGapMs: 0, takeStored, onError: (e) => errors.push(e) });
    // the first fold fails (a fault injected in the real engine), the ones after do not
    const fold = engine.foldStored.bind(engine);
    let calls = 0;
    engine.foldStored = (batch) => {
      if (++calls === 1) throw new Error('fold failed');
      return fold(batch);
    };
    runner.start();
    try {
      const r = await store.appendEvents([usage(1), usage(2, 'b1')], { keep: true });
      runner.notify(r.stored);
      await until(() => engine.seq === 2, WAIT_MS);
      expect(errors).toHaveLength(1);
      expect(engine.hasScore('b1')).toBe(true);
    } finally {
      await runner.stop();
      await store.close();
    }
  });

  it('while folds keep failing, retries once at once and then keeps to the timer', async () => {
    const store = openSqliteStore(':memory:');
    const engine = await openEngine({ store, catalog: exampleCatalog(), settings: DEFAULT_SETTINGS });
    const errors: unknown[] = [];
    const runner = new EngineRunner(engine, store, { now: () => T + 10_000, cycleMs: 60_000, minGapMs: 0, onError: (e) => errors.push(e) });
    const fold = engine.foldStored.bind(engine);
    engine.foldStored = () => { throw new Error('store down'); };
    runner.start();
    try {
      await store.appendEvents([usage(1)]);
      runner.notify();
      await until(() => errors.length === 2, WAIT_MS);
      await sleep(300); // a runner that spins would report dozens more by now
      expect(errors).toHaveLength(2);
      expect(engine.seq).toBe(0);
      engine.foldStored = fold; // back up: stop()'s cycle reads the log
    } finally {
      await runner.stop();
      await store.close();
    }
    expect(engine.seq).toBe(1);
  });

  it('folds the commits handed over from memory, and reads the log across a gap', async () => {
    const store = openSqliteStore(':memory:');
    let reads = 0;
    const counted: typeof store = { ...store, readEvents(q) { reads++; return store.readEvents(q); } };
    const engine = await openEngine({ store: counted, catalog: exampleCatalog(), settings: DEFAULT_SETTINGS });
    const runner = new EngineRunner(engine, counted, { now: () => T + 10_000, cycleMs: 60_000, minGapMs: 0, takeStored: true });
    runner.start();
    try {
      // a commit with a duplicate inside and one already stored: the seqs handed over are the stored rows'
      await store.appendEvents([usage(0)]);
      const first = await store.appendEvents([usage(0), ...Array.from({ length: 150 }, (_, i) => usage(i + 1, `a${i % 7}`)), usage(3, 'a3')], { keep: true });
      expect(first.stored?.map((e) => e.seq)).toEqual(Array.from({ length: 150 }, (_, i) => i + 2));
      runner.notify(first.stored);
      await until(() => engine.seq === 151, WAIT_MS);
      // seq 1 was not handed over: the first cycle read the log
      expect(reads).toBeGreaterThan(0);
      const before = reads;
      const second = await store.appendEvents(Array.from({ length: 70 }, (_, i) => usage(200 + i, `a${i % 5}`)), { keep: true });
      runner.notify(second.stored);
      await until(() => engine.seq === 221, WAIT_MS);
      expect(reads).toBe(before); // folded from memory
      // appended another way (not handed over), then a commit that is: the gap is read from the log
      await store.appendEvents([usage(300, 'b1'), usage(301, 'b2')]);
      const third = await store.appendEvents([usage(302, 'b1')], { keep: true });
      runner.notify(third.stored);
      await until(() => engine.seq === 224, WAIT_MS);
    } finally {
      await runner.stop();
    }
    // the same states as one fold of the whole log
    const replay = await openEngine({ store: createMemoryStore(), catalog: exampleCatalog(), settings: DEFAULT_SETTINGS });
    const all = [];
    for await (const e of store.readEvents()) all.push(e.event);
    await replay.ingest(all);
    const snap = (e: typeof engine) => new Map([...e.states].map(([k, st]) => [k, serializeState(st)]));
    expect(snap(engine)).toEqual(snap(replay));
    await store.close();
  });

  describe('tomorrow\'s rows, extracted ahead in idle cycles', () => {
    const HOUR = 3_600_000;
    const DAY = 24 * HOUR;
    /** an engine of `n` accounts whose extractAhead and extractForDay calls are recorded (what each returned) */
    async function recorded(n: number) {
      const store = createMemoryStore();
      const engine = await openEngine({ store, catalog: exampleCatalog(), settings: DEFAULT_SETTINGS });
      await engine.ingest(Array.from({ length: n }, (_, i) => usage(i + 1, `a${i}`)));
      const ahead: number[] = [];
      const forDay: number[] = [];
      const extractAhead = engine.extractAhead.bind(engine);
      const extractForDay = engine.extractForDay.bind(engine);
      let afterAhead = () => {};
      engine.extractAhead = (now, limit) => { const k = extractAhead(now, limit); ahead.push(k); afterAhead(); return k; };
      engine.extractForDay = (now, limit) => { const k = extractForDay(now, limit); forDay.push(k); return k; };
      return { store, engine, ahead, forDay, onAhead: (f: () => void) => { afterAhead = f; } };
    }

    it('from an hour before midnight: in slices, then the changed rows, and the day\'s first tick extracts none', async () => {
      const { store, engine, ahead, forDay } = await recorded(5);
      let clock = T + 22 * HOUR;
      // cycles run only when the test asks (cycle()): the timer is a minute away
      const runner = new EngineRunner(engine, store, { now: () => clock, cycleMs: 60_000, minGapMs: 0, rescoreSlice: 2 });
      runner.start();
      try {
        await runner.cycle();
        expect(ahead).toEqual([]); // 22:00: not yet
        clock = T + 23.5 * HOUR;
        await runner.cycle();
        expect(ahead).toEqual([2, 2, 1]); // slices of rescoreSlice, a yield between them
        await runner.cycle();
        expect(ahead).toEqual([2, 2, 1, 0]);
        // a commit: its cycle folds and rescores it, then redoes that account's row
        await store.appendEvents([usage(100, 'a3')]);
        await runner.cycle();
        expect(engine.seq).toBe(6);
        expect(ahead).toEqual([2, 2, 1, 0, 1]);
        // past midnight: the tick's extraction finds every row ready
        forDay.length = 0;
        clock = T + DAY + 60_000;
        await runner.cycle();
        expect(forDay).toEqual([0]);
        expect(engine.hasScore('a3')).toBe(true);
      } finally {
        await runner.stop();
      }
    });

    it('stops at midnight and when a commit asks for a cycle; aheadFromMs moves the start, and 0 turns it off', async () => {
      const { store, engine, ahead, onAhead } = await recorded(6);
      let clock = T + 21.5 * HOUR;
      const runner = new EngineRunner(engine, store, { now: () => clock, cycleMs: 60_000, minGapMs: 0, rescoreSlice: 1, aheadFromMs: 3 * HOUR });
      runner.start();
      try {
        // 21:30 is within three hours of midnight; the clock reaches midnight during the first slice
        onAhead(() => { clock = T + DAY; });
        await runner.cycle();
        expect(ahead).toEqual([1]);
        // a commit announced during a slice: the cycle ends for it (its own cycle waits for the timer here)
        clock = T + DAY + 22 * HOUR;
        ahead.length = 0;
        onAhead(() => runner.notify());
        await runner.cycle();
        expect(ahead).toEqual([1]);
      } finally {
        await runner.stop();
      }
      const off = await recorded(3);
      const r2 = new EngineRunner(off.engine, off.store, { now: () => T + 23.9 * HOUR, cycleMs: 60_000, minGapMs: 0, aheadFromMs: 0 });
      r2.start();
      try {
        await r2.cycle();
        expect(off.ahead).toEqual([]);
      } finally {
        await r2.stop();
      }
    });
  });
});
