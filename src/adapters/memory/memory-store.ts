// The in-memory store: for tests and throwaway runs. Same contract as the SQLite store.
import type { AccountTraits, TierwiseEvent } from '../../core/events/types.ts';
import type { AccountRecord, ApiKeyRecord, EventQuery, StateEntry, Store, StoredEvent, UsageDay } from '../../app/ports.ts';
import { BatchAggregates, dedupeKey } from '../../app/batch-aggregates.ts';
import { createPlaybookMemory } from './playbook-memory.ts';

interface AccountRow extends AccountRecord {
  traitsTs?: number;
}

const clone = <T>(v: T): T => structuredClone(v);

export function createMemoryStore(): Store {
  const events: StoredEvent[] = [];
  const seen = new Set<string>();
  const accounts = new Map<string, AccountRow>();
  const usage = new Map<string, UsageDay>();
  const states = new Map<string, StateEntry>();
  const meta = new Map<string, string>();
  /** checkpoint at -> its seq and the entries saved with it */
  const checkpoints = new Map<number, { seq: number; entries: Map<string, StateEntry> }>();
  let latestTs = 0;
  const keys = new Map<string, ApiKeyRecord>();

  const mergeTraits = (row: AccountRow, traits: AccountTraits, ts: number) => {
    if (row.traitsTs === undefined || ts >= row.traitsTs) {
      row.traits = { ...row.traits, ...traits };
      row.traitsTs = ts;
    } else {
      row.traits = { ...traits, ...row.traits };
    }
    row.placeholder = false;
  };

  return {
    kind: 'memory',
    ...createPlaybookMemory(),
    async appendEvents(batch) {
      const agg = new BatchAggregates();
      let inserted = 0;
      for (const e of batch) {
        const key = dedupeKey(e);
        if (seen.has(key)) continue;
        seen.add(key);
        events.push({ seq: events.length + 1, event: clone(e) });
        if (e.ts > latestTs) latestTs = e.ts;
        agg.add(e);
        inserted++;
      }
      for (const a of agg.accounts.values()) {
        let row = accounts.get(a.id);
        if (!row) {
          row = { id: a.id, traits: {}, placeholder: true, firstSeen: a.firstSeen, lastSeen: a.lastSeen };
          accounts.set(a.id, row);
        }
        row.firstSeen = Math.min(row.firstSeen, a.firstSeen);
        row.lastSeen = Math.max(row.lastSeen, a.lastSeen);
        if (a.traits && a.traitsTs !== undefined) mergeTraits(row, a.traits, a.traitsTs);
      }
      for (const [key, u] of agg.usage) {
        const row = usage.get(key);
        if (!row) {
          usage.set(key, { ...u });
        } else {
          row.sum += u.sum;
          row.events += u.events;
          if (u.lastTs >= row.lastTs) {
            row.last = u.last;
            row.lastTs = u.lastTs;
          }
        }
      }
      return { inserted, duplicates: batch.length - inserted };
    },
    async countEvents() {
      return events.length;
    },
    async latestEventTs() {
      return latestTs;
    },
    async *readEvents(q: EventQuery = {}) {
      let n = 0;
      const limit = q.limit ?? Number.POSITIVE_INFINITY;
      for (let i = q.afterSeq ?? 0; i < events.length && n < limit; i++) {
        const s = events[i] as StoredEvent;
        const e: TierwiseEvent = s.event;
        if (q.account !== undefined && e.account !== q.account) continue;
        if (q.from !== undefined && e.ts < q.from) continue;
        if (q.to !== undefined && e.ts >= q.to) continue;
        if (q.types?.length && !q.types.includes(e.type)) continue;
        n++;
        yield { seq: s.seq, event: clone(e) };
      }
    },
    async getAccount(id) {
      const row = accounts.get(id);
      return row ? publicAccount(row) : undefined;
    },
    async listAccounts() {
      return [...accounts.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(publicAccount);
    },
    async countAccounts() {
      return accounts.size;
    },
    async usageDays(account, meter) {
      return [...usage.values()]
        .filter((u) => u.account === account && (meter === undefined || u.meter === meter))
        .sort((a, b) => (a.meter + a.day < b.meter + b.day ? -1 : 1))
        .map((u) => ({ ...u }));
    },
    async loadState(account) {
      const s = states.get(account);
      return s ? { ...s } : undefined;
    },
    async *loadAllStates() {
      for (const key of [...states.keys()].sort()) yield { ...(states.get(key) as StateEntry) };
    },
    async saveStates(entries) {
      for (const s of entries) states.set(s.account, { ...s });
    },
    async saveCheckpoint(cp, entries) {
      checkpoints.set(cp.at, { seq: cp.seq, entries: new Map(entries.map((e) => [e.account, { ...e }])) });
    },
    async findCheckpoint(t) {
      let best: number | undefined;
      for (const at of checkpoints.keys()) if (at <= t && (best === undefined || at > best)) best = at;
      return best === undefined ? undefined : { at: best, seq: (checkpoints.get(best) as { seq: number }).seq };
    },
    async *loadCheckpoint(at) {
      const merged = new Map<string, StateEntry>();
      for (const a of [...checkpoints.keys()].filter((k) => k <= at).sort((x, y) => x - y)) {
        for (const [account, e] of (checkpoints.get(a) as { entries: Map<string, StateEntry> }).entries) merged.set(account, e);
      }
      for (const key of [...merged.keys()].sort()) yield { ...(merged.get(key) as StateEntry) };
    },
    async getMeta(key) {
      return meta.get(key);
    },
    async listMeta() {
      return [...meta.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    },
    async setMeta(key, value) {
      meta.set(key, value);
    },
    async insertKey(k) {
      if (keys.has(k.id)) throw new Error(`api key ${k.id} already exists`);
      keys.set(k.id, { ...k });
    },
    async getKey(id) {
      const k = keys.get(id);
      return k ? { ...k } : undefined;
    },
    async listKeys() {
      return [...keys.values()].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)).map((k) => ({ ...k }));
    },
    async revokeKey(id, at) {
      const k = keys.get(id);
      if (!k || k.revokedAt !== undefined) return false;
      k.revokedAt = at;
      return true;
    },
    async close() {},
  };
}

function publicAccount(row: AccountRow): AccountRecord {
  return { id: row.id, traits: clone(row.traits), placeholder: row.placeholder, firstSeen: row.firstSeen, lastSeen: row.lastSeen };
}
