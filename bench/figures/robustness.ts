// Robustness figures (issue #19), run only when named with --only:
// chaos   kill -9 trials of `tierwise serve` during HTTP ingest and fold, and of `tierwise import`,
//         each compared with a clean run (test/support/chaos.ts; the suite runs one small trial)
// hostile the worst /healthz latency while eight hostile requests run, and the server's RSS
// soak    10 minutes (--soak-seconds) of mixed ingest, reads and playbook passes; RSS at start and end
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runChaos } from '../../test/support/chaos.ts';
import { ROOT, type BenchContext, type Figure } from '../lib.ts';

const one = (name: string, unit: string, v: number, note?: string): Figure => ({ name, unit, ours: v, min: v, max: v, runs: 1, ...(note ? { note } : {}) });

function script(file: string, args: string[]): Record<string, unknown> {
  const r = spawnSync(process.execPath, [`${ROOT}bench/${file}`, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${file} failed (${r.status}): ${r.stderr.slice(-1000)}`);
  return JSON.parse(r.stdout.slice(r.stdout.indexOf('{'), r.stdout.lastIndexOf('}') + 1)) as Record<string, unknown>;
}

export async function chaosFigures(ctx: BenchContext): Promise<Figure[]> {
  const trials = ctx.quick ? 2 : 10;
  const r = await runChaos({ dir: join(ctx.tmp, 'chaos'), trials, batches: ctx.quick ? 40 : 200, batchSize: 500, importLines: ctx.quick ? 50_000 : 300_000, log: ctx.log });
  ctx.log(`chaos: ${JSON.stringify(r)}`);
  if (r.differences.length) ctx.log(`chaos: DIFFERENCES ${r.differences.join('; ')}`);
  const note = `${r.trials} trials, ${r.kills} kill -9, ${r.ackedEvents.toLocaleString('en-US')} events acknowledged, ${r.resentBatches} batches re-sent; ${r.differences.length} differences from the clean run`;
  return [one('kill -9 trials: acknowledged events lost', 'events', r.lost, note), one('kill -9 trials: events stored twice', 'events', r.duplicated)];
}

export async function hostileFigures(ctx: BenchContext): Promise<Figure[]> {
  const r = script('hostile.mjs', ['--seconds', ctx.quick ? '10' : '30']) as { healthz: { maxMs: number; p99Ms: number; idleMaxMs: number }; rssMiB: { before: number; peak: number; after: number }; hostileRequests: number };
  ctx.log(`hostile: ${JSON.stringify(r)}`);
  return [
    one('/healthz worst latency beside 8 hostile requests', 'ms', r.healthz.maxMs, `p99 ${r.healthz.p99Ms} ms; idle worst ${r.healthz.idleMaxMs} ms; ${r.hostileRequests} hostile requests`),
    one('server RSS peak under hostile requests', 'MiB', r.rssMiB.peak, `before ${r.rssMiB.before}, after ${r.rssMiB.after}`),
  ];
}

export async function soakFigures(ctx: BenchContext, seconds?: number): Promise<Figure[]> {
  const s = seconds ?? (ctx.quick ? 120 : 600);
  const r = script('soak.mjs', ['--seconds', String(s)]) as { rssMiB: { start: number; end: number; max: number }; ingest: number; reads: number; errors: number; playbookPasses: number };
  ctx.log(`soak: ${JSON.stringify({ ...r, samples: undefined })}`);
  ctx.log(`soak RSS samples (s: MiB): ${(r as unknown as { samples: { t: number; rssMiB: number }[] }).samples.map((x) => `${x.t}: ${x.rssMiB}`).join(', ')}`);
  const note = `${s} s: ${r.ingest} ingest requests, ${r.reads} reads, ${r.playbookPasses} playbook passes, ${r.errors} errors; max ${r.rssMiB.max} MiB`;
  return [one('soak RSS at start (after 1 min)', 'MiB', r.rssMiB.start, note), one('soak RSS at end', 'MiB', r.rssMiB.end)];
}
