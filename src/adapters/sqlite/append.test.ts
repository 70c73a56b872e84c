// The append's aggregates, written many rows a statement, against the memory store's (the same
// BatchAggregates, merged in plain code): random commits over few accounts, with redeliveries,
// traits arriving out of order, gauges and counters over several days, mixed in one commit.
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../memory/memory-store.ts';
import type { Store } from '../../app/ports.ts';
import type { TierwiseEvent } from '../../core/events/types.ts';
import { openSqliteStore } from './sqlite-store.ts';

const T0 = Date.parse('2026-03-01T00:00:00Z');

function commits(seed: number): TierwiseEvent[][] {
  let s = seed;
  const rnd = () => { s = (s * 1_103_515_245 + 12_345) % 2_147_483_648; return s / 2_147_483_648; };
  const out: TierwiseEvent[][] = [];
  for (let c = 0; c < 30; c++) {
    const b: TierwiseEvent[] = [];
    // sizes across the 64-row chunks of the statements: 1, 63, 64, 65, 200...
    const n = [1, 63, 64, 65, 129, 200][c % 6] as number;
    for (let i = 0; i < n; i++) {
      const r = rnd();
      const ts = T0 + Math.floor(rnd() * 4 * 86_400_000);
      const account = `a${Math.floor(rnd() * 90)}`;
      const id = `e${Math.floor(rnd() * 3_000)}`;
      if (r < 0.15) b.push({ id, ts, account, type: 'account', traits: { name: `n${Math.floor(rnd() * 5)}`, [`k${Math.floor(rnd() * 4)}`]: Math.floor(rnd() * 9) } } as TierwiseEvent);
      else if (r < 0.25) b.push({ id, ts, account, user: 'u1', type: 'gate', feature: 'sso' } as TierwiseEvent);
      else b.push({ id, ts, account, user: 'u1', type: 'usage', meter: rnd() < 0.5 ? 'api_calls' : 'seats', quantity: Math.floor(rnd() * 20) } as TierwiseEvent);
    }
    out.push(b);
  }
  return out;
}

async function state(store: Store) {
  const accounts = await store.listAccounts();
  const usage = [];
  for (const a of accounts) usage.push(...await store.usageDays(a.id));
  return { accounts, usage };
}

describe('the SQLite append\'s aggregates', () => {
  for (const seed of [1, 2, 3]) {
    it(`equal the memory store's after random commits (seed ${seed})`, async () => {
      const sqlite = openSqliteStore(':memory:');
      const memory = createMemoryStore();
      for (const b of commits(seed)) {
        expect(await sqlite.appendEvents(b)).toEqual(await memory.appendEvents(b));
      }
      const got = await state(sqlite);
      expect(got.accounts.length).toBeGreaterThan(60);
      expect(got.accounts.some((a) => !a.placeholder) && got.accounts.some((a) => a.placeholder)).toBe(true);
      expect(got).toEqual(await state(memory));
      await sqlite.close();
    });
  }
});
