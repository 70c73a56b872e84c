// The soak: mixed load on a real `tierwise serve` (engine and playbook scheduler on) for --seconds
// (default 600): ingest batches of 200 at ~20 requests/s, ranked-account reads and explains at ~4/s,
// and the server's own playbook passes each minute. Resident memory is sampled from /proc every 10 s.
// `node bench/soak.mjs [--seconds 600]` prints JSON.
import { readFileSync } from 'node:fs';
import { arg, batchBodies, startServe } from './http-server.mjs';

const seconds = arg('seconds', 600);
const s = await startServe({ scopes: ['ingest', 'admin'] });
const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${s.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
const next = batchBodies(200, 50);
const samples = [];
const started = performance.now();
const end = started + seconds * 1000;
const sample = () => samples.push({ t: Math.round((performance.now() - started) / 1000), rssMiB: Math.round(rss()) });
sample();
const sampler = setInterval(sample, 10_000);
const counts = { ingest: 0, reads: 0, errors: 0 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ingest = (async () => {
  while (performance.now() < end) {
    const r = await fetch(`${s.url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${s.keys.ingest}`, 'content-type': 'application/json' }, body: next() }).catch(() => undefined);
    if (r?.status === 200) counts.ingest++; else counts.errors++;
    await r?.arrayBuffer();
    await sleep(50);
  }
})();
const reads = (async () => {
  for (let i = 0; performance.now() < end; i++) {
    const path = i % 2 ? '/v1/accounts?limit=50' : `/v1/accounts/acct${i % 10_000}/explain`;
    const r = await fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${s.keys.admin}` } }).catch(() => undefined);
    if (r && r.status < 500) counts.reads++; else counts.errors++;
    await r?.arrayBuffer();
    await sleep(250);
  }
})();
await Promise.all([ingest, reads]);
clearInterval(sampler);
sample();
const metrics = await s.metrics();
const passes = Number(/^tierwise_playbook_pass_seconds_count (\S+)$/m.exec(metrics)?.[1] ?? 0);
await s.stop();
// start: after the first minute (the engine's tick and the first pass have loaded what they keep)
const start = samples.find((x) => x.t >= Math.min(60, seconds / 4)) ?? samples[0];
console.log(JSON.stringify({ seconds, ...counts, playbookPasses: passes, rssMiB: { first: samples[0].rssMiB, start: start.rssMiB, end: samples.at(-1).rssMiB, max: Math.max(...samples.map((x) => x.rssMiB)) }, samples }));
