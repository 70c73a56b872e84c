// PostgreSQL figures (docs/deploy.md): bulk import of the same simulated world into PostgreSQL and
// SQLite in the same run; HTTP ingest through 1, 2 and 3 `tierwise serve` nodes on one PostgreSQL;
// fold throughput of 1, 2 and 3 `tierwise worker` nodes sharing a pre-loaded log.
// The database: $TIERWISE_BENCH_DATABASE_URL, else $TIERWISE_TEST_DATABASE_URL, else a throwaway
// PostgreSQL from npm (test/support/postgres.ts); one fresh database per measurement.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { openPostgresStore } from '../../src/adapters/postgres/postgres-store.ts';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { importItems } from '../../src/app/import-events.ts';
import { createApiKey } from '../../src/app/keys.ts';
import { readNdjson } from '../../src/sources/ndjson.ts';
import { testDatabase, type TestDatabase } from '../../test/support/postgres.ts';
import { repeat, ROOT, type BenchContext, type Figure } from '../lib.ts';

async function database(label: string): Promise<TestDatabase> {
  const url = process.env['TIERWISE_BENCH_DATABASE_URL'];
  if (url && !process.env['TIERWISE_TEST_DATABASE_URL']) process.env['TIERWISE_TEST_DATABASE_URL'] = url;
  return testDatabase(`bench_${label}`);
}

const children = new Set<ChildProcess>();
process.once('exit', () => { for (const c of children) c.kill('SIGKILL'); });

async function startNode(cmd: 'serve' | 'worker', url: string, cfg: string, extra: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [`${ROOT}bin/tierwise.mjs`, cmd, '--db', url, '-c', cfg, ...(cmd === 'serve' ? ['--port', '0'] : []), ...extra],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  const addr = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = cmd === 'serve' ? /listening on (http:\/\/\S+)/.exec(out) : /running/.exec(out);
      if (m) resolve(m[1] ?? '');
    });
    child.once('exit', (code) => reject(new Error(`tierwise ${cmd} exited ${code}`)));
  });
  return { child, url: addr };
}
async function stopNode(c: ChildProcess): Promise<void> {
  if (c.exitCode === null && c.signalCode === null) {
    const done = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    const t = setTimeout(() => c.kill('SIGKILL'), 20_000);
    await done;
    clearTimeout(t);
  }
  children.delete(c);
}

/** Distinct usage events over 10,000 accounts, `batch` per request body. */
function bodies(batch: number, prefix: string): () => string {
  const t0 = Date.parse('2026-03-01T00:00:00Z');
  let n = 0;
  return () => {
    const parts: string[] = [];
    for (let i = 0; i < batch; i++, n++) parts.push(`{"id":"${prefix}${n}","ts":"${new Date(t0 + n).toISOString()}","account":"acct${n % 10000}","user":"u${n % 50000}","type":"usage","meter":"api_calls","quantity":${1 + (n % 9)}}`);
    return `[${parts.join(',')}]`;
  };
}

async function importRate(ctx: BenchContext, file: string): Promise<{ pg: Figure; sqlite: number }> {
  const pg = await repeat(ctx.runs, async () => {
    const db = await database('import');
    try {
      const store = await openPostgresStore(db.url);
      const stats = await importItems(store, readNdjson(file));
      await store.close();
      return stats.read / stats.seconds;
    } finally {
      await db.drop();
    }
  });
  const lite = await repeat(ctx.runs, async (i) => {
    const path = join(ctx.tmp, `pg-bench-sqlite-${i}.db`);
    const store = openSqliteStore(path);
    const stats = await importItems(store, readNdjson(file));
    await store.close();
    for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
    return stats.read / stats.seconds;
  });
  return {
    pg: { name: 'bulk import NDJSON -> PostgreSQL (COPY) + aggregates', unit: 'events/s', ours: pg.median, min: pg.min, max: pg.max, runs: pg.runs,
      reference: { name: 'the same file into SQLite, same run', value: lite.median } },
    sqlite: lite.median,
  };
}

function config(ctx: BenchContext): string {
  const cfg = join(ctx.tmp, 'pg-bench.yaml');
  writeFileSync(cfg, `${readFileSync(join(ROOT, 'examples/tierwise.yaml'), 'utf8')}\nhttp:\n  rate_limit: { per_second: 0, burst: 1 }\n  max_queue_events: 1000000\n`);
  return cfg;
}

/** HTTP ingest through n serve nodes (engines on), 8 connections spread over them. */
async function httpRate(ctx: BenchContext, nodes: number, seconds: number): Promise<number> {
  const db = await database(`http${nodes}`);
  const store = await openPostgresStore(db.url, { max: 2 });
  try {
    const { key } = await createApiKey(store, 'ingest', 'bench', Date.now());
    const cfg = config(ctx);
    const servers = await Promise.all(Array.from({ length: nodes }, (_, i) => startNode('serve', db.url, cfg, ['--node', `b${i}`])));
    const conns = Math.max(1, Math.floor(8 / nodes));
    const results = await Promise.all(servers.map((s, i) => autocannon({
      url: `${s.url}/v1/events`, connections: conns, duration: seconds,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      requests: [{ method: 'POST', setupRequest: ((body) => (req: Record<string, unknown>) => ({ ...req, body: body() }))(bodies(500, `n${i}-`)) }],
    })));
    await Promise.all(servers.map((s) => stopNode(s.child)));
    const acked = results.reduce((t, r) => t + r['2xx'] * 500, 0);
    const stored = await store.countEvents();
    if (stored < acked) throw new Error(`acknowledged ${acked} events but stored ${stored}`);
    return acked / Math.max(...results.map((r) => r.duration));
  } finally {
    await store.close();
    await db.drop();
  }
}

/** Fold throughput: `events` pre-loaded, then n workers start together; until every partition's saved cursor covers its events. */
async function foldRate(ctx: BenchContext, nodes: number, events: number): Promise<number> {
  const db = await database(`fold${nodes}`);
  const store = await openPostgresStore(db.url, { max: 2 });
  try {
    const body = bodies(10_000, 'f');
    for (let n = 0; n < events; n += 10_000) await store.appendEvents(JSON.parse(body()).map((e: { ts: string }) => ({ ...e, ts: Date.parse(e.ts) })));
    const cfg = config(ctx);
    const t = performance.now();
    const workers = await Promise.all(Array.from({ length: nodes }, (_, i) => startNode('worker', db.url, cfg, ['--node', `f${i}`, '--cycle-ms', '100', '--save-ms', '1000', '--playbook-ms', '3600000', '--deliver-ms', '3600000'])));
    for (;;) {
      const [r] = await store.sql<{ done: boolean }[]>`SELECT bool_and(p.seq >= coalesce((SELECT max(e.seq) FROM events e WHERE e.part = p.part), 0)) AS done FROM partitions p`;
      if (r?.done) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const secs = (performance.now() - t) / 1000;
    await Promise.all(workers.map((w) => stopNode(w.child)));
    return events / secs;
  } finally {
    await store.close();
    await db.drop();
  }
}

export async function postgresFigures(ctx: BenchContext, file: string): Promise<Figure[]> {
  const figures: Figure[] = [];
  ctx.log('postgres: import into PostgreSQL and SQLite');
  figures.push((await importRate(ctx, file)).pg);
  const http: number[] = [];
  for (const n of [1, 2, 3]) {
    ctx.log(`postgres: HTTP ingest through ${n} node(s)`);
    const r = await repeat(ctx.runs, () => httpRate(ctx, n, ctx.quick ? 4 : 10));
    http.push(r.median);
    figures.push({ name: `HTTP ingest, ${n} node(s) on PostgreSQL (500/request, engines on)`, unit: 'events/s', ours: r.median, min: r.min, max: r.max, runs: r.runs,
      ...(n > 1 ? { reference: { name: '1 node', value: http[0] as number } } : {}), note: 'every acknowledged event verified stored' });
  }
  const events = ctx.quick ? 100_000 : 500_000;
  let one = 0;
  for (const n of [1, 2, 3]) {
    ctx.log(`postgres: fold ${events.toLocaleString('en-US')} events with ${n} worker(s)`);
    const r = await repeat(ctx.runs, () => foldRate(ctx, n, events));
    if (n === 1) one = r.median;
    figures.push({ name: `fold throughput, ${n} worker(s) on PostgreSQL`, unit: 'events/s', ours: r.median, min: r.min, max: r.max, runs: r.runs,
      ...(n > 1 ? { reference: { name: '1 worker', value: one } } : {}), note: 'start to every partition cursor saved past its last event' });
  }
  return figures;
}
