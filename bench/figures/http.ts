// Figure 2: HTTP batch ingest (batches of 500, durable before 2xx): a real `tierwise serve` child
// process driven by autocannon from bench/http-ingest.mjs (the load generator is not the server),
// beside the reference in the same run: bench/http-reference-server.mjs under the same load, the least
// a node:http server can do and keep the contract (parse, check, append, fdatasync, ack).
import { spawnSync } from 'node:child_process';
import { repeat, ROOT, type BenchContext, type Figure } from '../lib.ts';

interface IngestRun { eventsPerSecond: number; eventsAcked: number; eventsStored: number; ackLatencyMs: { p50: number; p99: number } }

function runIngest(seconds: number, reference = false): IngestRun {
  const args = ['--seconds', String(seconds), '--batch', '500', '--engine', '1', ...(reference ? ['--reference', '1', '--max-requests', '200000'] : [])];
  const r = spawnSync(process.execPath, [`${ROOT}bench/http-ingest.mjs`, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const json = r.stdout.slice(r.stdout.lastIndexOf('\n{') + 1);
  if (r.status !== 0) throw new Error(`http-ingest failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  return JSON.parse(json) as IngestRun;
}

/** The figures, and the peak ingest rate (the median) for the event-to-signal figure's half load. */
export async function httpFigures(ctx: BenchContext): Promise<{ figures: Figure[]; peakEventsPerSecond: number }> {
  const runs: IngestRun[] = [];
  const rate = await repeat(ctx.runs, () => {
    const run = runIngest(ctx.quick ? 3 : 10);
    if (run.eventsStored < run.eventsAcked) throw new Error(`acknowledged ${run.eventsAcked} events but stored ${run.eventsStored}`);
    runs.push(run);
    return run.eventsPerSecond;
  });
  const reference = await repeat(ctx.runs, () => {
    const run = runIngest(ctx.quick ? 3 : 10, true);
    if (run.eventsStored < run.eventsAcked) throw new Error(`the reference acknowledged ${run.eventsAcked} events but stored ${run.eventsStored}`);
    return run.eventsPerSecond;
  });
  const p50 = runs.map((r) => r.ackLatencyMs.p50);
  const p99 = runs.map((r) => r.ackLatencyMs.p99);
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
  const figures: Figure[] = [
    { name: 'HTTP batch ingest (500/request, engine on)', unit: 'events/s', ours: rate.median, min: rate.min, max: rate.max, runs: rate.runs,
      reference: { name: 'node:http: parse, check, append, fdatasync, ack', value: reference.median },
      target: { op: '>=', value: 200_000 }, note: 'every acknowledged event verified stored' },
    { name: 'HTTP ingest ack latency p50', unit: 'ms', ours: med(p50), min: Math.min(...p50), max: Math.max(...p50), runs: runs.length },
    { name: 'HTTP ingest ack latency p99', unit: 'ms', ours: med(p99), min: Math.min(...p99), max: Math.max(...p99), runs: runs.length },
  ];
  return { figures, peakEventsPerSecond: rate.median };
}
