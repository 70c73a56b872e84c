// Figure 6: simulator events/s, writing a world to disk through the real CLI.
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { repeat, tierwiseCli, type BenchContext, type Figure } from '../lib.ts';

export interface WorldFiles { dir: string; events: string; truth: string; count: number }

export function simulateWorld(ctx: BenchContext, name: string, accounts: number, days: number): { world: WorldFiles; eventsPerSecond: number } {
  const dir = join(ctx.tmp, name);
  rmSync(dir, { recursive: true, force: true });
  const s = JSON.parse(tierwiseCli(['simulate', '--accounts', String(accounts), '--days', String(days), '--seed', '7', '--out', dir, '--json']));
  return { world: { dir, events: join(dir, 'events.ndjson'), truth: join(dir, 'truth.ndjson'), count: s.events }, eventsPerSecond: s.eventsPerSecond };
}

export async function simulateFigures(ctx: BenchContext): Promise<{ figures: Figure[]; world: WorldFiles }> {
  const accounts = ctx.quick ? 2_000 : 10_000;
  let world: WorldFiles | undefined;
  const r = await repeat(ctx.runs, () => {
    const out = simulateWorld(ctx, 'world', accounts, 90);
    world = out.world;
    return out.eventsPerSecond;
  });
  ctx.log(`simulate: ${accounts.toLocaleString('en-US')} accounts x 90 days = ${world?.count.toLocaleString('en-US')} events`);
  return {
    world: world as WorldFiles,
    figures: [{ name: `simulator (${accounts / 1000}K accounts x 90 days)`, unit: 'events/s', ours: r.median, min: r.min, max: r.max, runs: r.runs,
      note: 'T2 target: 10M events in <= 60 s' , target: { op: '>=', value: 10_000_000 / 60 } }],
  };
}
