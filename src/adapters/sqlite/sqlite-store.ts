// The embedded default store: one SQLite file, WAL, migrations on open.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TierwiseEvent } from '../../core/events/types.ts';
import type { AccountRecord, ApiKeyRecord, AppendResult, CheckpointInfo, EventQuery, StateEntry, Store, StoredEvent, UsageDay } from '../../app/ports.ts';
import { createAppend, rowsOf } from './append.ts';
import { AppendThread } from './append-thread.ts';
import { StoreVersionError } from '../../app/errors.ts';
import { BUSINESS_EVENTS, MIGRATIONS, TELEMETRY_TYPES } from './migrations.ts';
import { createPlaybookSqlite } from './playbook-sqlite.ts';
import { statementCache } from './statements.ts';

const READ_PAGE = 5_000;
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
  /**
   * appendEvents runs on a worker thread with its own write connection (`tierwise serve`: a commit
   * no longer holds the thread that parses requests, folds and answers reads). Same transaction,
   * same durability: the promise settles after the commit. Ignored for ':memory:'.
   */
  appendThread?: boolean;
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
  migrate(db, path);
  const stmt = statementCache(db);

  const append = createAppend(db);
  // `tierwise serve`: the append runs on its own thread and connection (append-thread.ts)
  const thread = opts.appendThread && path !== ':memory:'
    ? new AppendThread({ path, busyTimeoutMs: Math.max(0, Math.round(opts.busyTimeoutMs ?? 5_000)), cacheMiB: opts.cacheMiB ?? 256 })
    : undefined;

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
      const keep = opts?.keep === true;
      if (thread) return thread.append(events, keep);
      const { inserted, seqs } = append(rowsOf(events), (i) => events[i] as TierwiseEvent, keep);
      const result: AppendResult = { inserted, duplicates: events.length - inserted };
      if (seqs) {
        const stored: StoredEvent[] = [];
        for (let i = 0; i < seqs.length; i++) if (seqs[i] !== 0) stored.push({ seq: seqs[i] as number, event: events[i] as TierwiseEvent });
        result.stored = stored;
      }
      return result;
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
      const page = stmt(`SELECT seq, body FROM events WHERE ${eventsWhere(q)} ORDER BY seq LIMIT @limit`);
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
      await thread?.close();
      db.close();
    },
  };
}

interface KeyRow { id: string; name: string; scope: string; hash: string; created_at: number; revoked_at: number | null }

/** readEvents' condition, with named parameters @after, @account, @from and @to */
export function eventsWhere(q: EventQuery): string {
  const where = ['seq > @after'];
  if (q.account !== undefined) where.push('account = @account');
  if (q.from !== undefined) where.push('ts >= @from');
  if (q.to !== undefined) where.push('ts < @to');
  if (q.types?.length) where.push(`type IN (${q.types.map((t) => `'${t.replace(/'/g, '')}'`).join(',')})`);
  // business events only: the partial indexes' own term lets the planner use them (one account's
  // through events_history, the rest through events_by_type)
  if (q.types?.length && q.types.every((t) => !(TELEMETRY_TYPES as readonly string[]).includes(t))) where.push(BUSINESS_EVENTS);
  return where.join(' AND ');
}

function toKey(r: KeyRow): ApiKeyRecord {
  return {
    id: r.id, name: r.name, scope: r.scope as ApiKeyRecord['scope'], hash: r.hash, createdAt: r.created_at,
    ...(r.revoked_at !== null ? { revokedAt: r.revoked_at } : {}),
  };
}

/** The schema version of the SQLite file at `path` (0 for a new or empty file), read without migrating it. */
export function sqliteSchemaVersion(path: string): number {
  if (!existsSync(path)) return 0;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

function migrate(db: Database.Database, path: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    db.close();
    throw new StoreVersionError(current, MIGRATIONS.length, `the store ${path}`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
