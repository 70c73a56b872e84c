#!/usr/bin/env node
// HTTP ingest throughput: a real `tierwise serve` child process on 127.0.0.1 and autocannon in
// this process (the load generator is not the server's process). Each request is a batch of
// distinct canonical events (new ids, so every one is a real insert). Bounded by time and count.
//   node bench/http-ingest.mjs [--batch 500] [--accounts-per-batch 500] [--engine 1|0] [--rate REQ/S] [--connections 8] [--seconds 10] [--max-requests 20000] [--reference 0|1|2]
// --reference 1: the same load against bench/http-reference-server.mjs (parse, check, append, fdatasync,
// ack: the ceiling of the contract on this machine); 2: the same without JSON.parse (bytes to disk).
// --accounts-per-batch: distinct accounts in one batch (500: every event a different account, the
// worst case for the per-account aggregates; 20: a product backend flushing a few busy accounts).
import autocannon from 'autocannon';
import { arg, batchBodies, cpuSeconds, engineCycles, metric, startReference, startServe, storedEvents } from './http-server.mjs';

const BATCH = arg('batch', 500);
const CONNECTIONS = arg('connections', 8);
const SECONDS = arg('seconds', 10);
const MAX_REQUESTS = arg('max-requests', 20_000);
const SPREAD = arg('accounts-per-batch', BATCH);
const ENGINE = arg('engine', 1) !== 0;
const RATE = arg('rate', 0); // requests per second over all connections; 0: as fast as it goes
const REFERENCE = arg('reference', 0);

const serve = REFERENCE ? await startReference({ parse: REFERENCE === 1 }) : await startServe({ engine: ENGINE, scopes: ['ingest'] });
let result, metrics, stored, cpu0, cpu1, client;
try {
  const body = batchBodies(BATCH, SPREAD);
  cpu0 = cpuSeconds(serve.pid);
  const client0 = process.cpuUsage();
  result = await autocannon({
    url: `${serve.url}/v1/events`,
    connections: CONNECTIONS,
    duration: SECONDS,
    maxOverallRequests: MAX_REQUESTS,
    ...(RATE > 0 ? { overallRate: RATE } : {}),
    headers: { authorization: `Bearer ${serve.keys.ingest}`, 'content-type': 'application/json' },
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: body() }) }],
  });
  client = process.cpuUsage(client0);
  // How well group commit grouped and how the engine kept up, from the server's own metrics.
  metrics = REFERENCE ? '' : await serve.metrics();
  cpu1 = cpuSeconds(serve.pid);
  await serve.stop({ keepStore: true });
  stored = REFERENCE ? serve.storedBatches() * BATCH : storedEvents(serve.db);
} finally {
  await serve.stop();
}

const commits = metric(metrics, 'tierwise_ingest_commit_events_count');
const ok = result['2xx'];
const seconds = result.duration;
console.log(JSON.stringify({
  server: REFERENCE === 1 ? 'reference' : REFERENCE === 2 ? 'reference-bytes' : 'tierwise',
  batch: BATCH, accountsPerBatch: SPREAD, engine: ENGINE, connections: CONNECTIONS, seconds,
  requests: result.requests.total, ok2xx: ok, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts,
  eventsAcked: ok * BATCH, eventsStored: stored,
  eventsPerSecond: Math.round((ok * BATCH) / seconds),
  requestsPerSecond: Math.round(ok / seconds),
  commits: REFERENCE ? null : commits, eventsPerCommit: REFERENCE ? null : Math.round(metric(metrics, 'tierwise_ingest_commit_events_sum') / commits),
  engineCycles: ENGINE && !REFERENCE ? engineCycles(metrics) : null,
  engineFolded: ENGINE && !REFERENCE ? metric(metrics, 'tierwise_engine_seq') : null,
  // the server's CPU over the load (both threads of its process): comparable across a shared machine's load
  serverCpuSeconds: cpu0 === null || cpu1 === null ? null : Math.round((cpu1 - cpu0) * 100) / 100,
  eventsPerServerCpuSecond: cpu0 === null || cpu1 === null ? null : Math.round((ok * BATCH) / (cpu1 - cpu0)),
  // the load generator's CPU (this process: autocannon and the bodies it sends): on 2 cores it shares the machine with the server
  clientCpuSeconds: Math.round((client.user + client.system) / 1e4) / 100,
  ackLatencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
}, null, 2));
