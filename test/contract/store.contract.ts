// One contract every store passes (Drizzle's pattern): memory and SQLite today, PostgreSQL later.
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import type { Store } from '../../src/app/ports.ts';
import type { TierwiseEvent } from '../../src/core/events/types.ts';
import { playbookContract } from './playbook.contract.ts';

const T0 = Date.parse('2026-03-01T09:00:00Z');
const H = 3_600_000;

export const usage = (id: string, account: string, meter: string, quantity: number, ts: number): TierwiseEvent =>
  ({ id, ts, account, type: 'usage', meter, quantity });

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

export function storeContract(name: string, open: () => Promise<Store>): void {
  playbookContract(name, open);
  describe(`store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => { store = await open(); });
    afterEach(async () => { await store.close(); });

    it('appends new events and counts redeliveries as duplicates', async () => {
      const batch = [usage('e1', 'a1', 'api_calls', 5, T0), usage('e2', 'a1', 'api_calls', 7, T0 + H)];
      expect(await store.appendEvents(batch)).toEqual({ inserted: 2, duplicates: 0 });
      expect(await store.appendEvents(batch)).toEqual({ inserted: 0, duplicates: 2 });
      expect(await store.countEvents()).toBe(2);
    });

    it('dedupes within one batch', async () => {
      const e = usage('e1', 'a1', 'api_calls', 5, T0);
      expect(await store.appendEvents([e, e, { ...e }])).toEqual({ inserted: 1, duplicates: 2 });
    });

    it('counts only new events of a large batch mixing new and stored ones, in the aggregates too', async () => {
      const ev = (i: number) => usage(`m${i}`, 'a1', 'api_calls', i, T0 + i * 1000);
      await store.appendEvents(Array.from({ length: 100 }, (_, i) => ev(i * 2)));
      const mixed = Array.from({ length: 200 }, (_, i) => ev(i));
      mixed.push(ev(1), ev(3));
      expect(await store.appendEvents(mixed)).toEqual({ inserted: 100, duplicates: 102 });
      expect(await store.countEvents()).toBe(200);
      const [day] = await store.usageDays('a1', 'api_calls');
      expect(day?.sum).toBe((199 * 200) / 2);
      expect(day?.events).toBe(200);
    });

    it('gives gap-free seqs in append order and keeps extra fields', async () => {
      await store.appendEvents([usage('e1', 'a1', 'm', 1, T0 + 2 * H), usage('e1', 'a1', 'm', 1, T0 + 2 * H)]);
      await store.appendEvents([{ id: 'g1', ts: T0, account: 'a2', user: 'u1', type: 'gate', feature: 'sso', extra: { source: 'modal' } }]);
      const rows = await all(store.readEvents());
      expect(rows.map((r) => r.seq)).toEqual([1, 2]);
      expect(rows[1]?.event).toEqual({ id: 'g1', ts: T0, account: 'a2', user: 'u1', type: 'gate', feature: 'sso', extra: { source: 'modal' } });
    });

    it('filters reads by account, type, time range, afterSeq and limit', async () => {
      await store.appendEvents([
        usage('e1', 'a1', 'm', 1, T0),
        { id: 'e2', ts: T0 + H, account: 'a1', type: 'session' },
        usage('e3', 'a2', 'm', 1, T0 + 2 * H),
        usage('e4', 'a1', 'm', 1, T0 + 3 * H),
      ]);
      const ids = async (q: Parameters<Store['readEvents']>[0]) => (await all(store.readEvents(q))).map((r) => r.event.id);
      expect(await ids({ account: 'a1' })).toEqual(['e1', 'e2', 'e4']);
      expect(await ids({ types: ['usage'] })).toEqual(['e1', 'e3', 'e4']);
      expect(await ids({ from: T0 + H, to: T0 + 3 * H })).toEqual(['e2', 'e3']);
      expect(await ids({ afterSeq: 2 })).toEqual(['e3', 'e4']);
      expect(await ids({ limit: 2 })).toEqual(['e1', 'e2']);
    });

    it('reads more events than one page, in order', async () => {
      const batch = Array.from({ length: 12_345 }, (_, i) => usage(`e${i}`, `a${i % 7}`, 'm', 1, T0 + i));
      await store.appendEvents(batch);
      let n = 0;
      let last = 0;
      for await (const r of store.readEvents()) {
        expect(r.seq).toBe(last + 1);
        last = r.seq;
        n++;
      }
      expect(n).toBe(12_345);
    });

    it('creates a placeholder for an unknown account and fills it when described', async () => {
      await store.appendEvents([usage('e1', 'acme', 'api_calls', 1, T0 + H)]);
      expect(await store.getAccount('acme')).toMatchObject({ id: 'acme', placeholder: true, traits: {}, firstSeen: T0 + H, lastSeen: T0 + H });
      await store.appendEvents([{ id: 'a1', ts: T0, account: 'acme', type: 'account', traits: { name: 'Acme', employees: 40 } }]);
      expect(await store.getAccount('acme')).toMatchObject({ placeholder: false, traits: { name: 'Acme', employees: 40 }, firstSeen: T0, lastSeen: T0 + H });
      expect(await store.countAccounts()).toBe(1);
      expect(await store.getAccount('nobody')).toBeUndefined();
    });

    it('merges traits so the newest value of each trait wins, whatever the arrival order', async () => {
      await store.appendEvents([{ id: 'a2', ts: T0 + 2 * H, account: 'acme', type: 'account', traits: { name: 'Acme Inc', segment: 'smb' } }]);
      await store.appendEvents([{ id: 'a1', ts: T0, account: 'acme', type: 'account', traits: { name: 'Acme', industry: 'retail' } }]);
      expect((await store.getAccount('acme'))?.traits).toEqual({ name: 'Acme Inc', segment: 'smb', industry: 'retail' });
      expect((await store.listAccounts()).map((a) => a.id)).toEqual(['acme']);
    });

    it('aggregates usage per day: counters sum, gauges keep the latest level, redelivery changes nothing', async () => {
      const batch = [
        usage('c1', 'a1', 'api_calls', 100, T0),
        usage('c2', 'a1', 'api_calls', 50, T0 + H),
        usage('g2', 'a1', 'storage_gb', 9, T0 + 2 * H),
        usage('g1', 'a1', 'storage_gb', 7, T0 + H),
        usage('c3', 'a1', 'api_calls', 10, T0 + 24 * H),
      ];
      await store.appendEvents(batch);
      await store.appendEvents(batch);
      const days = await store.usageDays('a1');
      expect(days).toEqual([
        { account: 'a1', meter: 'api_calls', day: '2026-03-01', sum: 150, last: 50, lastTs: T0 + H, events: 2 },
        { account: 'a1', meter: 'api_calls', day: '2026-03-02', sum: 10, last: 10, lastTs: T0 + 24 * H, events: 1 },
        { account: 'a1', meter: 'storage_gb', day: '2026-03-01', sum: 16, last: 9, lastTs: T0 + 2 * H, events: 2 },
      ]);
      expect(await store.usageDays('a1', 'storage_gb')).toHaveLength(1);
    });

    it('persists engine state and meta values, upserting by account', async () => {
      await store.saveStates([{ account: 'a1', state: 's1', seq: 3 }, { account: 'a2', state: 's2', seq: 4 }]);
      await store.saveStates([{ account: 'a1', state: 's1b', seq: 9 }]);
      expect(await store.loadState('a1')).toEqual({ account: 'a1', state: 's1b', seq: 9 });
      expect(await store.loadState('zz')).toBeUndefined();
      expect(await all(store.loadAllStates())).toEqual([{ account: 'a1', state: 's1b', seq: 9 }, { account: 'a2', state: 's2', seq: 4 }]);
      expect(await store.getMeta('engine.seq')).toBeUndefined();
      await store.setMeta('engine.seq', '12');
      await store.setMeta('engine.seq', '13');
      expect(await store.getMeta('engine.seq')).toBe('13');
      await store.setMeta('a.first', '1');
      expect(await store.listMeta()).toEqual([['a.first', '1'], ['engine.seq', '13']]);
    });

    it('knows where the data ends without scanning: the newest event time, late events included', async () => {
      expect(await store.latestEventTs()).toBe(0);
      await store.appendEvents([usage('e1', 'a1', 'api_calls', 1, T0 + 5 * H), usage('e2', 'a1', 'api_calls', 1, T0)]);
      expect(await store.latestEventTs()).toBe(T0 + 5 * H);
      await store.appendEvents([usage('e3', 'a2', 'api_calls', 1, T0 + H)]);
      expect(await store.latestEventTs()).toBe(T0 + 5 * H);
    });

    it('keeps state checkpoints: the nearest one at or before a moment, each account as of its newest entry', async () => {
      expect(await store.findCheckpoint(Number.POSITIVE_INFINITY)).toBeUndefined();
      const D = 24 * H;
      await store.saveCheckpoint({ at: T0, seq: 10 }, [{ account: 'a1', state: 'a1@0', seq: 8 }, { account: 'a2', state: 'a2@0', seq: 10 }]);
      await store.saveCheckpoint({ at: T0 + D, seq: 20 }, [{ account: 'a1', state: 'a1@1', seq: 19 }, { account: 'a3', state: 'a3@1', seq: 20 }]);
      await store.saveCheckpoint({ at: T0 + 2 * D, seq: 30 }, [{ account: 'a2', state: 'a2@2', seq: 30 }]);
      expect(await store.findCheckpoint(T0 - 1)).toBeUndefined();
      expect(await store.findCheckpoint(T0)).toEqual({ at: T0, seq: 10 });
      expect(await store.findCheckpoint(T0 + D + 5)).toEqual({ at: T0 + D, seq: 20 });
      expect(await store.findCheckpoint(Number.POSITIVE_INFINITY)).toEqual({ at: T0 + 2 * D, seq: 30 });
      expect(await all(store.loadCheckpoint(T0 + D))).toEqual([
        { account: 'a1', state: 'a1@1', seq: 19 }, { account: 'a2', state: 'a2@0', seq: 10 }, { account: 'a3', state: 'a3@1', seq: 20 },
      ]);
      expect(await all(store.loadCheckpoint(T0 + 2 * D))).toEqual([
        { account: 'a1', state: 'a1@1', seq: 19 }, { account: 'a2', state: 'a2@2', seq: 30 }, { account: 'a3', state: 'a3@1', seq: 20 },
      ]);
      // saving a checkpoint again replaces it whole
      await store.saveCheckpoint({ at: T0 + D, seq: 21 }, [{ account: 'a1', state: 'a1@1b', seq: 21 }]);
      expect(await store.findCheckpoint(T0 + D)).toEqual({ at: T0 + D, seq: 21 });
      expect(await all(store.loadCheckpoint(T0 + D))).toEqual([{ account: 'a1', state: 'a1@1b', seq: 21 }, { account: 'a2', state: 'a2@0', seq: 10 }]);
    });

    it('keeps API keys by id, lists them oldest first, revokes once, refuses a second key with the same id', async () => {
      await store.insertKey({ id: 'k2', name: 'ci', scope: 'ingest', hash: 'h2', createdAt: T0 + H });
      await store.insertKey({ id: 'k1', name: 'ops', scope: 'admin', hash: 'h1', createdAt: T0 });
      await expect(store.insertKey({ id: 'k1', name: 'dup', scope: 'admin', hash: 'hx', createdAt: T0 })).rejects.toThrow();
      expect(await store.getKey('k1')).toEqual({ id: 'k1', name: 'ops', scope: 'admin', hash: 'h1', createdAt: T0 });
      expect(await store.getKey('nope')).toBeUndefined();
      expect(await store.revokeKey('k2', T0 + 2 * H)).toBe(true);
      expect(await store.revokeKey('k2', T0 + 3 * H)).toBe(false);
      expect(await store.revokeKey('nope', T0)).toBe(false);
      expect((await store.listKeys()).map((k) => [k.id, k.revokedAt])).toEqual([['k1', undefined], ['k2', T0 + 2 * H]]);
    });
  });
}
