// The embedded default store: one SQLite file, WAL, migrations on open.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TierwiseEvent } from '../../core/events/types.ts';
import type { AccountRecord, AppendResult, EventQuery, StateEntry, Store, StoredEvent, UsageDay } from '../../app/ports.ts';
import { BatchAggregates } from '../../app/batch-aggregates.ts';
import { MIGRATIONS } from './migrations.ts';

const READ_PAGE = 5_000;

export interface SqliteStoreOptions {
  /** page cache in MiB (default 256): keeps the dedupe index's hot end in memory */
  cacheMiB?: number;
}

export function openSqliteStore(path: string, opts: SqliteStoreOptions = {}): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // WAL + synchronous=NORMAL: a committed transaction survives a killed process (kill -9);
  // only an OS crash or power loss can lose the last commits. See docs/adr/0002-event-store.md.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma(`cache_size = -${(opts.cacheMiB ?? 256) * 1024}`);
  migrate(db);

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

  const append = db.transaction((events: readonly TierwiseEvent[]): AppendResult => {
    const agg = new BatchAggregates();
    let inserted = 0;
    for (const e of events) {
      const info = insertEvent.run(e.id, e.ts, e.account, e.type, JSON.stringify(e));
      if (info.changes === 1) {
        inserted++;
        agg.add(e);
      }
    }
    for (const a of agg.accounts.values()) {
      upsertAccount.run({
        id: a.id, traits: a.traits ? JSON.stringify(a.traits) : null, traitsTs: a.traitsTs ?? null,
        placeholder: a.traits ? 0 : 1, firstSeen: a.firstSeen, lastSeen: a.lastSeen,
      });
    }
    for (const u of agg.usage.values()) upsertUsage.run(u);
    return { inserted, duplicates: events.length - inserted };
  });

  const saveStatesTx = db.transaction((entries: readonly StateEntry[]) => {
    const stmt = db.prepare('INSERT INTO states (account, state, seq) VALUES (?, ?, ?) ON CONFLICT (account) DO UPDATE SET state = excluded.state, seq = excluded.seq');
    for (const s of entries) stmt.run(s.account, s.state, s.seq);
  });

  const toAccount = (r: { id: string; traits: string; placeholder: number; first_seen: number; last_seen: number }): AccountRecord => ({
    id: r.id, traits: JSON.parse(r.traits), placeholder: r.placeholder === 1, firstSeen: r.first_seen, lastSeen: r.last_seen,
  });

  return {
    kind: 'sqlite',
    async appendEvents(events) {
      if (events.length === 0) return { inserted: 0, duplicates: 0 };
      return append(events);
    },
    async countEvents() {
      return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    },
    async *readEvents(q: EventQuery = {}): AsyncIterable<StoredEvent> {
      const where = ['seq > @after'];
      if (q.account !== undefined) where.push('account = @account');
      if (q.from !== undefined) where.push('ts >= @from');
      if (q.to !== undefined) where.push('ts < @to');
      if (q.types?.length) where.push(`type IN (${q.types.map((t) => `'${t.replace(/'/g, '')}'`).join(',')})`);
      const stmt = db.prepare(`SELECT seq, body FROM events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT @limit`);
      let after = q.afterSeq ?? 0;
      let remaining = q.limit ?? Number.POSITIVE_INFINITY;
      // Paged by seq rather than one open cursor, so writers are never blocked by a slow reader.
      while (remaining > 0) {
        const rows = stmt.all({ after, account: q.account, from: q.from, to: q.to, limit: Math.min(READ_PAGE, remaining) }) as { seq: number; body: string }[];
        for (const r of rows) yield { seq: r.seq, event: JSON.parse(r.body) as TierwiseEvent };
        if (rows.length < READ_PAGE) return;
        after = (rows[rows.length - 1] as { seq: number }).seq;
        remaining -= rows.length;
      }
    },
    async getAccount(id) {
      const r = db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as Parameters<typeof toAccount>[0] | undefined;
      return r ? toAccount(r) : undefined;
    },
    async listAccounts() {
      return (db.prepare('SELECT * FROM accounts ORDER BY id').all() as Parameters<typeof toAccount>[0][]).map(toAccount);
    },
    async countAccounts() {
      return (db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n;
    },
    async usageDays(account, meter) {
      const rows = db.prepare(`SELECT account, meter, day, sum, last, last_ts AS lastTs, events FROM usage_daily WHERE account = ?${meter ? ' AND meter = ?' : ''} ORDER BY meter, day`)
        .all(...(meter ? [account, meter] : [account])) as UsageDay[];
      return rows;
    },
    async loadState(account) {
      return db.prepare('SELECT account, state, seq FROM states WHERE account = ?').get(account) as StateEntry | undefined;
    },
    async *loadAllStates() {
      let after = '';
      const stmt = db.prepare('SELECT account, state, seq FROM states WHERE account > ? ORDER BY account LIMIT ?');
      for (;;) {
        const rows = stmt.all(after, READ_PAGE) as StateEntry[];
        yield* rows;
        if (rows.length < READ_PAGE) return;
        after = (rows[rows.length - 1] as StateEntry).account;
      }
    },
    async saveStates(entries) {
      saveStatesTx(entries);
    },
    async getMeta(key) {
      return (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
    },
    async setMeta(key, value) {
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
    },
    async close() {
      db.close();
    },
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
