// `tierwise run`: one pass of the playbook scheduler at `now`. Durable and idempotent: every
// decision is written through the store before the next one is made, ids are deterministic, and
// an outbox message is keyed by its step, so a pass re-run after a crash redoes nothing that
// committed and finishes what did not. Delivery is separate (delivery.ts): a dead receiver never
// blocks a pass.
import type { Opportunity } from '../core/playbooks/opportunity.ts';
import { mayTrigger } from '../core/playbooks/prefilter.ts';
import { reconcile } from '../core/playbooks/reconcile.ts';
import type { Engine } from './engine.ts';
import { rankOf, type PlaybookDeps } from './playbook-deps.ts';
import { StepBatch } from './step-batch.ts';
import { runStep } from './step-runner.ts';
import { expireTrials } from './trials.ts';
import { armsOf, listExperiments } from './experiments.ts';
import { queueLimitNotices } from './limit-notices.ts';

export interface RunReport {
  now: number;
  accounts: number;
  opened: number;
  won: number;
  lost: number;
  playsStarted: number;
  steps: { done: number; skipped: number; waiting: number };
  trialsEnded: number;
  /** limit notices queued (70 / 80 / 90 %: limit-notices.ts) */
  notices: number;
  /** wall time of the two phases: outcomes and triggers per account, then the due steps */
  ms: { outcomes: number; steps: number };
}

const WEEK = 7 * 86_400_000;
/** due steps listed and committed together */
export const STEP_CHUNK = 500;

/**
 * Outcomes and triggers for the accounts that have an open opportunity or whose last score could
 * fire a playbook (time-based signals move with the engine's tick), then every step due by `now`.
 */
export async function runPlaybooks(deps: PlaybookDeps, engine: Engine, now: number, opts: { stepLimit?: number } = {}): Promise<RunReport> {
  const { store } = deps;
  const report: RunReport = { now, accounts: 0, opened: 0, won: 0, lost: 0, playsStarted: 0, steps: { done: 0, skipped: 0, waiting: 0 }, trialsEnded: 0, notices: 0, ms: { outcomes: 0, steps: 0 } };
  const started = performance.now();
  report.trialsEnded = await expireTrials(deps, engine, now);

  const byAccount = new Map<string, Opportunity[]>();
  const load = new Map<string, number>();
  for (const o of await store.listOpportunities()) {
    const list = byAccount.get(o.account);
    if (list) list.push(o); else byAccount.set(o.account, [o]);
    if (o.status === 'open' && o.owner) load.set(o.owner, (load.get(o.owner) ?? 0) + 1);
  }
  const ranks = rankOf(deps.catalog);
  const experiments = await listExperiments(store);
  const accounts = new Map((await store.listAccounts()).map((a) => [a.id, a.traits]));
  engine.rescore(now); // the accounts whose events arrived since the last rescore
  for (const [id, state] of engine.states) {
    const opps = byAccount.get(id) ?? [];
    const open = opps.some((o) => o.status === 'open');
    const sc = engine.row(id);
    if (!open && (state.status === 'canceled' || (sc && !mayTrigger(deps.playbooks.playbooks, sc)))) continue;
    const ev = engine.explain(id, now);
    if (!ev) continue;
    report.notices += await queueLimitNotices(deps, ev, state, accounts.get(id) ?? {}, now);
    if (!ev.offer && !open) continue;
    report.accounts++;
    const traits = accounts.get(id) ?? {};
    const r = reconcile({
      view: {
        evaluation: ev, status: state.status, rankOf: ranks, planChangeTs: state.planChangeTs,
        holdings: state, extrasChangeTs: state.extrasChangeTs,
        ...(typeof traits.csm === 'string' ? { preferredCsm: traits.csm } : {}), ...(typeof traits.ae === 'string' ? { preferredAe: traits.ae } : {}),
      },
      opportunities: opps, playbooks: deps.playbooks.playbooks, team: deps.playbooks.team, load, now,
      ...withArms(armsOf(id, experiments, deps.playbooks.holdout)),
    });
    if (r.changed.length === 0 && r.steps.length === 0) continue;
    for (const o of r.changed) {
      const before = opps.find((x) => x.id === o.id);
      if (!before) report.opened++;
      if (before?.status === 'open' && o.status === 'won') report.won++;
      if (before?.status === 'open' && o.status === 'lost') report.lost++;
    }
    report.playsStarted += new Set(r.steps.map((s) => s.id.slice(0, s.id.lastIndexOf('/')))).size;
    await store.commitPlaybook({ cancelSteps: r.cancel.map((c) => ({ ...c, at: now })), opportunities: r.changed, steps: r.steps });
  }

  const stepsStarted = performance.now();
  report.ms.outcomes = Math.round(stepsStarted - started);
  // due steps, oldest first, committed a chunk at a time (step-batch.ts)
  const limit = opts.stepLimit ?? Number.POSITIVE_INFINITY;
  let ran = 0;
  const evs = new Map<string, ReturnType<Engine['explain']>>();
  const traits = new Map<string, Record<string, unknown>>();
  const batch = new StepBatch(store);
  // A step that waits moves its notBefore past `now`, so it is not listed again; `seen` guards the loop anyway.
  const seen = new Set<string>();
  for (;;) {
    const fresh = (await store.listSteps({ dueBy: now, limit: STEP_CHUNK })).filter((s) => !seen.has(s.id));
    if (fresh.length === 0) break;
    for (const step of fresh) {
      if (ran >= limit) break;
      seen.add(step.id);
      if (!evs.has(step.account)) evs.set(step.account, engine.explain(step.account, now));
      if (!traits.has(step.account)) traits.set(step.account, (await store.getAccount(step.account))?.traits ?? {});
      const res = runStep(step, {
        deps, now, ev: evs.get(step.account), state: engine.states.get(step.account),
        opp: await batch.opportunity(step.opportunity),
        touches: await batch.touchesOf(step.account, now - WEEK),
        traits: traits.get(step.account) ?? {},
        siblings: await batch.siblings(step.opportunity),
        experiments,
      });
      batch.add(res.write);
      ran++;
      report.steps[res.outcome]++;
    }
    await batch.flush();
    if (ran >= limit) break;
  }
  return finished(report, stepsStarted);
}

const withArms = <T>(arms: T | undefined): { arms?: T } => (arms ? { arms } : {});

function finished(report: RunReport, stepsStarted: number): RunReport {
  report.ms.steps = Math.round((performance.now() - stepsStarted) * 10) / 10;
  return report;
}
