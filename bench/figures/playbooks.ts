// Figure: playbook steps the scheduler sustains per second. A backlog of N accounts climbing to
// their Basic limits, each opening a usage-limit opportunity (seed 000's sample): the first pass
// at the play's start runs the day-1 in-app steps, the pass six days later finds the day-3 email and
// the day-7 CSM task due for every account, and each is judged, rendered and committed with its
// outbox message and touch, and committed 500 steps to a transaction (scheduler.ts). Reference: the
// same rows (steps, outbox messages, touches, tasks, opportunities) written again through the store
// in the same batches: the store's floor, so the ratio is what judging and rendering cost on top.
import { join } from 'node:path';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { openEngine } from '../../src/app/engine.ts';
import type { PlaybookWrite, Store } from '../../src/app/ports.ts';
import type { PlaybookDeps } from '../../src/app/playbook-deps.ts';
import { runPlaybooks, STEP_CHUNK } from '../../src/app/scheduler.ts';
import { toCatalog } from '../../src/config/catalog-from-config.ts';
import { toEngineSettings } from '../../src/config/engine-schema.ts';
import { EXAMPLE_CONFIG, loadConfig } from '../../src/config/load.ts';
import { toPlaybookSettings } from '../../src/config/playbooks-schema.ts';
import type { TierwiseEvent } from '../../src/core/events/types.ts';
import { median, repeat, type BenchContext, type Figure } from '../lib.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1, 8);
const START = T0 + 20 * DAY;

/** n accounts on Basic, each near its projects and API-call limits by day 20. */
export function backlogEvents(n: number): TierwiseEvent[] {
  const ev: TierwiseEvent[] = [];
  for (let a = 0; a < n; a++) {
    const id = `acct-${a}`;
    ev.push({ id: `${id}-acct`, ts: T0, account: id, type: 'account', traits: { name: `Account ${a}`, email: `ops@${id}.test`, employees: 40, segment: 'mid_market' } });
    ev.push({ id: `${id}-sub`, ts: T0, account: id, type: 'subscription', plan: 'basic', interval: 'month', mrr: 29900, status: 'active' });
  }
  for (let d = 0; d <= 20; d++) {
    for (let a = 0; a < n; a++) {
      const id = `acct-${a}`;
      const ts = T0 + d * DAY + 3_600_000;
      ev.push({ id: `${id}-u${d}`, ts, account: id, user: 'u1', type: 'usage', meter: 'api_calls', quantity: 300 + d * 15 });
      ev.push({ id: `${id}-p${d}`, ts, account: id, type: 'usage', meter: 'projects', quantity: 9 });
    }
  }
  return ev;
}

interface PassFigures { steps: number; stepsPerSecond: number; outcomesMs: number; floorPerSecond: number }

async function onePass(ctx: BenchContext, n: number, run: number): Promise<PassFigures> {
  const cfg = loadConfig(EXAMPLE_CONFIG);
  const store = openSqliteStore(join(ctx.tmp, `playbooks-${run}.db`));
  try {
    await store.appendEvents(backlogEvents(n));
    const catalog = toCatalog(cfg);
    const settings = toEngineSettings(cfg);
    const engine = await openEngine({ store, catalog, settings });
    engine.tick(START);
    const deps: PlaybookDeps = { store, catalog, settings, playbooks: toPlaybookSettings(cfg), webhook: { inApp: false, tasks: true } };
    await runPlaybooks(deps, engine, START); // opens the opportunities, runs day 1
    engine.tick(START + 6 * DAY);
    const r = await runPlaybooks(deps, engine, START + 6 * DAY);
    const steps = r.steps.done + r.steps.skipped + r.steps.waiting;
    const floor = await rewriteSeconds(ctx, run, store, n, START + 6 * DAY);
    return { steps, stepsPerSecond: steps / (r.ms.steps / 1000), outcomesMs: r.ms.outcomes, floorPerSecond: steps / floor };
  } finally {
    await store.close();
  }
}

/** Writes the rows the second pass produced into a fresh store, STEP_CHUNK steps to a commit; seconds. */
async function rewriteSeconds(ctx: BenchContext, run: number, from: Store, n: number, at: number): Promise<number> {
  const steps = (await from.listSteps({})).filter((s) => s.at === at);
  const outbox = new Map((await from.listOutbox({})).map((m) => [m.step, m]));
  const tasks = new Map((await from.listTasks({})).map((t) => [t.id, t]));
  const opps = new Map((await from.listOpportunities({})).map((o) => [o.id, o]));
  const touches = new Map<string, Awaited<ReturnType<Store['listTouches']>>>();
  for (let a = 0; a < n; a++) touches.set(`acct-${a}`, await from.listTouches(`acct-${a}`, at));
  const writes: PlaybookWrite[] = [];
  for (let i = 0; i < steps.length; i += STEP_CHUNK) {
    const chunk = steps.slice(i, i + STEP_CHUNK);
    const msgs = chunk.flatMap((s) => outbox.get(s.id) ?? []);
    writes.push({
      steps: chunk, enqueue: msgs, opportunities: [...new Set(chunk.map((s) => s.opportunity))].flatMap((id) => opps.get(id) ?? []),
      tasks: msgs.flatMap((m) => tasks.get(m.key) ?? []), touches: [...new Set(chunk.map((s) => s.account))].flatMap((a) => touches.get(a) ?? []),
    });
  }
  const to = openSqliteStore(join(ctx.tmp, `playbooks-floor-${run}.db`));
  try {
    const t = performance.now();
    for (const w of writes) await to.commitPlaybook(w);
    return (performance.now() - t) / 1000;
  } finally {
    await to.close();
  }
}

export async function playbookFigures(ctx: BenchContext): Promise<Figure[]> {
  const n = ctx.quick ? 1_000 : 10_000;
  let steps = 0;
  let outcomes: number[] = [];
  const floors: number[] = [];
  const r = await repeat(ctx.runs, async (i) => {
    const p = await onePass(ctx, n, i);
    steps = p.steps;
    outcomes.push(p.outcomesMs);
    floors.push(p.floorPerSecond);
    return p.stepsPerSecond;
  });
  outcomes = outcomes.sort((a, b) => a - b);
  ctx.log(`playbooks: ${steps.toLocaleString('en-US')} due steps of ${n.toLocaleString('en-US')} accounts; outcomes/triggers phase ${Math.round(outcomes[outcomes.length >> 1] ?? 0)} ms`);
  return [{
    name: `scheduler: due playbook steps (${n.toLocaleString('en-US')} accounts)`, unit: 'steps/s', ours: r.median, min: r.min, max: r.max, runs: r.runs,
    reference: { name: 'the same rows written again (store floor)', value: median(floors) },
    note: `${steps} steps per pass; each judged, rendered and committed with its outbox message and touch`,
  }];
}
