// `tierwise run`: one pass of the playbook scheduler at `now`. Durable and idempotent: every
// decision is written through the store before the next one is made, ids are deterministic, and
// an outbox message is keyed by its step, so a pass re-run after a crash redoes nothing that
// committed and finishes what did not. Delivery is separate (delivery.ts): a dead receiver never
// blocks a pass.
import type { Opportunity } from '../core/playbooks/opportunity.ts';
import { reconcile } from '../core/playbooks/reconcile.ts';
import type { Engine } from './engine.ts';
import { rankOf, type PlaybookDeps } from './playbook-deps.ts';
import { runStep } from './step-runner.ts';
import { expireTrials } from './trials.ts';

export interface RunReport {
  now: number;
  accounts: number;
  opened: number;
  won: number;
  lost: number;
  playsStarted: number;
  steps: { done: number; skipped: number; waiting: number };
  trialsEnded: number;
}

const WEEK = 7 * 86_400_000;

/** Outcomes and triggers for every account the engine knows, then every step due by `now`. */
export async function runPlaybooks(deps: PlaybookDeps, engine: Engine, now: number, opts: { stepLimit?: number } = {}): Promise<RunReport> {
  const { store } = deps;
  const report: RunReport = { now, accounts: 0, opened: 0, won: 0, lost: 0, playsStarted: 0, steps: { done: 0, skipped: 0, waiting: 0 }, trialsEnded: 0 };
  report.trialsEnded = await expireTrials(deps, engine, now);

  const byAccount = new Map<string, Opportunity[]>();
  const load = new Map<string, number>();
  for (const o of await store.listOpportunities()) {
    const list = byAccount.get(o.account);
    if (list) list.push(o); else byAccount.set(o.account, [o]);
    if (o.status === 'open' && o.owner) load.set(o.owner, (load.get(o.owner) ?? 0) + 1);
  }
  const ranks = rankOf(deps.catalog);
  const accounts = new Map((await store.listAccounts()).map((a) => [a.id, a.traits]));
  for (const [id, state] of engine.states) {
    const ev = engine.explain(id, now);
    if (!ev) continue;
    const opps = byAccount.get(id) ?? [];
    if (!ev.offer && !opps.some((o) => o.status === 'open')) continue;
    report.accounts++;
    const traits = accounts.get(id) ?? {};
    const r = reconcile({
      view: {
        evaluation: ev, status: state.status, rankOf: ranks, planChangeTs: state.planChangeTs,
        ...(typeof traits.csm === 'string' ? { preferredCsm: traits.csm } : {}), ...(typeof traits.ae === 'string' ? { preferredAe: traits.ae } : {}),
      },
      opportunities: opps, playbooks: deps.playbooks.playbooks, team: deps.playbooks.team, load, now,
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

  // due steps, oldest first; each is one commit
  const limit = opts.stepLimit ?? Number.POSITIVE_INFINITY;
  let ran = 0;
  const evs = new Map<string, ReturnType<Engine['explain']>>();
  for (;;) {
    const due = await store.listSteps({ dueBy: now, limit: 500 });
    const fresh = due.filter((s) => s.notBefore <= now);
    if (fresh.length === 0) break;
    let progressed = false;
    for (const step of fresh) {
      if (ran >= limit) return report;
      if (!evs.has(step.account)) evs.set(step.account, engine.explain(step.account, now));
      const opp = await store.getOpportunity(step.opportunity);
      const res = runStep(step, {
        deps, now, ev: evs.get(step.account), state: engine.states.get(step.account), opp,
        touches: await store.listTouches(step.account, now - WEEK),
        traits: (await store.getAccount(step.account))?.traits ?? {},
        siblings: await store.listSteps({ opportunity: step.opportunity }),
      });
      await store.commitPlaybook(res.write);
      ran++;
      report.steps[res.outcome]++;
      if (res.outcome !== 'waiting') progressed = true;
    }
    // waiting steps moved past `now`; only loop again while something finished
    if (!progressed) break;
  }
  return report;
}
