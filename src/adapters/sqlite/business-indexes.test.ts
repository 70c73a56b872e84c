// Business events are read through the partial indexes, not by a scan of the log: one account's
// through events_history, some types across accounts through events_by_type. The plans SQLite picks
// for readEvents' condition, and the events it returns on a store where telemetry is most of the log.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventQuery } from '../../app/ports.ts';
import type { TierwiseEvent } from '../../core/events/types.ts';
import { eventsWhere, openSqliteStore } from './sqlite-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'tierwise-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.parse('2026-03-01T00:00:00Z');

const plan = (db: Database.Database, where: string): string =>
  (db.prepare(`EXPLAIN QUERY PLAN SELECT seq, body FROM events WHERE ${where} ORDER BY seq LIMIT 10`).all({ after: 0, account: 'a1', from: 0, to: T0 * 2, limit: 10 }) as { detail: string }[])
    .map((r) => r.detail).join('; ');

describe('the business events\' indexes (SQLite)', () => {
  it('serve one account\'s business events and some types across accounts, and only those reads', async () => {
    const path = join(dir, 'h.db');
    const store = openSqliteStore(path);
    const events: TierwiseEvent[] = [];
    for (let i = 0; i < 3_000; i++) {
      const account = `a${i % 50}`;
      const ts = T0 + i * 60_000;
      if (i % 10 === 0) events.push({ id: `g${i}`, ts, account, user: 'u1', type: 'gate', feature: 'sso' } as TierwiseEvent);
      else if (i % 10 === 1) events.push({ id: `n${i}`, ts, account, user: 'u1', type: 'nps', score: i % 11 } as TierwiseEvent);
      else events.push({ id: `u${i}`, ts, account, user: 'u1', type: 'usage', meter: 'api_calls', quantity: 1 } as TierwiseEvent);
    }
    await store.appendEvents(events);
    const read = async (q: EventQuery) => { const out: string[] = []; for await (const e of store.readEvents(q)) out.push(e.event.id); return out; };
    const history: EventQuery = { account: 'a1', types: ['gate', 'nps', 'ticket'], from: T0, to: T0 * 2 };
    expect(await read(history)).toEqual(events.filter((e) => e.account === 'a1' && (e.type === 'gate' || e.type === 'nps')).map((e) => e.id));
    const nps: EventQuery = { types: ['nps'] };
    expect(await read(nps)).toEqual(events.filter((e) => e.type === 'nps').map((e) => e.id));
    expect((await read({ ...nps, afterSeq: 1_000, limit: 7 })).length).toBe(7);
    // telemetry is not in the indexes: asking for it reads the log as before, and finds it
    expect((await read({ account: 'a1', types: ['usage', 'gate'] })).length).toBe(events.filter((e) => e.account === 'a1' && (e.type === 'usage' || e.type === 'gate')).length);
    await store.close();

    const db = new Database(path, { readonly: true });
    try {
      expect(plan(db, eventsWhere({ ...history, afterSeq: 0 }))).toContain('USING INDEX events_history');
      expect(plan(db, eventsWhere(nps))).toContain('USING INDEX events_by_type');
      for (const q of [{ account: 'a1', types: ['usage', 'gate'] }, { account: 'a1' }, { types: ['feature'] }, {}] as EventQuery[]) {
        expect(plan(db, eventsWhere(q))).not.toMatch(/events_history|events_by_type/);
      }
    } finally {
      db.close();
    }
  });
});
