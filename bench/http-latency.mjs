#!/usr/bin/env node
// Event to signal latency (DESIGN.md section 5: p99 at half of peak load <= 1 s): a real `tierwise
// serve` child, background ingest from autocannon at a fixed rate, and probe accounts whose usage
// crosses a plan limit. Each probe account is set up beforehand (Basic, 9,990 of its 10,000 API
// calls this month, folded before timing starts); the timed part is one POST of a usage event that
// takes it over the limit, then GET /v1/accounts/{id}/explain every --poll-ms (100 ms after the
// first 2 s) until `limit_exceeded` shows. Latency: from just before that POST to the answer that
// shows the signal. Probes start at random (Poisson arrivals, --probe-rate a second, independent of
// one another), so they sample every phase of the engine's cycle. The same probes run first with no
// background load: the floor (ack + the wait for the next engine cycle).
//   node bench/http-latency.mjs [--load-events N] [--peak-seconds 3] [--seconds 20] [--warmup 5]
//     [--idle-probes 30] [--probe-rate 5] [--poll-ms 15] [--batch 500] [--connections 8] [--trace]
// --load-events: background events/s; without it the peak is measured first on the same server
// (--peak-seconds as fast as it goes) and half of it is used.
import autocannon from 'autocannon';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { arg, batchBodies, engineCycles, metric, startServe } from './http-server.mjs';

const BATCH = arg('batch', 500);
const CONNECTIONS = arg('connections', 8);
const SECONDS = arg('seconds', 20);
const WARMUP = arg('warmup', 5); // s of background load before probing: the ramp from idle (10,000 new accounts) is not the steady state
const PEAK_SECONDS = arg('peak-seconds', 3);
const IDLE_PROBES = arg('idle-probes', 30);
const PROBE_RATE = arg('probe-rate', 5);
const POLL_MS = arg('poll-ms', 15);
const SLOW_POLL_MS = 100; // after the first 2 s of a probe: keeps the polling light if latency runs away
const PROBE_TIMEOUT_MS = 60_000;
const LIMIT = 10_000; // Basic's api_calls limit in examples/tierwise.yaml
const SIGNAL = 'limit_exceeded';
// enough probe accounts for the run, with room for the randomness of the arrivals
const PROBE_ACCOUNTS = IDLE_PROBES + Math.ceil(2 * PROBE_RATE * SECONDS) + 20;

// --trace: every probe in the output ([start s, latency ms, ack ms]) and the server's progress every
// 250 ms ([s, events accepted, engine seq, engine cycles, their seconds]): where the lag comes from
const TRACE = process.argv.includes('--trace');
const T_START = performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
};
const ms = (x) => (x === null ? null : Math.round(x));

const serve = await startServe({ engine: true, scopes: ['ingest', 'admin'] });
const post = (body, key = serve.keys.ingest) => fetch(`${serve.url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
async function explain(account) {
  const r = await fetch(`${serve.url}/v1/accounts/${account}/explain`, { headers: { authorization: `Bearer ${serve.keys.admin}` } });
  if (r.status === 404) { await r.arrayBuffer(); return null; }
  if (r.status !== 200) throw new Error(`explain ${account}: ${r.status} ${await r.text()}`);
  return r.json();
}
const fired = (ev) => ev !== null && ev.signals.some((s) => s.id === SIGNAL);
/** Polls explain until pred holds (setup steps, not timed). */
async function until(account, pred, what) {
  const t0 = performance.now();
  for (;;) {
    if (pred(await explain(account))) return performance.now() - t0;
    if (performance.now() - t0 > 120_000) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

// Probe accounts: on Basic since 20 days ago, 9,990 API calls a minute ago (a month counter: the
// crossing event must fall in the same calendar month, which it does unless the run spans midnight
// UTC at a month's end).
let nextProbe = 0;
async function setUpProbes() {
  const now = Date.now();
  const events = [];
  for (let i = 0; i < PROBE_ACCOUNTS; i++) {
    const account = `probe${i}`;
    events.push({ id: `${account}-sub`, ts: new Date(now - 20 * 86_400_000).toISOString(), account, type: 'subscription', plan: 'basic', interval: 'month', mrr: 29_900, status: 'active' });
    events.push({ id: `${account}-use`, ts: new Date(now - 60_000).toISOString(), account, user: 'u1', type: 'usage', meter: 'api_calls', quantity: LIMIT - 10 });
  }
  const r = await post(JSON.stringify(events));
  if (r.status !== 200) throw new Error(`probe setup: ${r.status} ${await r.text()}`);
  await r.arrayBuffer();
  // folded in seq order: the last account there means all are
  await until(`probe${PROBE_ACCOUNTS - 1}`, (ev) => ev !== null && ev.plan === 'basic', 'the probe accounts to be folded');
  if (fired(await explain('probe0'))) throw new Error(`${SIGNAL} fires before the crossing event: the probe is wrong`);
}

/** One timed probe: the crossing event, then explain until the signal shows. */
async function probe() {
  const account = `probe${nextProbe++}`;
  const event = { id: `${account}-cross`, ts: new Date().toISOString(), account, user: 'u1', type: 'usage', meter: 'api_calls', quantity: 20 };
  const body = JSON.stringify([event]);
  const t0 = performance.now();
  const startedAt = t0 - T_START;
  const r = await post(body);
  await r.arrayBuffer();
  if (r.status !== 200) throw new Error(`crossing event for ${account}: ${r.status}`);
  const ackMs = performance.now() - t0;
  for (;;) {
    const ev = await explain(account);
    const at = performance.now() - t0;
    if (fired(ev)) return { ms: at, ackMs, startedAt };
    if (at > PROBE_TIMEOUT_MS) return { ms: Number.POSITIVE_INFINITY, ackMs, startedAt };
    await sleep(at < 2000 ? POLL_MS : SLOW_POLL_MS);
  }
}

/**
 * Probes started at exponential intervals (a Poisson process of PROBE_RATE a second) while
 * more(started) holds, each on its own: their starts fall at random points of the engine cycle,
 * as real events do (a probe started when the last one ended would line up with the cycle).
 */
async function probes(more) {
  const running = [];
  while (more(running.length) && nextProbe < PROBE_ACCOUNTS) {
    running.push(probe());
    await sleep(-Math.log(1 - Math.random()) * (1000 / PROBE_RATE));
  }
  return Promise.all(running);
}

function summary(results) {
  const done = results.filter((r) => Number.isFinite(r.ms));
  const lat = results.map((r) => r.ms);
  const ack = results.map((r) => r.ackMs);
  const after = done.map((r) => r.ms - r.ackMs);
  return {
    probes: results.length, timeouts: results.length - done.length,
    latencyMs: { p50: ms(pct(lat, 0.5)), p90: ms(pct(lat, 0.9)), p99: ms(pct(lat, 0.99)), max: ms(pct(lat, 1)) },
    ackMs: { p50: ms(pct(ack, 0.5)), p99: ms(pct(ack, 0.99)) },
    afterAckMs: { p50: ms(pct(after, 0.5)), p99: ms(pct(after, 0.99)) },
    ...(TRACE ? { trace: results.map((r) => [Number((r.startedAt / 1000).toFixed(2)), ms(r.ms), ms(r.ackMs)]) } : {}),
  };
}

/** autocannon's answer is a thenable (no finally): wrapped into a real promise */
const load = (opts) => Promise.resolve(autocannon({
  url: `${serve.url}/v1/events`,
  connections: CONNECTIONS,
  headers: { authorization: `Bearer ${serve.keys.ingest}`, 'content-type': 'application/json' },
  requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: body() }) }],
  ...opts,
}));
const body = batchBodies(BATCH);
let out;
try {
  await setUpProbes();

  let peak = arg('load-events', 0) > 0 ? null : 0;
  let catchUpSeconds = null;
  if (peak === 0) {
    const r = await load({ duration: PEAK_SECONDS });
    peak = Math.round((r['2xx'] * BATCH) / r.duration);
    // a marker account after the burst: once the engine shows it, the backlog is folded
    const t0 = performance.now();
    await (await post(JSON.stringify([{ id: 'marker', ts: new Date().toISOString(), account: 'marker', type: 'usage', meter: 'api_calls', quantity: 1 }]))).arrayBuffer();
    await until('marker', (ev) => ev !== null, 'the engine to catch up after the peak burst');
    catchUpSeconds = Number(((performance.now() - t0) / 1000).toFixed(2));
  }
  const loadEvents = peak === null ? arg('load-events', 0) : Math.round(peak / 2);

  const idle = await probes((n) => n < IDLE_PROBES);

  const before = await serve.metrics();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  let loading = true;
  const background = load({ duration: WARMUP + SECONDS, overallRate: loadEvents / BATCH }).finally(() => { loading = false; });
  const progress = [];
  const sampler = TRACE && (async () => {
    while (loading) {
      const m = await serve.metrics();
      const accepted = Number(/^tierwise_ingest_events_total\{source="events",outcome="accepted"\} (\S+)$/m.exec(m)?.[1] ?? NaN);
      progress.push([Number(((performance.now() - T_START) / 1000).toFixed(2)), accepted, metric(m, 'tierwise_engine_seq'),
        metric(m, 'tierwise_engine_cycle_seconds_count'), Number(metric(m, 'tierwise_engine_cycle_seconds_sum').toFixed(3))]);
      await sleep(250);
    }
  })();
  await sleep(WARMUP * 1000);
  loopDelay.enable();
  const loaded = await probes(() => loading);
  loopDelay.disable();
  const bg = await background;
  await sampler;
  const after = await serve.metrics();
  const cycles = metric(after, 'tierwise_engine_cycle_seconds_count') - metric(before, 'tierwise_engine_cycle_seconds_count');
  const cycleSum = metric(after, 'tierwise_engine_cycle_seconds_sum') - metric(before, 'tierwise_engine_cycle_seconds_sum');

  out = {
    signal: SIGNAL, pollMs: POLL_MS, probeRate: PROBE_RATE, batch: BATCH,
    peakEventsPerSecond: peak, peakMeasuredHere: catchUpSeconds !== null, catchUpSeconds,
    loadEventsPerSecondTarget: loadEvents, warmupSeconds: WARMUP,
    loadEventsPerSecond: Math.round((bg['2xx'] * BATCH) / bg.duration),
    load: { seconds: bg.duration, non2xx: bg.non2xx, errors: bg.errors, ackLatencyMs: { p50: bg.latency.p50, p99: bg.latency.p99 } },
    idle: summary(idle),
    loaded: summary(loaded),
    engineDuringLoad: { cycles, meanSeconds: cycles > 0 ? Number((cycleSum / cycles).toFixed(3)) : null, lagSeconds: metric(after, 'tierwise_engine_lag_seconds') },
    // group commits during the load: how many, their mean size and time (submit to the store's answer)
    commitsDuringLoad: (() => {
      const d = (name) => metric(after, name) - metric(before, name);
      const n = d('tierwise_ingest_commit_seconds_count');
      return { commits: n, meanEvents: n > 0 ? Math.round(d('tierwise_ingest_commit_events_sum') / n) : null, meanMs: n > 0 ? Number(((1000 * d('tierwise_ingest_commit_seconds_sum')) / n).toFixed(1)) : null };
    })(),
    engineCycles: engineCycles(after),
    clientLoopDelayP99Ms: Number((loopDelay.percentile(99) / 1e6).toFixed(1)),
    ...(TRACE ? { progress } : {}),
  };
} finally {
  await serve.stop();
}
console.log(JSON.stringify(out, null, 2));
