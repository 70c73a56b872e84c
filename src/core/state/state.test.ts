// fold + serialize: a state saved and resumed mid-stream equals a full replay, byte for byte.
import { describe, expect, it } from 'vitest';
import { caseWorld, exampleCatalog, readCases, type WorldCase } from '../../../test/support/fixture-world.ts';
import { emptyState } from './create.ts';
import { fold } from './fold.ts';
import { deserializeState, serializeState, StateFormatError } from './serialize.ts';
import { RING_DAYS } from './types.ts';
import { dayValue } from './meter-ring.ts';
import { dayOf } from './time.ts';
import { smallWorld } from '../../sim/test-world.ts';
import { parseCanonical } from '../../sources/canonical.ts';

const catalog = exampleCatalog();
const worlds = [...readCases<WorldCase>('signals/cases.json'), ...readCases<WorldCase>('scores/cases.json')];

describe('account state', () => {
  it('resuming from a saved state at any point equals a full replay', () => {
    for (const w of worlds) {
      const { events } = caseWorld(w);
      const full = emptyState('acme');
      for (const e of events) fold(full, e, catalog);
      for (const cut of [1, Math.floor(events.length / 3), Math.floor(events.length / 2), events.length - 1]) {
        if (cut <= 0 || cut >= events.length) continue;
        let s = emptyState('acme');
        events.slice(0, cut).forEach((e) => fold(s, e, catalog));
        s = deserializeState(serializeState(s));
        events.slice(cut).forEach((e) => fold(s, e, catalog));
        expect(serializeState(s), `${w.name} cut at ${cut}`).toBe(serializeState(full));
      }
    }
  });

  it('round-trips exactly', () => {
    for (const w of worlds) {
      const { events } = caseWorld(w);
      const s = emptyState('acme');
      for (const e of events) fold(s, e, catalog);
      const text = serializeState(s);
      expect(serializeState(deserializeState(text))).toBe(text);
    }
  });

  it('reads back every kind of cell: runs, decimals, negatives, exponents, numbers past 10 base-36 digits', () => {
    const s = emptyState('odd');
    const t0 = Date.parse('2026-01-01T10:00:00Z');
    const values = [0, 1.5, 0, 0, 0, -3, 1e12, 2 ** 53 + 2, 35, 36, 0.1 + 0.2, 1e-7, 0, 7];
    values.forEach((q, d) => fold(s, { id: `u${d}`, ts: t0 + d * 86_400_000, account: 'odd', type: 'usage', meter: 'api_calls', quantity: q }, catalog));
    values.forEach((q, d) => fold(s, { id: `g${d}`, ts: t0 + d * 86_400_000, account: 'odd', type: 'usage', meter: 'storage_gb', quantity: q === 0 ? 4 : Math.abs(q) }, catalog));
    s.firstTs = 2 ** 53 - 1; // 11 base-36 digits in a packed field
    const text = serializeState(s);
    const back = deserializeState(text);
    expect(serializeState(back)).toBe(text);
    expect(back.firstTs).toBe(2 ** 53 - 1);
    const d0 = dayOf(t0);
    expect(values.map((_, d) => dayValue(back.meters['api_calls']!, d0 + d))).toEqual(values.map((_, d) => dayValue(s.meters['api_calls']!, d0 + d)));
    expect(values.map((_, d) => dayValue(back.meters['storage_gb']!, d0 + d))).toEqual(values.map((_, d) => dayValue(s.meters['storage_gb']!, d0 + d)));
  });

  it('round-trips every account of a simulated world exactly', () => {
    const states = new Map<string, ReturnType<typeof emptyState>>();
    const events = smallWorld(200, 60, 5).events.split('\n').filter(Boolean).map((line) => parseCanonical(JSON.parse(line)))
      .flatMap((r) => (r.ok ? [r.event] : [])).sort((a, b) => a.ts - b.ts);
    for (const e of events) {
      let st = states.get(e.account);
      if (!st) states.set(e.account, (st = emptyState(e.account)));
      fold(st, e, catalog);
    }
    expect(states.size).toBeGreaterThanOrEqual(200);
    for (const st of states.values()) {
      const text = serializeState(st);
      expect(serializeState(deserializeState(text)), st.account).toBe(text);
    }
  });

  it('keeps 96 days of a meter and forgets older ones', () => {
    const s = emptyState('a');
    const t0 = Date.parse('2026-01-01T10:00:00Z');
    for (let d = 0; d < 200; d++) fold(s, { id: `u${d}`, ts: t0 + d * 86_400_000, account: 'a', type: 'usage', meter: 'api_calls', quantity: d + 1 }, catalog);
    const m = s.meters['api_calls']!;
    const last = dayOf(t0) + 199;
    expect(RING_DAYS).toBeGreaterThanOrEqual(90);
    expect(dayValue(m, last)).toBe(200);
    expect(dayValue(m, last - 95)).toBe(105);
    expect(dayValue(m, last - 96)).toBe(0);
    expect(dayValue(m, last + 3)).toBe(0);
  });

  it('a gauge carries its level across silent days; a late reading only fixes its own day', () => {
    const s = emptyState('a');
    const t0 = Date.parse('2026-01-01T10:00:00Z');
    const ev = (i: number, d: number, q: number) => fold(s, { id: `g${i}`, ts: t0 + d * 86_400_000, account: 'a', type: 'usage', meter: 'storage_gb', quantity: q }, catalog);
    ev(1, 0, 5); ev(2, 10, 8); ev(3, 4, 6);
    const m = s.meters['storage_gb']!;
    const d0 = dayOf(t0);
    expect([dayValue(m, d0), dayValue(m, d0 + 3), dayValue(m, d0 + 4), dayValue(m, d0 + 10), dayValue(m, d0 + 20)]).toEqual([5, 5, 6, 8, 8]);
    expect(m.level).toBe(8);
  });

  it('rejects a state in an unknown format', () => {
    expect(() => deserializeState('[99]')).toThrow(StateFormatError);
  });

  it('stays small: bytes per account for the fixture worlds', () => {
    let max = 0;
    for (const w of worlds) {
      const { events } = caseWorld(w);
      const s = emptyState('acme');
      for (const e of events) fold(s, e, catalog);
      max = Math.max(max, serializeState(s).length);
    }
    expect(max).toBeLessThan(2048);
  });
});
