// The engine on the memory store: incremental folding with restarts equals a full replay,
// only changed accounts are rescored, and as-of replays history.
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../adapters/memory/memory-store.ts';
import { caseWorld, exampleCatalog, readCases, type WorldCase } from '../../test/support/fixture-world.ts';
import type { TierwiseEvent } from '../core/events/types.ts';
import { DEFAULT_SETTINGS } from '../core/scoring/settings.ts';
import { serializeState } from '../core/state/serialize.ts';
import { Engine, engineAsOf, openEngine, SEQ_META_KEY } from './engine.ts';

const catalog = exampleCatalog();
const settings = DEFAULT_SETTINGS;

/** Every fixture world as its own account, interleaved by time. */
function allWorlds(): { events: TierwiseEvent[]; now: number } {
  const cases = [...readCases<WorldCase>('signals/cases.json'), ...readCases<WorldCase>('scores/cases.json')];
  const events: TierwiseEvent[] = [];
  let now = 0;
  cases.forEach((c, i) => {
    const w = caseWorld(c);
    now = Math.max(now, w.now);
    for (const e of w.events) events.push({ ...e, id: `c${i}-${e.id}`, account: `acct-${i}` });
  });
  events.sort((a, b) => a.ts - b.ts);
  return { events, now };
}

const snapshot = (e: Engine) => new Map([...e.states].map(([k, s]) => [k, serializeState(s)]));

describe('engine', () => {
  it('incremental folding across restarts equals one full replay', async () => {
    const { events } = allWorlds();
    const full = await openEngine({ store: createMemoryStore(), catalog, settings });
    await full.ingest(events);

    const store = createMemoryStore();
    let engine = await openEngine({ store, catalog, settings });
    const chunk = Math.ceil(events.length / 5);
    for (let i = 0; i < events.length; i += chunk) {
      await engine.ingest(events.slice(i, i + chunk));
      await engine.save();
      engine = await openEngine({ store, catalog, settings }); // a restart: resumes from saved states and seq
    }
    expect(await store.getMeta(SEQ_META_KEY)).toBe(String(events.length));
    expect(snapshot(engine)).toEqual(snapshot(full));
  });

  it('a crash between saving states and the seq never folds an event twice', async () => {
    const { events } = allWorlds();
    const store = createMemoryStore();
    const a = await openEngine({ store, catalog, settings });
    await a.ingest(events.slice(0, 500));
    await a.save();
    await a.ingest(events.slice(500));
    await a.save();
    await store.setMeta(SEQ_META_KEY, '200'); // pretend the seq write was lost
    const b = await openEngine({ store, catalog, settings });
    expect(snapshot(b)).toEqual(snapshot(a));
  });

  it('re-ingesting the same events changes nothing', async () => {
    const { events } = allWorlds();
    const e = await openEngine({ store: createMemoryStore(), catalog, settings });
    await e.ingest(events);
    const before = snapshot(e);
    const r = await e.ingest(events.slice(0, 100));
    expect(r.events).toBe(0);
    expect(snapshot(e)).toEqual(before);
  });

  it('rescores only the accounts that changed; tick rescores all', async () => {
    const { events, now } = allWorlds();
    const e = await openEngine({ store: createMemoryStore(), catalog, settings });
    await e.ingest(events);
    expect(e.rescore(now)).toBe(e.states.size);
    expect(e.rescore(now)).toBe(0);
    await e.ingest([{ id: 'late-1', ts: now - 1000, account: 'acct-0', type: 'session', user: 'z' }]);
    expect(e.rescore(now)).toBe(1);
    expect(e.tick(now + 86_400_000)).toBe(e.states.size);
    const ranked = e.ranked();
    expect(ranked[0]?.ready).toBe(true);
    expect(ranked.length).toBe(e.states.size);
  });

  it('explain gives the offer for a ready account, and flags placeholders', async () => {
    const { events, now } = allWorlds();
    const e = await openEngine({ store: createMemoryStore(), catalog, settings });
    await e.ingest(events);
    e.tick(now);
    const ready = e.ranked().find((r) => r.ready)!;
    const ex = e.explain(ready.account, now)!;
    expect(ex.offer?.target.id).toBeDefined();
    expect(ex.offer?.proration?.net).toBeGreaterThan(0);
    expect(ex.offer?.message).toContain('Try it free for 14 days');
    const placeholder = e.ranked().find((r) => r.placeholder);
    expect(placeholder).toBeDefined();
  });

  it('as-of replays history without touching saved state', async () => {
    const store = createMemoryStore();
    const t = Date.parse('2026-03-01T00:00:00Z');
    const evs: TierwiseEvent[] = [
      { id: 'a', ts: t, account: 'x', type: 'subscription', plan: 'basic', interval: 'month', mrr: 29900, status: 'active' },
      { id: 'b', ts: t + 86_400_000 * 5, account: 'x', type: 'invoice', invoice: 'i1', status: 'past_due', amount: 29900 },
    ];
    const e = await openEngine({ store, catalog, settings });
    await e.ingest(evs);
    await e.save();
    const past = await engineAsOf({ store, catalog, settings }, t + 86_400_000 * 2);
    expect(past.explain('x', t + 86_400_000 * 2)?.signals.some((s) => s.id === 'past_due')).toBe(false);
    expect(e.explain('x', t + 86_400_000 * 6)?.signals.some((s) => s.id === 'past_due')).toBe(true);
    expect(await past.save()).toBe(0);
  });

  it('as-of from the nearest checkpoint equals a replay from event 0, late events included', async () => {
    const { events } = allWorlds();
    // a few events arrive late: appended last, with times in the middle of the log
    const late = events.filter((_, i) => i % 97 === 0).map((e) => ({ ...e, id: `late-${e.id}` }));
    const store = createMemoryStore();
    const live = await openEngine({ store, catalog, settings, checkpointDays: 1 });
    const half = Math.floor(events.length / 2);
    await live.ingest(events.slice(0, half));
    await live.save();
    const resumed = await openEngine({ store, catalog, settings, checkpointDays: 1 }); // the chain goes on across a restart
    await resumed.ingest([...events.slice(half), ...late]);
    await resumed.save();
    const first = events[0]!.ts;
    const last = events[events.length - 1]!.ts;
    expect(await store.findCheckpoint(first)).toBeUndefined();
    const asOf = Math.floor((first + last) / 2);
    const cp = await store.findCheckpoint(asOf);
    expect(cp).toBeDefined();
    expect(cp!.at).toBeGreaterThan(first);

    // the same log in a store without checkpoints: the as-of replay starts at event 0
    const plain = createMemoryStore();
    for await (const e of store.readEvents()) await plain.appendEvents([e.event]);
    for (const t of [asOf, cp!.at, last - 3_600_000, last + 1]) {
      const fromCp = await engineAsOf({ store, catalog, settings }, t);
      const fromZero = await engineAsOf({ store: plain, catalog, settings }, t);
      expect(fromCp.seq).toBeGreaterThan(0);
      expect(snapshot(fromCp)).toEqual(snapshot(fromZero));
    }
  });

  it('writes no checkpoint from an as-of replay and none when disabled', async () => {
    const { events } = allWorlds();
    const store = createMemoryStore();
    const e = await openEngine({ store, catalog, settings, checkpointDays: 0 });
    await e.ingest(events);
    await e.save();
    expect(await store.findCheckpoint(Number.POSITIVE_INFINITY)).toBeUndefined();
    const past = await engineAsOf({ store, catalog, settings, checkpointDays: 1 }, events[events.length - 1]!.ts);
    await past.save();
    expect(await store.findCheckpoint(Number.POSITIVE_INFINITY)).toBeUndefined();
  });
});
