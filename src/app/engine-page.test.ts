// Engine.page(q) is a window of Engine.ranked() (docs/adr/0015-columnar-rescore.md "A page of the
// ranking"): over many seeded random engines and queries it must give exactly
// ranked().filter(q).slice(offset, offset + limit), and the filtered length as its total, on the
// heap path (a page near the top) and the sort path (a deep page) alike.
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../adapters/memory/memory-store.ts';
import { DEFAULT_SETTINGS } from '../core/scoring/settings.ts';
import { STAGES } from '../core/scoring/stage.ts';
import { deserializeState, serializeState } from '../core/state/serialize.ts';
import { DAY_MS } from '../core/state/time.ts';
import { Rng } from '../sim/rng.ts';
import { exampleCatalog } from '../sim/test-world.ts';
import { DEEP_PAGE, Engine, type RankedQuery, type RankedRow } from './engine.ts';
import { simulateParsed } from './model-world.ts';
import { topSlots } from './top-slots.ts';

const catalog = exampleCatalog();
const settings = DEFAULT_SETTINGS;
const { events } = simulateParsed({ accounts: 80, days: 45, seed: 23, startMs: Date.UTC(2026, 0, 1), catalog });
const base = new Engine({ store: createMemoryStore(), catalog, settings, checkpointDays: 0 }, true);
base.foldStored(events.map((event, k) => ({ seq: k + 1, event })));
const texts = [...base.states.values()].map(serializeState);
const end = events[events.length - 1]!.ts;

// pieces of ids that collate in another order than their code units, and some that collate equal
// to other pieces ('é' and 'e' + combining acute, the soft hyphen and NUL are ignored)
const PIECES = ['a', 'A', 'b', 'B', 'é', 'e\u0301', 'e', '-', '_', '1', '2', '10', '\u00ad', '\u0000', 'z', 'Z'];

/** A random engine, and a way to add accounts to it and tick it again (its slots grow between pages). */
function randomEngine(r: Rng): { e: Engine; grow: () => void } {
  const e = new Engine({ store: createMemoryStore(), catalog, settings, checkpointDays: 0 }, true);
  const n = r.chance(0.1) ? r.int(3) : r.int(400);
  // a few distinct states for some engines: whole runs of accounts on one priority
  const pool = r.chance(0.4) ? Array.from({ length: 1 + r.int(4) }, () => r.pick(texts)) : texts;
  const add = (count: number) => {
    for (let k = 0; k < count; k++) {
      let id = '';
      const len = 1 + r.int(4);
      for (let j = 0; j < len; j++) id += r.pick(PIECES);
      if (e.states.has(id)) continue;
      const s = deserializeState(r.pick(pool));
      s.account = id;
      e.states.set(id, s);
    }
  };
  add(n);
  const now = end + r.int(30) * DAY_MS + r.int(DAY_MS);
  e.tick(now);
  if (r.chance(0.3)) e.drop(() => r.chance(0.3)); // slots moved down over the gaps
  const grow = () => { add(r.int(60)); e.tick(now + r.int(DAY_MS)); };
  if (r.chance(0.3)) grow(); // accounts arriving after a ranking
  return { e, grow };
}

function randomQuery(r: Rng, rows: readonly RankedRow[]): RankedQuery {
  const segments = [...new Set(rows.map((x) => x.segment)), 'nowhere'];
  const q: RankedQuery = { offset: 0, limit: 0 };
  if (r.chance(0.4)) q.stage = r.pick(STAGES);
  if (r.chance(0.3)) q.segment = r.pick(segments);
  if (r.chance(0.3)) q.ready = r.chance(0.5);
  const m = rows.length;
  q.offset = r.chance(0.5) ? r.int(5) : r.chance(0.8) ? r.int(m + 1) : m + r.int(20);
  q.limit = r.chance(0.1) ? 0 : r.chance(0.7) ? 1 + r.int(50) : 1 + r.int(m + 20);
  return q;
}

const collate = new Intl.Collator().compare;
const keeps = (q: RankedQuery) => (x: RankedRow) =>
  (q.stage === undefined || x.stage === q.stage) && (q.segment === undefined || x.segment === q.segment) && (q.ready === undefined || x.ready === q.ready);

describe('Engine.page', () => {
  it('is ranked() filtered and sliced, and counts the filtered rows, over random engines and queries', () => {
    const r = new Rng(20261203);
    let heap = 0;
    let sorted = 0;
    let ties = 0;
    let sameId = 0;
    for (let k = 0; k < 60; k++) {
      const { e, grow } = randomEngine(r);
      for (let j = 0; j < 40; j++) {
        if (j === 20 && r.chance(0.5)) grow();
        // ranked() first or page() first: neither may lean on what the other cached
        const pageFirst = r.chance(0.5);
        const rows = pageFirst ? undefined : e.ranked();
        const q = randomQuery(r, rows ?? []);
        const got = e.page(q);
        const all = (rows ?? e.ranked()).filter(keeps(q));
        const want = all.slice(q.offset, q.offset + q.limit);
        expect(got.total, JSON.stringify(q)).toBe(all.length);
        expect(got.rows, JSON.stringify(q)).toEqual(want);
        const last = Math.min(all.length, q.offset + q.limit);
        if (last > q.offset) { if (last * DEEP_PAGE <= all.length) heap++; else sorted++; }
        for (let i = 1; i < want.length; i++) {
          if (want[i]!.priority !== want[i - 1]!.priority) continue;
          ties++;
          if (collate(want[i]!.account, want[i - 1]!.account) === 0) sameId++;
        }
      }
    }
    // both paths, ties on priority and ids that collate equal were exercised, not only empty pages
    expect(heap).toBeGreaterThan(100);
    expect(sorted).toBeGreaterThan(100);
    expect(ties).toBeGreaterThan(1000);
    expect(sameId).toBeGreaterThan(10);
  });

  it('refuses a negative or fractional window', () => {
    const { e } = randomEngine(new Rng(5));
    expect(() => e.page({ offset: -1, limit: 10 })).toThrow(RangeError);
    expect(() => e.page({ offset: 0, limit: 1.5 })).toThrow(RangeError);
  });
});

describe('topSlots', () => {
  it('gives the first k of a full sort, for any k', () => {
    const r = new Rng(7);
    for (let t = 0; t < 300; t++) {
      const n = r.int(200);
      // keys with many ties, broken by the slot: a strict total order
      const key = Array.from({ length: n }, () => r.int(1 + r.int(10)));
      const before = (a: number, b: number) => key[a]! > key[b]! || (key[a] === key[b] && a < b);
      const slots = Int32Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) { const j = r.int(i + 1); [slots[i], slots[j]] = [slots[j]!, slots[i]!]; }
      const want = [...slots].sort((a, b) => (before(a, b) ? -1 : 1));
      const k = r.int(n + 3);
      expect([...topSlots(slots, k, before)]).toEqual(want.slice(0, k));
    }
  });
});
