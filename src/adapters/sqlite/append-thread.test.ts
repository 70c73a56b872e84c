// The append thread must leave the very store the main-thread append leaves (same rows, bodies,
// seqs, aggregates), hand back the same stored events with their seqs, keep SQLite's error code
// (SQLITE_BUSY becomes a 503 for the whole commit) and settle every append before close() returns.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TierwiseEvent } from '../../core/events/types.ts';
import { openSqliteStore } from './sqlite-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'tierwise-append-thread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.parse('2026-03-01T09:00:00Z');

/** Every event type the aggregates treat apart, several chunks of 64, unicode, extra fields, duplicates. */
function batch(k: number): TierwiseEvent[] {
  const out: TierwiseEvent[] = [];
  for (let i = 0; i < 300; i++) {
    const ts = T0 + ((i * 7_919) % 200) * 3_600_000 + k;
    const account = `acc-${i % 13}`;
    if (i % 17 === 0) out.push({ id: `t${k}-${i}`, ts, account, type: 'account', traits: { name: `Co ${i} é \u2028`, employees: i, nested: { a: [i, -0, 1.5] } } } as TierwiseEvent);
    else if (i % 11 === 0) out.push({ id: `g${k}-${i}`, ts, account, user: `u${i}`, type: 'gate', feature: 'sso', extra: { from: 'modal' } } as TierwiseEvent);
    else out.push({ id: `u${k}-${i}`, ts, account, user: `u${i % 5}`, type: 'usage', meter: i % 2 ? 'api_calls' : 'seats', quantity: (i % 9) + 0.25 } as TierwiseEvent);
  }
  return out;
}

function dump(db: string): unknown {
  const d = new Database(db, { readonly: true });
  try {
    return {
      events: d.prepare('SELECT seq, id, ts, account, type, body FROM events ORDER BY seq').all(),
      accounts: d.prepare('SELECT * FROM accounts ORDER BY id').all(),
      usage: d.prepare('SELECT * FROM usage_daily ORDER BY account, meter, day').all(),
    };
  } finally {
    d.close();
  }
}

describe('the SQLite append thread', () => {
  it('stores what the main-thread append stores, and hands back the same seqs', async () => {
    const calls = [batch(1), batch(2), [...batch(1).slice(100, 200), ...batch(3)], batch(2).slice(0, 5), [...batch(4), ...batch(4)]];
    const results: Record<string, unknown[]> = {};
    for (const mode of ['main', 'thread'] as const) {
      const file = join(dir, `${mode}.db`);
      const store = openSqliteStore(file, { appendThread: mode === 'thread' });
      const out: unknown[] = [];
      // two calls in flight at once: the thread takes them in order
      const pairs = await Promise.all(calls.slice(0, 2).map((c) => store.appendEvents(c, { keep: true })));
      out.push(...pairs);
      for (const c of calls.slice(2)) out.push(await store.appendEvents(c, { keep: true }));
      out.push(await store.appendEvents(batch(5)));
      await store.close();
      results[mode] = [out, dump(file)];
    }
    expect(results['thread']).toEqual(results['main']);
    const [out] = results['thread'] as [{ inserted: number; duplicates: number; stored?: { seq: number }[] }[]];
    // the duplicate-bearing calls took the path that looks the new rows' seqs up
    expect(out.map((r) => r.duplicates)).toEqual([0, 0, 100, 5, 300, 0]);
    expect(out[2]?.stored?.map((e) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => 601 + i));
  });

  it('keeps SQLite\'s error code when the write lock is held elsewhere', async () => {
    const file = join(dir, 'busy.db');
    const store = openSqliteStore(file, { appendThread: true, busyTimeoutMs: 50 });
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    try {
      await expect(store.appendEvents(batch(1))).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    // the thread lives on: the next append goes through
    expect(await store.appendEvents(batch(1))).toEqual({ inserted: 300, duplicates: 0 });
    await store.close();
  });

  it('settles the appends in flight before close() returns, and refuses appends after', async () => {
    const file = join(dir, 'close.db');
    const store = openSqliteStore(file, { appendThread: true });
    const pending = [store.appendEvents(batch(1)), store.appendEvents(batch(2))];
    await store.close();
    expect(await Promise.all(pending)).toEqual([{ inserted: 300, duplicates: 0 }, { inserted: 300, duplicates: 0 }]);
    expect((dump(file) as { events: unknown[] }).events).toHaveLength(600);
    await expect(store.appendEvents(batch(3))).rejects.toThrow(/closing/);
  });
});
