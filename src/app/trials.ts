// Trials (seed 000: "Start 14-Day Trial"): an entitlement overlay on the account for N days. Starting
// one moves the opportunity to Proposal and starts the trial-conversion playbook; it ends by itself,
// as converted when the account moved up to the trial's tier, as expired otherwise.
import { advance, attachTrigger, noteStep, startPlay, type Opportunity } from '../core/playbooks/opportunity.ts';
import { planSteps, type Step } from '../core/playbooks/steps.ts';
import { audienceMatch } from '../core/playbooks/trigger.ts';
import { AppError } from './errors.ts';
import type { Engine } from './engine.ts';
import { rankOf, type PlaybookDeps } from './playbook-deps.ts';
import type { TrialRecord } from './ports.ts';

const DAY = 86_400_000;

export interface StartTrialInput { account: string; plan?: string; days?: number; user?: string; now: number }

/** Starts a trial of `plan` (default: the offer's target) on the account's open opportunity for it. */
export async function startTrial(deps: PlaybookDeps, engine: Engine, i: StartTrialInput): Promise<{ trial: TrialRecord; opportunity: Opportunity | undefined }> {
  const ev = engine.explain(i.account, i.now);
  if (!ev) throw new AppError('not_found', `no account "${i.account}"`);
  const plan = i.plan ?? (ev.offer && ev.offer.plan.id !== ev.plan ? ev.offer.plan.id : undefined);
  const ranks = rankOf(deps.catalog);
  if (!plan || ranks(plan) === undefined) throw new AppError('not_found', plan ? `no plan "${plan}" in the catalog` : `no higher tier to try for "${i.account}"`);
  const active = await deps.store.listTrials({ account: i.account, status: 'active' });
  const same = active.find((t) => t.plan === plan);
  if (same) return { trial: same, opportunity: same.opportunity ? await deps.store.getOpportunity(same.opportunity) : undefined };
  const days = i.days ?? (deps.playbooks.playbooks.find((p) => p.trigger.on === 'trial')?.trialDays || deps.settings.offers.trialDays);
  const trial: TrialRecord = {
    id: `trial:${i.account}:${plan}:${i.now}`, account: i.account, plan, fromPlan: ev.plan, startedAt: i.now, endsAt: i.now + days * DAY, status: 'active',
    ...(i.user ? { user: i.user } : {}),
  };
  let opp = (await deps.store.listOpportunities({ account: i.account, status: 'open' })).find((o) => o.target === plan);
  const steps: Step[] = [];
  if (opp) {
    trial.opportunity = opp.id;
    opp = advance(attachTrigger(opp, 'trial', `${days}-day trial of ${plan} started${i.user ? ` by ${i.user}` : ''}`, i.now), 'proposal', i.now, 'trial started');
    const o = opp;
    for (const pb of deps.playbooks.playbooks.filter((p) => p.trigger.on === 'trial' && audienceMatch(p, ev.plan, o.segment, o.route).ok)) {
      opp = startPlay(opp, pb.id, i.now);
      steps.push(...planSteps(opp, pb, i.now));
    }
  }
  await deps.store.commitPlaybook({ trials: [trial], ...(opp ? { opportunities: [opp] } : {}), steps });
  return { trial, opportunity: opp };
}

/** Ends a trial now (by hand), as converted if the account is on the tier, else ended. */
export async function endTrial(deps: PlaybookDeps, engine: Engine, account: string, now: number): Promise<TrialRecord[]> {
  const active = await deps.store.listTrials({ account, status: 'active' });
  return closeTrials(deps, engine, active, now, 'ended');
}

/** Ends every active trial whose time is up. */
export async function expireTrials(deps: PlaybookDeps, engine: Engine, now: number): Promise<number> {
  const due = (await deps.store.listTrials({ status: 'active' })).filter((t) => t.endsAt <= now);
  return (await closeTrials(deps, engine, due, now, 'expired')).length;
}

async function closeTrials(deps: PlaybookDeps, engine: Engine, trials: TrialRecord[], now: number, otherwise: 'expired' | 'ended'): Promise<TrialRecord[]> {
  const ranks = rankOf(deps.catalog);
  const out: TrialRecord[] = [];
  for (const t of trials) {
    const plan = engine.states.get(t.account)?.plan ?? t.fromPlan;
    const converted = (ranks(plan) ?? 0) >= (ranks(t.plan) ?? Infinity);
    const at = Math.min(now, t.endsAt);
    const closed: TrialRecord = { ...t, status: converted ? 'converted' : otherwise, endedAt: at };
    const opp = t.opportunity ? await deps.store.getOpportunity(t.opportunity) : undefined;
    await deps.store.commitPlaybook({ trials: [closed], ...(opp ? { opportunities: [noteStep(opp, at, `trial of ${t.plan} ${closed.status}`)] } : {}) });
    out.push(closed);
  }
  return out;
}
