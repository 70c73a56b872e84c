// Eight hostile requests at a time against a real `tierwise serve` while /healthz is polled: the worst
// health-check latency, and the server's resident memory (sampled from /proc) before, peak and after.
// Bodies: 1.6 M empty objects in 4.8 MB, 10,000 invalid items, 1,600 valid events with 2 KB extras
// (~5 MB), and one item nested 400,000 deep. `node bench/hostile.mjs [--seconds 20]` prints JSON.
import { readFileSync } from 'node:fs';
import { arg, startServe } from './http-server.mjs';

const seconds = arg('seconds', 20);
const s = await startServe({ scopes: ['ingest'] });
const rss = () => {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${s.pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
  } catch {
    return NaN;
  }
};
const ts = '2026-03-01T10:00:00Z';
const bodies = [
  `[${Array(1_600_000).fill('{}').join(',')}]`,
  `[${Array(10_000).fill('{}').join(',')}]`,
  `[${Array.from({ length: 1_600 }, (_, i) => JSON.stringify({ id: `h${i}`, ts, account: `h${i % 50}`, type: 'usage', meter: 'api_calls', quantity: 1, note: 'x'.repeat(2_000) })).join(',')}]`,
  `[{"id":"deep","ts":"${ts}","account":"a","type":"session","x":${'['.repeat(400_000)}${']'.repeat(400_000)}}]`,
];
// The same probes first with nothing else running: the machine's own noise, for comparison.
const idle = [];
for (const stop = performance.now() + 3_000; performance.now() < stop;) {
  const t = performance.now();
  await (await fetch(`${s.url}/healthz`)).arrayBuffer();
  idle.push(performance.now() - t);
  await new Promise((r) => setTimeout(r, 25));
}
const rssBefore = rss();
let rssPeak = rssBefore;
const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, rss()); }, 100);
const statuses = {};
const end = performance.now() + seconds * 1000;
let hostile = 0;
const attackers = Array.from({ length: 8 }, async (_, w) => {
  for (let i = w; performance.now() < end; i++) {
    const r = await fetch(`${s.url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${s.keys.ingest}`, 'content-type': 'application/json' }, body: bodies[i % bodies.length] }).catch(() => undefined);
    if (r) await r.arrayBuffer().catch(() => undefined);
    statuses[r?.status ?? 'reset'] = (statuses[r?.status ?? 'reset'] ?? 0) + 1;
    hostile++;
  }
});
const health = [];
const prober = (async () => {
  while (performance.now() < end) {
    const t = performance.now();
    await (await fetch(`${s.url}/healthz`)).arrayBuffer();
    health.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 25));
  }
})();
await Promise.all([...attackers, prober]);
clearInterval(sampler);
await new Promise((r) => setTimeout(r, 2_000));
const rssAfter = rss();
await s.stop();
health.sort((a, b) => a - b);
const q = (p) => Math.round(health[Math.min(health.length - 1, Math.floor(p * health.length))] * 10) / 10;
console.log(JSON.stringify({ seconds, hostileRequests: hostile, statuses, healthz: { probes: health.length, p50Ms: q(0.5), p99Ms: q(0.99), maxMs: q(1), idleMaxMs: Math.round(Math.max(...idle) * 10) / 10 }, rssMiB: { before: Math.round(rssBefore / 2 ** 20), peak: Math.round(rssPeak / 2 ** 20), after: Math.round(rssAfter / 2 ** 20) } }));
