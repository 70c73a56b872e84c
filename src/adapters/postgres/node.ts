// Several Tierwise nodes on one PostgreSQL store (DESIGN §8, docs/deploy.md).
// - Partition ownership: a session advisory lock per partition, held on one dedicated connection per
//   node. A node that dies loses its connection, so PostgreSQL frees its locks at once; the others
//   see it gone from pg_stat_activity and take a fair share each.
// - The node's view of the store: its engine reads only the partitions it has taken over, saves
//   states with the partitions' fold cursors in one transaction (fenced by partitions.owner), and
//   claims due steps and outbox messages with FOR UPDATE SKIP LOCKED and a lease.
import { SEQ_META_KEY } from '../../app/engine.ts';
import type { OutboxMessage, PartitionLease, PartitionReader, StateEntry, Store, StoredEvent } from '../../app/ports.ts';
import { PARTITIONS, partitionOf } from '../../app/partitions.ts';
import type { TierwiseEvent } from '../../core/events/types.ts';
import type { Step } from '../../core/playbooks/steps.ts';
import type { PostgresStore } from './postgres-store.ts';
import { saveStateRows } from './postgres-store.ts';
import { connect } from './connect.ts';

const PAGE = 5_000;
const partOf = (e: StateEntry): number => partitionOf(e.account);

export async function openPartitionLease(store: PostgresStore, node: string): Promise<PartitionLease> {
  // One connection of its own holds the locks (a pool would spread them over sessions). If it
  // breaks, the client reconnects on the next query: a new backend pid means the locks are gone.
  const c = connect(store.target.url, { max: 1, ...(store.target.schema !== undefined ? { schema: store.target.schema } : {}) });
  let pid = 0;
  const held = new Set<number>();
  const [k] = await c<{ k: number }[]>`SELECT hashtext(current_schema() || ':tierwise-partitions') & 2147483647 AS k`;
  const key = k?.k ?? 0;

  /** Registers this node's lock session, or finds it changed: then every lock it held is gone. */
  async function session(): Promise<void> {
    const [me] = await c<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    if (me?.pid === pid) {
      await c`UPDATE nodes SET seen_at = now() WHERE id = ${node}`;
      return;
    }
    held.clear();
    await c`INSERT INTO nodes (id, pid, backend_start, seen_at)
      SELECT ${node}, pid, backend_start, now() FROM pg_stat_activity WHERE pid = pg_backend_pid()
      ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, backend_start = excluded.backend_start, seen_at = now()`;
    pid = me?.pid ?? 0;
  }
  const lost = () => { held.clear(); pid = 0; };

  return {
    node,
    partitions: PARTITIONS,
    held: () => [...held].sort((a, b) => a - b),
    async rebalance() {
      try {
        await session();
      } catch {
        // A query issued before the client noticed its socket closed fails once; the next one
        // reconnects (a new session: the locks are gone either way).
        lost();
        await session();
      }
      // nodes whose lock connection is gone are gone (pid and start time: pids are reused)
      await c`DELETE FROM nodes n WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = n.pid AND a.backend_start = n.backend_start)`;
      const [live] = await c<{ n: number }[]>`SELECT count(*)::int AS n FROM nodes`;
      const share = Math.ceil(PARTITIONS / Math.max(1, live?.n ?? 1));
      if (held.size > share) {
        const surplus = [...held].sort((a, b) => b - a).slice(0, held.size - share);
        return { acquired: [], surplus };
      }
      const acquired: number[] = [];
      if (held.size < share) {
        const taken = new Set((await c<{ p: number }[]>`SELECT objid::int AS p FROM pg_locks WHERE locktype = 'advisory' AND classid = ${key}::oid AND objsubid = 2 AND granted`).map((r) => r.p));
        // start at a node-specific place so that nodes starting together contend less
        const start = [...node].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % PARTITIONS, 0);
        for (let i = 0; i < PARTITIONS && held.size < share; i++) {
          const p = (start + i) % PARTITIONS;
          if (held.has(p) || taken.has(p)) continue;
          const [r] = await c<{ ok: boolean }[]>`SELECT pg_try_advisory_lock(${key}, ${p}) AS ok`;
          if (!r?.ok) continue;
          held.add(p);
          acquired.push(p);
        }
        if (acquired.length > 0) await c`UPDATE partitions SET owner = ${node} WHERE part = ANY(${acquired}::int[])`;
      }
      return { acquired, surplus: [] };
    },
    async release(parts) {
      await c`UPDATE partitions SET owner = NULL WHERE part = ANY(${[...parts]}::int[]) AND owner = ${node}`;
      for (const p of parts) {
        await c`SELECT pg_advisory_unlock(${key}, ${p})`;
        held.delete(p);
      }
    },
    async close() {
      try {
        await c`DELETE FROM nodes WHERE id = ${node}`;
      } finally {
        lost();
        await c.end({ timeout: 5 }); // ending the session releases its locks
      }
    },
  };
}

export interface NodeViewOptions {
  node: string;
  /** the partitions whose states this node's engine holds (taken over and caught up) */
  parts: () => readonly number[];
  /** how long a claim on a due step or outbox message lasts if the node dies (default 15 s) */
  claimSeconds?: number;
}

/** The store as one node's engine and scheduler see it. Everything not overridden is the shared store. */
export function postgresNodeView(store: PostgresStore, opts: NodeViewOptions): Store & PartitionReader {
  const { sql } = store;
  const claim = opts.claimSeconds ?? 15;
  const bodies = <T>(rows: readonly { body: string }[]): T[] => rows.map((r) => JSON.parse(r.body) as T);

  async function* readParts(parts: readonly number[], after: number, upto: number, limit = Number.POSITIVE_INFINITY): AsyncIterable<StoredEvent> {
    let remaining = limit;
    while (remaining > 0 && parts.length > 0) {
      const rows = await sql<{ seq: number; body: string }[]>`SELECT seq, body FROM events
        WHERE part = ANY(${[...parts]}::smallint[]) AND seq > ${after} AND seq <= ${upto} ORDER BY seq LIMIT ${Math.min(PAGE, remaining)}`;
      for (const r of rows) yield { seq: r.seq, event: JSON.parse(r.body) as TierwiseEvent };
      if (rows.length < PAGE) return;
      after = (rows[rows.length - 1] as { seq: number }).seq;
      remaining -= rows.length;
    }
  }

  const view: Store & PartitionReader = {
    ...store,
    readEvents(q = {}) {
      // the engine's reads: only this node's partitions
      return readParts(opts.parts(), q.afterSeq ?? 0, Number.MAX_SAFE_INTEGER, q.limit);
    },
    async *loadAllStates() {
      const { states } = await view.loadPartitions(opts.parts());
      yield* states;
    },
    async getMeta(key) {
      // A node's engine starts at the head of the log; it reaches back per partition as it takes them.
      if (key !== SEQ_META_KEY) return store.getMeta(key);
      return String(await store.countEvents());
    },
    async setMeta(key, value) {
      if (key !== SEQ_META_KEY) await store.setMeta(key, value);
    },
    async saveFold(entries, seq) {
      const parts = opts.parts();
      await sql.begin(async (tx) => {
        // Fenced: only partitions this node still owns move their cursor and take its states.
        const mine = new Set((await tx<{ part: number }[]>`UPDATE partitions SET seq = ${seq}
          WHERE part = ANY(${[...parts]}::int[]) AND owner = ${opts.node} RETURNING part`).map((r) => r.part));
        await saveStateRows(tx, entries.filter((e) => mine.has(partOf(e))));
      });
    },
    async loadPartitions(parts) {
      if (parts.length === 0) return { states: [], cursor: 0 };
      const [c] = await sql<{ seq: number }[]>`SELECT coalesce(min(seq), 0) AS seq FROM partitions WHERE part = ANY(${[...parts]}::int[])`;
      const states = (await sql<StateEntry[]>`SELECT account, state, seq FROM states WHERE part = ANY(${[...parts]}::smallint[]) ORDER BY account`).map((r) => ({ ...r }));
      return { states, cursor: c?.seq ?? 0 };
    },
    readPartitions(parts, afterSeq, uptoSeq) {
      return readParts(parts, afterSeq, uptoSeq);
    },
    async listSteps(q = {}) {
      if (q.dueBy === undefined) return store.listSteps(q);
      // The scheduler's due steps: claimed, so that no other node runs them while this one does.
      const rows = await sql<{ body: string }[]>`UPDATE pb_steps SET claimed_until = now() + make_interval(secs => ${claim}), claimed_by = ${opts.node}
        WHERE id IN (SELECT id FROM pb_steps WHERE status = 'pending' AND not_before <= ${q.dueBy} AND part = ANY(${[...opts.parts()]}::smallint[])
          AND (claimed_until IS NULL OR claimed_until < now()) ORDER BY not_before, id LIMIT ${q.limit ?? 1_000} FOR UPDATE SKIP LOCKED)
        RETURNING body`;
      return bodies<Step>(rows).sort((a, b) => a.notBefore - b.notBefore || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    async listOutbox(q = {}) {
      if (q.dueBy === undefined || q.status !== 'pending') return store.listOutbox(q);
      // Delivery: any node delivers any message, each claimed by one at a time.
      const rows = await sql<{ body: string }[]>`UPDATE pb_outbox SET claimed_until = now() + make_interval(secs => ${claim}), claimed_by = ${opts.node}
        WHERE key IN (SELECT key FROM pb_outbox WHERE status = 'pending' AND next_at <= ${q.dueBy} ${q.account ? sql`AND account = ${q.account}` : sql``}
          AND (claimed_until IS NULL OR claimed_until < now()) ORDER BY next_at, key LIMIT ${q.limit ?? 1_000} FOR UPDATE SKIP LOCKED)
        RETURNING body`;
      return bodies<OutboxMessage>(rows).sort((a, b) => a.nextAt - b.nextAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
  };
  return view;
}
