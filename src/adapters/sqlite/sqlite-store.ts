// The embedded default store: one SQLite file, WAL, migrations on open.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TierwiseEvent } from '../../core/events/types.ts';
import type { AccountRecord, ApiKeyRecord, AppendResult, CheckpointInfo, EventQuery, StateEntry, Store, StoredEvent, UsageDay } from '../../app/ports.ts';
import { BatchAggregates, dedupeKey } from '../../app/batch-aggregates.ts';
import { MIGRATIONS } from './migrations.ts';
import { createPlaybookSqlite } from './playbook-sqlite.ts';
import { statementCache } from './statements.ts';

const READ_PAGE = 5_000;
const CHUNK = 64;
/** SQLite's default: the WAL is copied into the database file once it holds this many pages. */
const LIVE_CHECKPOINT_PAGES = 1_000;
/**
 * During a bulk load (256 MiB of WAL at 4 KiB pages). Each checkpoint copies every page committed since
 * the last one and fsyncs; an import's commits rewrite the same pages (the dedupe index's right edge,
 * the aggregates), so checkpointing rarely copies each of them once instead of once per commit
 * (docs/adr/0013-import-speed.md). Bounded, so a backfill of 10^9 events does not grow the WAL without end.
 */
const BULK_CHECKPOINT_PAGES = 65_536;

export interface SqliteStoreOptions {
  /** page cache in MiB (default 256): keeps the dedupe index's hot end in memory */
  cacheMiB?: number;
  /** how long a write waits for another writer's lock before SQLITE_BUSY (default 5,000 ms; HTTP answers 503 then) */
  busyTimeoutMs?: number;
}

export function openSqliteStore(path: string, opts: SqliteStoreOptions = {}): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // WAL + synchronous=NORMAL: a committed transaction survives a killed process (kill -9);
  // only an OS crash or power loss can lose the last commits. See docs/adr/0002-event-store.md.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${Math.max(0, Math.round(opts.busyTimeoutMs ?? 5_000))}`);
  db.pragma(`cache_size = -${(opts.cacheMiB ?? 256) * 1024}`);
  migrate(db);
  const stmt = statementCache(db);

  const insertEvent = db.prepare('INSERT OR IGNORE INTO events (id, ts, account, type, body) VALUES (?, ?, ?, ?, ?)');
  const upsertAccount = db.prepare(`
    INSERT INTO accounts (id, traits, traits_ts, placeholder, first_seen, last_seen)
    VALUES (@id, coalesce(@traits, '{}'), @traitsTs, @placeholder, @firstSeen, @lastSeen)
    ON CONFLICT (id) DO UPDATE SET
      traits = CASE
        WHEN @traits IS NULL THEN traits
        WHEN traits_ts IS NULL OR @traitsTs >= traits_ts THEN json_patch(traits, @traits)
        ELSE json_patch(@traits, traits) END,
      traits_ts = max(coalesce(traits_ts, @traitsTs), coalesce(@traitsTs, traits_ts)),
      placeholder = placeholder AND @placeholder,
      first_seen = min(first_seen, @firstSeen),
      last_seen = max(last_seen, @lastSeen)`);
  const upsertUsage = db.prepare(`
    INSERT INTO usage_daily (account, meter, day, sum, last, last_ts, events)
    VALUES (@account, @meter, @day, @sum, @last, @lastTs, @events)
    ON CONFLICT (account, meter, day) DO UPDATE SET
      sum = sum + excluded.sum,
      last = CASE WHEN excluded.last_ts >= last_ts THEN excluded.last ELSE last END,
      last_ts = max(last_ts, excluded.last_ts),
      events = events + excluded.events`);

  // Multi-row statements: one N-API call per CHUNK rows instead of per row (~1.6x the rate).
  const insertChunk = db.prepare(`INSERT OR IGNORE INTO events (id, ts, account, type, body) VALUES ${Array(CHUNK).fill('(?, ?, ?, ?, ?)').join(', ')}`);
  const insertedSince = db.prepare('SELECT seq, ts, id FROM events WHERE seq > ?');

  const append = db.transaction((events: readonly TierwiseEvent[], keep: boolean): AppendResult => {
    const agg = new BatchAggregates();
    // seq is the rowid, given in VALUES order: the stored events' seqs come from lastInsertRowid
    const stored: StoredEvent[] | undefined = keep ? [] : undefined;
    let inserted = 0;
    let i = 0;
    const args: unknown[] = new Array(CHUNK * 5);
    for (; i + CHUNK <= events.length; i += CHUNK) {
      for (let j = 0; j < CHUNK; j++) {
        const e = events[i + j] as TierwiseEvent;
        args[j * 5] = e.id;
        args[j * 5 + 1] = e.ts;
        args[j * 5 + 2] = e.account;
        args[j * 5 + 3] = e.type;
        args[j * 5 + 4] = JSON.stringify(e);
      }
      const { changes, lastInsertRowid } = insertChunk.run(args);
      inserted += changes;
      if (changes === CHUNK) {
        for (let j = 0; j < CHUNK; j++) agg.add(events[i + j] as TierwiseEvent);
        if (stored) {
          const first = Number(lastInsertRowid) - CHUNK + 1;
          for (let j = 0; j < CHUNK; j++) stored.push({ seq: first + j, event: events[i + j] as TierwiseEvent });
        }
      } else if (changes > 0) {
        // Some were already stored: the new rows took the last `changes` seqs, ending at lastInsertRowid
        // (seq is the rowid, appended in order), so no max(seq) query is needed per chunk.
        const fresh = new Map((insertedSince.all(Number(lastInsertRowid) - changes) as { seq: number; ts: number; id: string }[]).map((r) => [dedupeKey(r), r.seq]));
        for (let j = 0; j < CHUNK; j++) {
          const e = events[i + j] as TierwiseEvent;
          const key = dedupeKey(e);
          const seq = fresh.get(key);
          if (seq === undefined) continue;
          fresh.delete(key);
          agg.add(e);
          stored?.push({ seq, event: e });
        }
      }
    }
    for (; i < events.length; i++) {
      const e = events[i] as TierwiseEvent;
      const r = insertEvent.run(e.id, e.ts, e.account, e.type, JSON.stringify(e));
      if (r.changes === 1) {
        inserted++;
        agg.add(e);
        stored?.push({ seq: Number(r.lastInsertRowid), event: e });
      }
    }
    for (const a of agg.accounts.values()) {
      upsertAccount.run({
        id: a.id, traits: a.traits ? JSON.stringify(a.traits) : null, traitsTs: a.traitsTs ?? null,
        placeholder: a.traits ? 0 : 1, firstSeen: a.firstSeen, lastSeen: a.lastSeen,
      });
    }
    for (const u of agg.usage.values()) upsertUsage.run(u);
    return { inserted, duplicates: events.length - inserted, ...(stored ? { stored } : {}) };
  });

  const saveStatesTx = db.transaction((entries: readonly StateEntry[]) => {
    const stmt = db.prepare('INSERT INTO states (account, state, seq) VALUES (?, ?, ?) ON CONFLICT (account) DO UPDATE SET state = excluded.state, seq = excluded.seq');
    for (const s of entries) stmt.run(s.account, s.state, s.seq);
  });

  const saveCheckpointTx = db.transaction((cp: CheckpointInfo, entries: readonly StateEntry[]) => {
    db.prepare('DELETE FROM checkpoint_states WHERE at = ?').run(cp.at);
    db.prepare('INSERT INTO checkpoints (at, seq) VALUES (?, ?) ON CONFLICT (at) DO UPDATE SET seq = excluded.seq').run(cp.at, cp.seq);
    const ins = db.prepare('INSERT INTO checkpoint_states (account, at, seq, state) VALUES (?, ?, ?, ?)');
    for (const e of entries) ins.run(e.account, cp.at, e.seq, e.state);
  });

  const toAccount = (r: { id: string; traits: string; placeholder: number; first_seen: number; last_seen: number }): AccountRecord => ({
    id: r.id, traits: JSON.parse(r.traits), placeholder: r.placeholder === 1, firstSeen: r.first_seen, lastSeen: r.last_seen,
  });

  return {
    kind: 'sqlite',
    ...createPlaybookSqlite(db),
    async appendEvents(events, opts) {
      if (events.length === 0) return { inserted: 0, duplicates: 0, ...(opts?.keep ? { stored: [] } : {}) };
      return append(events, opts?.keep === true);
    },
    beginBulkLoad() {
      // Per connection: a server writing to the same file keeps checkpointing at its own pace.
      db.pragma(`wal_autocheckpoint = ${BULK_CHECKPOINT_PAGES}`);
      return {
        async end() {
          db.pragma(`wal_autocheckpoint = ${LIVE_CHECKPOINT_PAGES}`);
          // Copies the loaded pages into the file and fsyncs it: a finished import is on disk, not only in the WAL.
          db.pragma('wal_checkpoint(PASSIVE)');
        },
      };
    },
    async countEvents() {
      return (stmt('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    },
    async latestEventTs() {
      // the dedupe index leads with ts: the last entry, no scan
      return (stmt('SELECT max(ts) AS t FROM events').get() as { t: number | null }).t ?? 0;
    },
    async *readEvents(q: EventQuery = {}): AsyncIterable<StoredEvent> {
      const where = ['seq > @after'];
      if (q.account !== undefined) where.push('account = @account');
      if (q.from !== undefined) where.push('ts >= @from');
      if (q.to !== undefined) where.push('ts < @to');
      if (q.types?.length) where.push(`type IN (${q.types.map((t) => `'${t.replace(/'/g, '')}'`).join(',')})`);
      const page = stmt(`SELECT seq, body FROM events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT @limit`);
      let after = q.afterSeq ?? 0;
      let remaining = q.limit ?? Number.POSITIVE_INFINITY;
      // Paged by seq rather than one open cursor, so writers are never blocked by a slow reader.
      while (remaining > 0) {
        const rows = page.all({ after, account: q.account, from: q.from, to: q.to, limit: Math.min(READ_PAGE, remaining) }) as { seq: number; body: string }[];
        for (const r of rows) yield { seq: r.seq, event: JSON.parse(r.body) as TierwiseEvent };
        if (rows.length < READ_PAGE) return;
        after = (rows[rows.length - 1] as { seq: number }).seq;
        remaining -= rows.length;
      }
    },
    async getAccount(id) {
      const r = stmt('SELECT * FROM accounts WHERE id = ?').get(id) as Parameters<typeof toAccount>[0] | undefined;
      return r ? toAccount(r) : undefined;
    },
    async listAccounts() {
      return (stmt('SELECT * FROM accounts ORDER BY id').all() as Parameters<typeof toAccount>[0][]).map(toAccount);
    },
    async countAccounts() {
      return (stmt('SELECT count(*) AS n FROM accounts').get() as { n: number }).n;
    },
    async usageDays(account, meter) {
      const rows = stmt(`SELECT account, meter, day, sum, last, last_ts AS lastTs, events FROM usage_daily WHERE account = ?${meter ? ' AND meter = ?' : ''} ORDER BY meter, day`)
        .all(...(meter ? [account, meter] : [account])) as UsageDay[];
      return rows;
    },
    async loadState(account) {
      return stmt('SELECT account, state, seq FROM states WHERE account = ?').get(account) as StateEntry | undefined;
    },
    async *loadAllStates() {
      let after = '';
      const page = stmt('SELECT account, state, seq FROM states WHERE account > ? ORDER BY account LIMIT ?');
      for (;;) {
        const rows = page.all(after, READ_PAGE) as StateEntry[];
        yield* rows;
        if (rows.length < READ_PAGE) return;
        after = (rows[rows.length - 1] as StateEntry).account;
      }
    },
    async saveStates(entries) {
      saveStatesTx(entries);
    },
    async saveCheckpoint(cp, entries) {
      saveCheckpointTx(cp, entries);
    },
    async findCheckpoint(t) {
      const bound = Number.isFinite(t) ? t : Number.MAX_SAFE_INTEGER;
      return stmt('SELECT at, seq FROM checkpoints WHERE at <= ? ORDER BY at DESC LIMIT 1').get(bound) as CheckpointInfo | undefined;
    },
    async *loadCheckpoint(at) {
      // SQLite returns the bare columns of the row holding max(at) in each group
      const page = stmt('SELECT account, max(at) AS at, seq, state FROM checkpoint_states WHERE account > ? AND at <= ? GROUP BY account ORDER BY account LIMIT ?');
      let after = '';
      for (;;) {
        const rows = page.all(after, at, READ_PAGE) as (StateEntry & { at: number })[];
        for (const r of rows) yield { account: r.account, state: r.state, seq: r.seq };
        if (rows.length < READ_PAGE) return;
        after = (rows[rows.length - 1] as StateEntry).account;
      }
    },
    async getMeta(key) {
      return (stmt('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
    },
    async listMeta() {
      return (stmt('SELECT key, value FROM meta ORDER BY key').all() as { key: string; value: string }[]).map((r): [string, string] => [r.key, r.value]);
    },
    async setMeta(key, value) {
      stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
    },
    async insertKey(k) {
      stmt('INSERT INTO api_keys (id, name, scope, hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(k.id, k.name, k.scope, k.hash, k.createdAt, k.revokedAt ?? null);
    },
    async getKey(id) {
      const r = stmt('SELECT * FROM api_keys WHERE id = ?').get(id) as KeyRow | undefined;
      return r ? toKey(r) : undefined;
    },
    async listKeys() {
      return (stmt('SELECT * FROM api_keys ORDER BY created_at, id').all() as KeyRow[]).map(toKey);
    },
    async revokeKey(id, at) {
      return stmt('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes === 1;
    },
    async close() {
      db.close();
    },
  };
}

interface KeyRow { id: string; name: string; scope: string; hash: string; created_at: number; revoked_at: number | null }

function toKey(r: KeyRow): ApiKeyRecord {
  return {
    id: r.id, name: r.name, scope: r.scope as ApiKeyRecord['scope'], hash: r.hash, createdAt: r.created_at,
    ...(r.revoked_at !== null ? { revokedAt: r.revoked_at } : {}),
  };
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`store schema version ${current} is newer than this Tierwise (${MIGRATIONS.length}); upgrade Tierwise`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
