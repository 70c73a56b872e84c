#!/usr/bin/env node
// HTTP ingest throughput: a real `tierwise serve` child process on 127.0.0.1 and autocannon in
// this process (the load generator is not the server's process). Each request is a batch of
// distinct canonical events (new ids, so every one is a real insert). Bounded by time and count.
//   node bench/http-ingest.mjs [--batch 500] [--accounts-per-batch 500] [--engine 1|0] [--rate REQ/S] [--connections 8] [--seconds 10] [--max-requests 20000]
// --accounts-per-batch: distinct accounts in one batch (500: every event a different account, the
// worst case for the per-account aggregates; 20: a product backend flushing a few busy accounts).
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const BATCH = arg('batch', 500);
const CONNECTIONS = arg('connections', 8);
const SECONDS = arg('seconds', 10);
const MAX_REQUESTS = arg('max-requests', 20_000);
const SPREAD = arg('accounts-per-batch', BATCH);
const ENGINE = arg('engine', 1) !== 0;
const RATE = arg('rate', 0); // requests per second over all connections; 0: as fast as it goes
const RUN = Math.max(1, Math.floor(BATCH / SPREAD));

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/tierwise.mjs');
const dir = mkdtempSync(join(tmpdir(), 'tierwise-http-bench-'));
const db = join(dir, 'bench.db');
const cfg = join(dir, 'tierwise.yaml');
// The example catalog, with the per-key rate limit off: this measures the server, not the limiter.
writeFileSync(cfg, `${readFileSync(join(root, 'examples/tierwise.yaml'), 'utf8')}\nhttp:\n  rate_limit: { per_second: 0, burst: 1 }\n  max_queue_events: 1000000\n`);

const key = spawnSync(process.execPath, [bin, 'keys', 'create', '--scope', 'ingest', '--db', db, '--config', cfg], { encoding: 'utf8' }).stdout.trim();
const server = spawn(process.execPath, [bin, 'serve', '--port', '0', '--host', '127.0.0.1', '--db', db, '--config', cfg, ...(ENGINE ? [] : ['--no-engine'])], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  server.once('exit', (code) => reject(new Error(`server exited ${code}`)));
});

const T0 = Date.parse('2026-03-01T00:00:00Z');
let n = 0;
function body() {
  const parts = new Array(BATCH);
  for (let i = 0; i < BATCH; i++, n++) {
    parts[i] = `{"id":"b${n}","ts":"${new Date(T0 + n).toISOString()}","account":"acct${Math.floor(n / RUN) % 10000}","user":"u${n % 50000}","type":"usage","meter":"api_calls","quantity":${1 + (n % 9)}}`;
  }
  return `[${parts.join(',')}]`;
}

const result = await autocannon({
  url: `${url}/v1/events`,
  connections: CONNECTIONS,
  duration: SECONDS,
  maxOverallRequests: MAX_REQUESTS,
  ...(RATE > 0 ? { overallRate: RATE } : {}),
  headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: body() }) }],
});

// How well group commit grouped: events per store transaction, from the server's own metrics.
const metrics = await (await fetch(`${url}/metrics`)).text();
const metric = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);
const commits = metric('tierwise_ingest_commit_events_count');
const eventsPerCommit = Math.round(metric('tierwise_ingest_commit_events_sum') / commits);
// The engine cycle's p99, read off its histogram (the upper bound of the bucket holding it).
function p99(name) {
  const buckets = [...metrics.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm'))].map((m) => [Number(m[1]), Number(m[2])]);
  const total = buckets.at(-1)?.[1] ?? 0;
  return total === 0 ? null : buckets.find(([, n]) => n >= total * 0.99)?.[0] ?? null;
}
const engineCycles = ENGINE ? { cycles: metric('tierwise_engine_cycle_seconds_count'), meanSeconds: Number((metric('tierwise_engine_cycle_seconds_sum') / metric('tierwise_engine_cycle_seconds_count')).toFixed(3)), p99AtMostSeconds: p99('tierwise_engine_cycle_seconds') } : null;

server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
const stored = spawnSync('node', ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(db)},{readonly:true});console.log(d.prepare('select count(*) n from events').get().n)`], { cwd: root, encoding: 'utf8' }).stdout.trim();
rmSync(dir, { recursive: true, force: true });

const ok = result['2xx'];
const seconds = result.duration;
console.log(JSON.stringify({
  batch: BATCH, accountsPerBatch: SPREAD, engine: ENGINE, connections: CONNECTIONS, seconds,
  requests: result.requests.total, ok2xx: ok, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts,
  eventsAcked: ok * BATCH, eventsStored: Number(stored),
  eventsPerSecond: Math.round((ok * BATCH) / seconds),
  requestsPerSecond: Math.round(ok / seconds),
  commits, eventsPerCommit, engineCycles,
  ackLatencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
}, null, 2));
