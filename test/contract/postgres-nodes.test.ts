// Several nodes on one PostgreSQL store, in process: the sequence-visibility hazard under concurrent
// writers with a deliberately delayed commit, partition leases handed over as nodes come and die,
// engines that share the accounts and together fold exactly what one engine folds, and due work
// claimed by one node at a time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPartitionLease, postgresNodeView } from '../../src/adapters/postgres/node.ts';
import { openPostgresStore, type PostgresStore } from '../../src/adapters/postgres/postgres-store.ts';
import { createMemoryStore } from '../../src/adapters/memory/memory-store.ts';
import { openEngine, type Engine } from '../../src/app/engine.ts';
import { PartitionCoordinator } from '../../src/app/partition-coordinator.ts';
import { PARTITIONS, partitionOf } from '../../src/app/partitions.ts';
import type { OutboxMessage, StoredEvent } from '../../src/app/ports.ts';
import { toCatalog } from '../../src/config/catalog-from-config.ts';
import { toEngineSettings } from '../../src/config/engine-schema.ts';
import { EXAMPLE_CONFIG, loadConfig } from '../../src/config/load.ts';
import type { TierwiseEvent } from '../../src/core/events/types.ts';
import type { Step } from '../../src/core/playbooks/steps.ts';
import { serializeState } from '../../src/core/state/serialize.ts';
import { testDatabase, type TestDatabase } from '../support/postgres.ts';

let pg: TestDatabase;
let schemas = 0;
const opened: PostgresStore[] = [];
beforeAll(async () => { pg = await testDatabase('nodes'); });
afterAll(async () => {
  for (const s of opened) await s.close().catch(() => undefined);
  await pg?.drop();
});

/** A store connection of its own (one per simulated node), all on the same schema. */
async function open(schema: string, opts: Parameters<typeof openPostgresStore>[1] = {}): Promise<PostgresStore> {
  const s = await openPostgresStore(pg.url, { schema, max: 3, ...opts });
  opened.push(s);
  return s;
}

const T0 = Date.parse('2026-03-01T09:00:00Z');
const usage = (id: string, account: string, i: number): TierwiseEvent => ({ id, ts: T0 + i * 1000, account, type: 'usage', meter: 'api_calls', quantity: i });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('sequence visibility with concurrent writers', () => {
  it('never shows a later seq before an earlier one commits, so a reader following seq > cursor skips nothing', async () => {
    const schema = `v${++schemas}`;
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let held = false;
    const slow = await open(schema, { beforeAppendCommit: async () => { held = true; await gate; } });
    const fast = await open(schema);
    const reader = await open(schema);

    const first = slow.appendEvents([usage('s1', 'a', 1), usage('s2', 'a', 2), usage('s3', 'b', 3)]);
    while (!held) await sleep(5);
    // The slow writer has taken seqs 1-3 and not committed. A second writer now appends: were seqs
    // handed out without the lock, its 4-5 would commit first and a reader at cursor 0 would move past 3.
    const second = fast.appendEvents([usage('f1', 'c', 4), usage('f2', 'c', 5)]);
    for (let i = 0; i < 10; i++) {
      await sleep(30);
      expect(await all(reader.readEvents({ afterSeq: 0 }))).toEqual([]);
    }
    release();
    expect(await first).toEqual({ inserted: 3, duplicates: 0 });
    expect(await second).toEqual({ inserted: 2, duplicates: 0 });
    const rows = await all(reader.readEvents({ afterSeq: 0 }));
    expect(rows.map((r) => [r.seq, r.event.id])).toEqual([[1, 's1'], [2, 's2'], [3, 's3'], [4, 'f1'], [5, 'f2']]);
  });

  it('a follower polling seq > cursor sees every event exactly once while four writers append with random commit delays', async () => {
    const schema = `v${++schemas}`;
    let seed = 7;
    const rand = () => { seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648; return seed / 2_147_483_648; };
    const writers = await Promise.all([0, 1, 2, 3].map(() => open(schema, { beforeAppendCommit: async () => { await sleep(Math.floor(rand() * 25)); } })));
    const follower = await open(schema);
    const expected = new Set<string>();
    let done = false;
    const writing = Promise.all(writers.map(async (w, wi) => {
      for (let b = 0; b < 12; b++) {
        const batch = Array.from({ length: 1 + (b % 5) }, (_, i) => usage(`w${wi}-${b}-${i}`, `acct${(wi + b + i) % 9}`, wi * 1000 + b * 10 + i));
        for (const e of batch) expected.add(e.id);
        await w.appendEvents(batch);
      }
    })).finally(() => { done = true; });
    const seen: StoredEvent[] = [];
    let cursor = 0;
    for (;;) {
      const finished = done;
      for await (const r of follower.readEvents({ afterSeq: cursor })) { seen.push(r); cursor = r.seq; }
      if (finished) break;
      await sleep(3);
    }
    await writing;
    expect(seen.map((r) => r.seq)).toEqual(Array.from({ length: expected.size }, (_, i) => i + 1));
    expect(new Set(seen.map((r) => r.event.id))).toEqual(expected);
  });
});

describe('partition leases', () => {
  it('splits the partitions among live nodes, hands over on a graceful leave and takes a dead node\'s at once', async () => {
    const schema = `l${++schemas}`;
    const [sa, sb, sc] = [await open(schema), await open(schema), await open(schema)];
    const a = await openPartitionLease(sa, 'a');
    const b = await openPartitionLease(sb, 'b');
    const disjoint = (leases = [a, b, c]) => {
      const owned = leases.flatMap((l) => l.held());
      expect(new Set(owned).size).toBe(owned.length);
    };
    expect((await a.rebalance()).acquired).toHaveLength(PARTITIONS);
    const c = await openPartitionLease(sc, 'c');
    expect((await b.rebalance()).acquired).toEqual([]); // all taken; a gives back once it sees b
    const give = await a.rebalance();
    expect(give.surplus).toHaveLength(PARTITIONS / 2);
    await a.release(give.surplus);
    expect((await b.rebalance()).acquired).toHaveLength(PARTITIONS / 2);
    disjoint();
    // c joins: shares of ceil(64 / 3) = 22
    await c.rebalance();
    for (const l of [a, b]) await l.release((await l.rebalance()).surplus);
    await c.rebalance();
    disjoint();
    expect(a.held().length + b.held().length + c.held().length).toBe(PARTITIONS);
    expect([a, b, c].map((l) => l.held().length).sort()).toEqual([20, 22, 22]);
    // a dies: its lock connection is gone, PostgreSQL frees its locks, the others take them next round
    const [dead] = await sa.sql<{ pid: number }[]>`SELECT pid FROM nodes WHERE id = 'a'`;
    await sb.sql`SELECT pg_terminate_backend(${dead!.pid})`;
    // terminating only signals the backend: its locks are free once it has gone
    for (let i = 0; i < 250 && (await sb.sql`SELECT 1 FROM pg_stat_activity WHERE pid = ${dead!.pid}`).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    await b.rebalance();
    await c.rebalance();
    disjoint([b, c]); // a's lease object still lists what it held: it finds out at its next round
    expect(b.held().length + c.held().length).toBe(PARTITIONS);
    expect((await sb.sql<{ owner: string }[]>`SELECT DISTINCT owner FROM partitions ORDER BY owner`).map((r) => r.owner)).toEqual(['b', 'c']);
    // a's client reconnects: a new session, so it knows its locks are gone, and finds nothing free
    expect(await a.rebalance()).toEqual({ acquired: [], surplus: [] });
    expect(a.held()).toEqual([]);
    await a.close();
    await b.close();
    await c.close();
  });
});

describe('engines sharing the accounts', () => {
  const cfg = loadConfig(EXAMPLE_CONFIG);
  const catalog = toCatalog(cfg);
  const settings = toEngineSettings(cfg);
  const events = (from: number, to: number): TierwiseEvent[] => {
    const out: TierwiseEvent[] = [];
    for (let i = from; i < to; i++) out.push(usage(`e${i}`, `acct-${i % 40}`, i), { id: `s${i}`, ts: T0 + i * 1000, account: `acct-${(i * 7) % 40}`, type: 'session', user: `u${i % 3}` });
    return out;
  };

  async function node(schema: string, id: string): Promise<{ engine: Engine; coord: PartitionCoordinator; store: PostgresStore }> {
    const store = await open(schema);
    const lease = await openPartitionLease(store, id);
    const holder: { c?: PartitionCoordinator } = {};
    const view = postgresNodeView(store, { node: id, parts: () => holder.c?.active ?? [] });
    holder.c = new PartitionCoordinator(lease, view);
    const engine = await openEngine({ store: view, catalog, settings });
    return { engine, coord: holder.c, store };
  }
  const cycle = async (n: { engine: Engine; coord: PartitionCoordinator }) => { await n.coord.sync(n.engine); await n.engine.catchUp(); };

  it('fold, between them, exactly what one engine folds, through a join, a graceful leave and a crash', async () => {
    const schema = `e${++schemas}`;
    const writer = await open(schema);
    await writer.appendEvents(events(0, 300));
    const a = await node(schema, 'a');
    await cycle(a);
    expect(a.coord.active).toHaveLength(PARTITIONS);
    await writer.appendEvents(events(300, 500));
    await cycle(a);
    await a.engine.save();

    const b = await node(schema, 'b');
    await cycle(b); // sees two nodes, finds nothing free yet
    await writer.appendEvents(events(500, 700));
    await cycle(a); // a saves and gives half away
    await cycle(b); // b adopts those states and catches up from their cursor
    expect(a.coord.active.length + b.coord.active.length).toBe(PARTITIONS);
    await writer.appendEvents(events(700, 900));
    await cycle(a);
    await cycle(b);
    await b.engine.save();

    // a crashes without saving what it folded since its last save: b refolds that from a's cursors
    await writer.appendEvents(events(900, 1000));
    await cycle(a);
    await a.store.sql`SELECT pg_terminate_backend(pid) FROM nodes WHERE id = 'a'`;
    await cycle(b);
    expect(b.coord.active).toHaveLength(PARTITIONS);
    await writer.appendEvents(events(1000, 1100));
    await cycle(b);

    const single = await openEngine({ store: createMemoryStore(), catalog, settings });
    await single.ingest(events(0, 1100));
    const states = (e: Engine) => new Map([...e.states].map(([id, s]) => [id, serializeState(s)]));
    expect(states(b.engine)).toEqual(states(single));
    for (const id of b.engine.states.keys()) expect(b.coord.active).toContain(partitionOf(id));
    await b.coord.close(b.engine);
  });
});

describe('claiming due work', () => {
  it('gives each due step and outbox message to one node at a time, and again once the claim lapses', async () => {
    const schema = `c${++schemas}`;
    const s1 = await open(schema);
    const s2 = await open(schema);
    const all64 = () => Array.from({ length: PARTITIONS }, (_, i) => i);
    const v1 = postgresNodeView(s1, { node: 'n1', parts: all64, claimSeconds: 1 });
    const v2 = postgresNodeView(s2, { node: 'n2', parts: all64, claimSeconds: 1 });
    const steps: Step[] = Array.from({ length: 40 }, (_, i) => ({ id: `st${i}`, opportunity: `o${i}`, account: `acct-${i}`, playbook: 'p', index: 0, channel: 'email', when: 'always', dueAt: T0, notBefore: T0 + i, status: 'pending' }));
    const msgs: OutboxMessage[] = Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, channel: 'webhook', account: `acct-${i}`, payload: '{}', status: 'pending', attempts: 0, nextAt: T0 + i, createdAt: T0 }));
    await s1.commitPlaybook({ steps, enqueue: msgs });

    const [x, y] = await Promise.all([v1.listSteps({ dueBy: T0 + 100, limit: 25 }), v2.listSteps({ dueBy: T0 + 100, limit: 25 })]);
    expect(x.length + y.length).toBe(40);
    expect(new Set([...x, ...y].map((s) => s.id)).size).toBe(40);
    expect(await v1.listSteps({ dueBy: T0 + 100 })).toEqual([]); // all claimed
    expect(await s1.listSteps({ dueBy: T0 + 100 })).toHaveLength(40); // a plain listing still sees them

    const [m, n] = await Promise.all([v1.listOutbox({ status: 'pending', dueBy: T0 + 100 }), v2.listOutbox({ status: 'pending', dueBy: T0 + 100 })]);
    expect(new Set([...m, ...n].map((o) => o.key)).size).toBe(40);
    expect(m.length + n.length).toBe(40);
    // a delivered message is never handed out again; an unfinished claim lapses and is handed out anew
    await s1.commitPlaybook({ outboxUpdates: m.map((o) => ({ ...o, status: 'delivered', attempts: 1, deliveredAt: T0 })) });
    await sleep(1_100);
    expect((await v2.listOutbox({ status: 'pending', dueBy: T0 + 100 })).map((o) => o.key).sort()).toEqual(n.map((o) => o.key).sort());
    // steps outside the node's partitions are not its to run
    const v3 = postgresNodeView(s2, { node: 'n3', parts: () => [partitionOf('acct-3')], claimSeconds: 1 });
    expect((await v3.listSteps({ dueBy: T0 + 100 })).every((s) => partitionOf(s.account) === partitionOf('acct-3'))).toBe(true);
  });
});
