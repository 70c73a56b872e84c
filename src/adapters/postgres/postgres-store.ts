// The PostgreSQL store: the same ports as SQLite, for several Tierwise nodes on one database
// (DESIGN §8, docs/adr/0007-postgres.md). Migrations run on open.
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TierwiseEvent } from '../../core/events/types.ts';
import type { AccountRecord, ApiKeyRecord, AppendResult, CheckpointInfo, EventQuery, StateEntry, Store, StoredEvent, UsageDay } from '../../app/ports.ts';
import { BatchAggregates, dedupeKey } from '../../app/batch-aggregates.ts';
import { partitionOf } from '../../app/partitions.ts';
import { connect, copyText, migrate, type PgConnectOptions, type Runner, type Sql, type Tx } from './connect.ts';
import { createPlaybookPostgres } from './playbook-postgres.ts';

const READ_PAGE = 5_000;
/** batches at least this large go in through COPY (bulk import); smaller ones as arrays in one statement */
const COPY_MIN = 2_000;

export interface PostgresStoreOptions extends PgConnectOptions {
  /** tests only: runs inside an append's transaction just before it commits, with the seqs it took */
  beforeAppendCommit?: (seqs: { first: number; last: number }) => Promise<void>;
}

export interface PostgresStore extends Store {
  readonly kind: 'postgres';
  readonly sql: Sql;
  /** how to open another connection to the same store (a node's lock connection) */
  readonly target: { url: string; schema?: string };
}


/** The numbering statement: new events (not stored, first of their (ts, id) in the batch) take the next seqs in batch order. */
const insertFrom = (source: string): string => `
  WITH fresh AS (
    SELECT DISTINCT ON (i.ts, i.id) i.* FROM ${source}
    WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.ts = i.ts AND e.id = i.id)
    ORDER BY i.ts, i.id, i.ord
  )
  INSERT INTO events (seq, id, ts, account, type, part, body)
  SELECT $1::bigint + row_number() OVER (ORDER BY ord), id, ts, account, type, part, body FROM fresh
  RETURNING ts, id`;
const INSERT_UNNEST = insertFrom(`unnest($2::int[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::smallint[], $8::text[])
  AS i(ord, id, ts, account, type, part, body)`);
const INSERT_COPIED = insertFrom('tw_in i');

export async function openPostgresStore(url: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const sql = connect(url, opts);
  try {
    await migrate(sql, opts.schema);
  } catch (err) {
    await sql.end({ timeout: 1 });
    throw err;
  }

  async function stage(tx: Tx, events: readonly TierwiseEvent[]): Promise<void> {
    // A session's temp table, emptied at each commit: created once per pooled connection.
    await tx`CREATE TEMP TABLE IF NOT EXISTS tw_in (ord int, id text, ts bigint, account text, type text, part smallint, body text) ON COMMIT DELETE ROWS`;
    const stream = await tx`COPY tw_in FROM STDIN`.writable();
    let i = 0;
    const CHUNK = 1_000;
    await pipeline(async function* () {
      while (i < events.length) {
        let text = '';
        for (const end = Math.min(events.length, i + CHUNK); i < end; i++) {
          const e = events[i] as TierwiseEvent;
          text += `${i}\t${copyText(e.id)}\t${e.ts}\t${copyText(e.account)}\t${copyText(e.type)}\t${partitionOf(e.account)}\t${copyText(JSON.stringify(e))}\n`;
        }
        yield text;
      }
    }, stream as Writable);
  }

  async function append(events: readonly TierwiseEvent[]): Promise<AppendResult> {
    return sql.begin(async (tx) => {
      // The row lock on event_seq is held to commit: appends number their events one after the
      // other, and a larger seq never becomes visible before a smaller one (ADR 0007).
      const [lock] = await tx<{ last: number }[]>`UPDATE event_seq SET last = last WHERE id = 1 RETURNING last`;
      const last = lock?.last ?? 0;
      let rows: { ts: number; id: string }[];
      if (events.length >= COPY_MIN) {
        await stage(tx, events);
        rows = await tx.unsafe(INSERT_COPIED, [last]);
      } else {
        rows = await tx.unsafe(INSERT_UNNEST, [
          last, events.map((_, i) => i), events.map((e) => e.id), events.map((e) => e.ts), events.map((e) => e.account),
          events.map((e) => e.type), events.map((e) => partitionOf(e.account)), events.map((e) => JSON.stringify(e)),
        ]);
      }
      const inserted = rows.length;
      if (inserted > 0) {
        await tx`UPDATE event_seq SET last = ${last + inserted} WHERE id = 1`;
        const fresh = new Set(rows.map(dedupeKey));
        const agg = new BatchAggregates();
        for (const e of events) if (fresh.delete(dedupeKey(e))) agg.add(e);
        await writeAggregates(tx, agg);
        await opts.beforeAppendCommit?.({ first: last + 1, last: last + inserted });
      }
      return { inserted, duplicates: events.length - inserted };
    });
  }

  const toAccount = (r: { id: string; traits: AccountRecord['traits']; placeholder: boolean; first_seen: number; last_seen: number }): AccountRecord => ({
    id: r.id, traits: r.traits, placeholder: r.placeholder, firstSeen: r.first_seen, lastSeen: r.last_seen,
  });

  return {
    kind: 'postgres',
    sql,
    target: { url, ...(opts.schema !== undefined ? { schema: opts.schema } : {}) },
    ...createPlaybookPostgres(sql),
    async appendEvents(events) {
      if (events.length === 0) return { inserted: 0, duplicates: 0 };
      return append(events);
    },
    async countEvents() {
      // seqs are gap-free, so the last one is the count (count(*) scans the whole table)
      const [r] = await sql<{ last: number }[]>`SELECT last FROM event_seq WHERE id = 1`;
      return r?.last ?? 0;
    },
    async *readEvents(q: EventQuery = {}): AsyncIterable<StoredEvent> {
      const where = ['seq > $1'];
      const params: unknown[] = [0];
      const add = (cond: string, v: unknown) => { params.push(v); where.push(cond.replace('?', `$${params.length}`)); };
      if (q.account !== undefined) add('account = ?', q.account);
      if (q.from !== undefined) add('ts >= ?::bigint', q.from);
      if (q.to !== undefined) add('ts < ?::bigint', q.to);
      if (q.types?.length) add('type = ANY(?::text[])', [...q.types]);
      params.push(0);
      const text = `SELECT seq, body FROM events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $${params.length}`;
      let after = q.afterSeq ?? 0;
      let remaining = q.limit ?? Number.POSITIVE_INFINITY;
      // Paged by seq, one short statement a page: no transaction is held open by a slow reader.
      while (remaining > 0) {
        params[0] = after;
        params[params.length - 1] = Math.min(READ_PAGE, remaining);
        const rows = await sql.unsafe<{ seq: number; body: string }[]>(text, params as never[]);
        for (const r of rows) yield { seq: r.seq, event: JSON.parse(r.body) as TierwiseEvent };
        if (rows.length < READ_PAGE) return;
        after = (rows[rows.length - 1] as { seq: number }).seq;
        remaining -= rows.length;
      }
    },
    async getAccount(id) {
      const [r] = await sql<Parameters<typeof toAccount>[0][]>`SELECT * FROM accounts WHERE id = ${id}`;
      return r ? toAccount(r) : undefined;
    },
    async listAccounts() {
      return (await sql<Parameters<typeof toAccount>[0][]>`SELECT * FROM accounts ORDER BY id`).map(toAccount);
    },
    async countAccounts() {
      const [r] = await sql<{ n: number }[]>`SELECT count(*) AS n FROM accounts`;
      return r?.n ?? 0;
    },
    async usageDays(account, meter) {
      const rows = await sql<UsageDay[]>`SELECT account, meter, day, sum, last, last_ts AS "lastTs", events FROM usage_daily
        WHERE account = ${account} ${meter ? sql`AND meter = ${meter}` : sql``} ORDER BY meter, day`;
      return rows.map((r) => ({ ...r }));
    },
    async loadState(account) {
      const [r] = await sql<StateEntry[]>`SELECT account, state, seq FROM states WHERE account = ${account}`;
      return r ? { ...r } : undefined;
    },
    async *loadAllStates() {
      let after = '';
      for (;;) {
        const rows = await sql<StateEntry[]>`SELECT account, state, seq FROM states WHERE account > ${after} ORDER BY account LIMIT ${READ_PAGE}`;
        for (const r of rows) yield { ...r };
        if (rows.length < READ_PAGE) return;
        after = (rows[rows.length - 1] as StateEntry).account;
      }
    },
    async saveStates(entries) {
      if (entries.length === 0) return;
      await sql.begin((tx) => saveStateRows(tx, entries));
    },
    async latestEventTs() {
      // the dedupe index leads with ts: one index probe
      const [r] = await sql<{ t: number | null }[]>`SELECT max(ts) AS t FROM events`;
      return r?.t ?? 0;
    },
    async saveCheckpoint(cp, entries) {
      await sql.begin(async (tx) => {
        await tx`DELETE FROM checkpoint_states WHERE at = ${cp.at}`;
        await tx`INSERT INTO checkpoints (at, seq) VALUES (${cp.at}, ${cp.seq}) ON CONFLICT (at) DO UPDATE SET seq = excluded.seq`;
        for (let i = 0; i < entries.length; i += 5_000) {
          const part = entries.slice(i, i + 5_000);
          await tx.unsafe(`INSERT INTO checkpoint_states (account, at, seq, state)
            SELECT a, $2::bigint, s, st FROM unnest($1::text[], $3::bigint[], $4::text[]) AS u(a, s, st)`,
          [part.map((e) => e.account), cp.at, part.map((e) => e.seq), part.map((e) => e.state)] as never[]);
        }
      });
    },
    async findCheckpoint(t) {
      const bound = Number.isFinite(t) ? t : Number.MAX_SAFE_INTEGER;
      const [r] = await sql<CheckpointInfo[]>`SELECT at, seq FROM checkpoints WHERE at <= ${bound} ORDER BY at DESC LIMIT 1`;
      return r ? { at: r.at, seq: r.seq } : undefined;
    },
    async *loadCheckpoint(at) {
      let after = '';
      for (;;) {
        const rows = await sql<StateEntry[]>`SELECT DISTINCT ON (account) account, state, seq FROM checkpoint_states
          WHERE account > ${after} AND at <= ${at} ORDER BY account, at DESC LIMIT ${READ_PAGE}`;
        for (const r of rows) yield { account: r.account, state: r.state, seq: r.seq };
        if (rows.length < READ_PAGE) return;
        after = (rows[rows.length - 1] as StateEntry).account;
      }
    },
    async getMeta(key) {
      const [r] = await sql<{ value: string }[]>`SELECT value FROM meta WHERE key = ${key}`;
      return r?.value;
    },
    async listMeta() {
      return (await sql<{ key: string; value: string }[]>`SELECT key, value FROM meta ORDER BY key`).map((r): [string, string] => [r.key, r.value]);
    },
    async setMeta(key, value) {
      await sql`INSERT INTO meta (key, value) VALUES (${key}, ${value}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`;
    },
    async insertKey(k) {
      await sql`INSERT INTO api_keys (id, name, scope, hash, created_at, revoked_at) VALUES (${k.id}, ${k.name}, ${k.scope}, ${k.hash}, ${k.createdAt}, ${k.revokedAt ?? null})`;
    },
    async getKey(id) {
      const [r] = await sql<KeyRow[]>`SELECT * FROM api_keys WHERE id = ${id}`;
      return r ? toKey(r) : undefined;
    },
    async listKeys() {
      return (await sql<KeyRow[]>`SELECT * FROM api_keys ORDER BY created_at, id`).map(toKey);
    },
    async revokeKey(id, at) {
      const r = await sql`UPDATE api_keys SET revoked_at = ${at} WHERE id = ${id} AND revoked_at IS NULL`;
      return r.count === 1;
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}

/** Upserts states (with their partition), inside the caller's transaction. */
export async function saveStateRows(tx: Runner, entries: readonly StateEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 5_000) {
    const part = entries.slice(i, i + 5_000);
    await tx.unsafe(`INSERT INTO states (account, part, state, seq)
      SELECT * FROM unnest($1::text[], $2::smallint[], $3::text[], $4::bigint[])
      ON CONFLICT (account) DO UPDATE SET state = excluded.state, seq = excluded.seq`,
    [part.map((s) => s.account), part.map((s) => partitionOf(s.account)), part.map((s) => s.state), part.map((s) => s.seq)] as never[]);
  }
}

async function writeAggregates(tx: Tx, agg: BatchAggregates): Promise<void> {
  const accounts = [...agg.accounts.values()];
  if (accounts.length > 0) {
    await tx.unsafe(`INSERT INTO accounts (id, traits, traits_ts, placeholder, first_seen, last_seen)
      SELECT id, coalesce(traits::jsonb, '{}'), traits_ts, traits IS NULL, first_seen, last_seen
      FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[]) AS t(id, traits, traits_ts, first_seen, last_seen)
      ON CONFLICT (id) DO UPDATE SET
        traits = CASE
          WHEN excluded.traits_ts IS NULL THEN accounts.traits
          WHEN accounts.traits_ts IS NULL OR excluded.traits_ts >= accounts.traits_ts THEN accounts.traits || excluded.traits
          ELSE excluded.traits || accounts.traits END,
        traits_ts = greatest(accounts.traits_ts, excluded.traits_ts),
        placeholder = accounts.placeholder AND excluded.placeholder,
        first_seen = least(accounts.first_seen, excluded.first_seen),
        last_seen = greatest(accounts.last_seen, excluded.last_seen)`,
    [accounts.map((a) => a.id), accounts.map((a) => (a.traits ? JSON.stringify(a.traits) : null)), accounts.map((a) => a.traitsTs ?? null),
      accounts.map((a) => a.firstSeen), accounts.map((a) => a.lastSeen)] as never[]);
  }
  const usage = [...agg.usage.values()];
  if (usage.length > 0) {
    await tx.unsafe(`INSERT INTO usage_daily (account, meter, day, sum, last, last_ts, events)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::bigint[], $7::int[])
      ON CONFLICT (account, meter, day) DO UPDATE SET
        sum = usage_daily.sum + excluded.sum,
        last = CASE WHEN excluded.last_ts >= usage_daily.last_ts THEN excluded.last ELSE usage_daily.last END,
        last_ts = greatest(usage_daily.last_ts, excluded.last_ts),
        events = usage_daily.events + excluded.events`,
    [usage.map((u) => u.account), usage.map((u) => u.meter), usage.map((u) => u.day), usage.map((u) => u.sum), usage.map((u) => u.last),
      usage.map((u) => u.lastTs), usage.map((u) => u.events)] as never[]);
  }
}

interface KeyRow { id: string; name: string; scope: string; hash: string; created_at: number; revoked_at: number | null }

function toKey(r: KeyRow): ApiKeyRecord {
  return {
    id: r.id, name: r.name, scope: r.scope as ApiKeyRecord['scope'], hash: r.hash, createdAt: r.created_at,
    ...(r.revoked_at !== null ? { revokedAt: r.revoked_at } : {}),
  };
}
