// Three `tierwise serve` processes on one PostgreSQL. Events go in over HTTP through all three at
// once; one node is killed with SIGKILL while the engines fold (and comes back), and later one is
// killed while it is delivering its scheduler pass's messages. The survivors take its partitions
// and its lapsed claims. The end state (account states, opportunities, steps, delivered messages
// with their keys) must equal a single-process run over the same events, and no message may reach
// the receiver twice with different bodies.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/memory-store.ts';
import { openPostgresStore, type PostgresStore } from '../../src/adapters/postgres/postgres-store.ts';
import { openEngine } from '../../src/app/engine.ts';
import { createApiKey } from '../../src/app/keys.ts';
import { runPlaybooks } from '../../src/app/scheduler.ts';
import { IDEMPOTENCY_HEADER } from '../../src/channels/webhook.ts';
import { toCatalog } from '../../src/config/catalog-from-config.ts';
import { toEngineSettings } from '../../src/config/engine-schema.ts';
import { EXAMPLE_CONFIG, loadConfig } from '../../src/config/load.ts';
import type { TierwiseEvent } from '../../src/core/events/types.ts';
import { serializeState } from '../../src/core/state/serialize.ts';
import { playbookDepsFor } from '../../src/http/playbook-context.ts';
import { START, worldEvents } from '../support/playbook-world.ts';
import { testDatabase, type TestDatabase } from '../support/postgres.ts';
import { exited, listening, tierwiseAsync } from './cli.ts';

const H = 3_600_000;
const NOW = Date.now();
const COPIES = 20;
const dir = mkdtempSync(join(tmpdir(), 'tierwise-multinode-'));
const config = join(dir, 'tierwise.yaml');
const env = { TW_E2E_WEBHOOK_SECRET: 'whsec_multinode' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The playbook world COPIES times over (acme-i climbs to its API limit, late-i is past due), moved so that its day 20, 4 am is now. */
function events(): TierwiseEvent[] {
  const shift = NOW - (START + 4 * H);
  const out: TierwiseEvent[] = [];
  for (let i = 0; i < COPIES; i++) for (const e of worldEvents()) out.push({ ...e, id: `${e.id}-${i}`, account: `${e.account}-${i}`, ts: e.ts + shift });
  return out;
}

interface Node { name: string; child: ChildProcess; url: string; log: () => string }
const children: ChildProcess[] = [];
let pg: TestDatabase;
let store: PostgresStore;
let receiver: Server;
const received: { key: string; body: string }[] = [];

async function start(name: string, extra: string[]): Promise<Node> {
  const child = tierwiseAsync(['serve', '--port', '0', '--db', pg.url, '-c', config, '--node', name, '--cycle-ms', '200', ...extra], env);
  children.push(child);
  const { url, stderr } = await listening(child, name);
  return { name, child, url, log: stderr };
}
async function kill9(n: Node): Promise<void> {
  n.child.kill('SIGKILL');
  await exited(n.child);
}
async function stop(n: Node): Promise<void> {
  n.child.kill('SIGTERM');
  expect((await exited(n.child)).code, `${n.name}: ${n.log()}`).toBe(0);
}
async function waitFor(what: string, ok: () => Promise<boolean>, seconds = 60): Promise<void> {
  for (const until = Date.now() + seconds * 1000; Date.now() < until; await sleep(50)) if (await ok()) return;
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  Object.assign(process.env, env); // the reference run below reads the same config
  pg = await testDatabase('multinode');
  store = await openPostgresStore(pg.url, { max: 2 });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    // a slow receiver: a pass spends seconds delivering, so a kill lands in the middle of one
    req.on('end', () => setTimeout(() => {
      received.push({ key: String(req.headers[IDEMPOTENCY_HEADER]), body });
      res.writeHead(204).end();
    }, 150));
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  writeFileSync(config, `${readFileSync(EXAMPLE_CONFIG, 'utf8')}
channels:
  webhook: { url: "http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook", secret_env: TW_E2E_WEBHOOK_SECRET, timeout_ms: 5000 }
`);
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await store?.close();
  await pg?.drop();
  await new Promise<void>((r) => receiver.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe('three nodes on one PostgreSQL', () => {
  it('end in the state one process reaches, through a kill -9 mid-fold and one mid-pass', { timeout: 360_000 }, async () => {
    const all = events();
    const { key } = await createApiKey(store, 'ingest', 'multinode', NOW);

    // Phase 1: ingest through all three; the scheduler waits (its first pass is an hour away).
    const quiet = ['--playbook-ms', '3600000', '--deliver-ms', '3600000'];
    const nodes = await Promise.all(['n1', 'n2', 'n3'].map((n) => start(n, quiet)));
    // each account's events go through one node, in order; 100 a request
    const byNode = nodes.map((_, i) => all.filter((e) => Number(/-(\d+)$/.exec(e.account)?.[1]) % 3 === i));
    const post = async (url: string, batch: TierwiseEvent[]) => {
      const r = await fetch(`${url}/v1/events`, {
        method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(batch.map((e) => ({ ...e, ts: new Date(e.ts).toISOString() }))),
      });
      expect(r.status, await r.text()).toBe(200);
    };
    let revived: Node | undefined;
    await Promise.all(byNode.map(async (evs, i) => {
      let url = (nodes[i] as Node).url;
      for (let b = 0; b * 100 < evs.length; b++) {
        await post(url, evs.slice(b * 100, b * 100 + 100));
        if (i === 1 && b === 2) {
          // n2 dies while the engines fold what just came in; its remaining events go through n1
          await kill9(nodes[1] as Node);
          url = (nodes[0] as Node).url;
          revived = await start('n2b', quiet);
        }
      }
    }));
    expect(await store.countEvents()).toBe(all.length);
    // every partition owned again by a live node, then a graceful stop saves states and cursors
    await waitFor('all partitions owned', async () => (await store.sql`SELECT 1 FROM partitions WHERE owner IS NULL`).length === 0);
    await sleep(600);
    await Promise.all(([nodes[0], nodes[2], revived] as Node[]).map(stop));

    // Phase 2: the scheduler every 300 ms on three fresh nodes; kill the one delivering.
    const busy = ['--playbook-ms', '300', '--deliver-ms', '300'];
    const second = await Promise.all(['m1', 'm2', 'm3'].map((n) => start(n, busy)));
    let victim = '';
    await waitFor('a node in the middle of delivering a pass', async () => {
      const [r] = await store.sql<{ by: string }[]>`SELECT claimed_by AS by FROM pb_outbox WHERE status = 'pending' AND claimed_until > now() LIMIT 1`;
      victim = r?.by ?? '';
      return victim !== '' && received.length > 0;
    });
    const dead = second.find((n) => n.name === victim) as Node;
    await kill9(dead);
    const survivors = second.filter((n) => n !== dead);

    // the reference: one process, the same events, two passes at the same moment
    const cfg = loadConfig(config);
    const mem = createMemoryStore();
    await mem.appendEvents(all);
    const engine = await openEngine({ store: mem, catalog: toCatalog(cfg), settings: toEngineSettings(cfg) });
    engine.tick(NOW);
    const deps = playbookDepsFor(mem, cfg);
    await runPlaybooks(deps, engine, NOW);
    await runPlaybooks(deps, engine, NOW);
    const refOutbox = await mem.listOutbox();
    expect(refOutbox.length).toBeGreaterThanOrEqual(COPIES);

    await waitFor('every message delivered', async () => {
      const [r] = await store.sql<{ n: number; d: number }[]>`SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'delivered')::int AS d FROM pb_outbox`;
      return r?.n === refOutbox.length && r.d === r.n;
    });
    await sleep(800); // a last pass each
    await Promise.all(survivors.map(stop));

    // account states: exactly what one engine folded (nothing skipped, nothing folded twice)
    const saved = new Map<string, string>();
    for await (const s of store.loadAllStates()) saved.set(s.account, s.state);
    expect(saved).toEqual(new Map([...engine.states].map(([id, s]) => [id, serializeState(s)])));
    // opportunities and steps: the same ones, in the same places (ids carry the moment a play
    // started, which differs between the runs: it is masked)
    const mask = (id: string) => id.replace(/\d{13}|\d{8}-\d{6}(\.\d{3})?/g, 'T');
    const opp = (o: { id: string; account: string; status: string; stage: string; target: string }) => [mask(o.id), o.account, o.status, o.stage, o.target].join(' ');
    expect((await store.listOpportunities()).map(opp).sort()).toEqual((await mem.listOpportunities()).map(opp).sort());
    const step = (s: { id: string; status: string; channel: string }) => [mask(s.id), s.status, s.channel].join(' ');
    expect((await store.listSteps()).map(step).sort()).toEqual((await mem.listSteps()).map(step).sort());
    // messages: the same keys, each delivered, every copy the receiver got of one key the same body
    // keys are hashes of step ids (which carry that moment): compared through the step they belong to
    const outbox = await store.listOutbox();
    expect(outbox.map((m) => `${mask(m.step ?? '')} ${m.channel} ${m.status}`).sort()).toEqual(refOutbox.map((m) => `${mask(m.step ?? '')} ${m.channel} delivered`).sort());
    expect([...new Set(received.map((r) => r.key))].sort()).toEqual(outbox.map((m) => m.key).sort());
    const bodies = new Map<string, Set<string>>();
    for (const r of received) bodies.set(r.key, (bodies.get(r.key) ?? new Set()).add(r.body));
    for (const [k, b] of bodies) expect(b.size, k).toBe(1);
  });
});
