// Trials (seed 000: "Start 14-Day Trial"): an entitlement overlay on the account for N days. Starting
// one moves the opportunity to Proposal and starts the trial-conversion playbook; it ends by itself,
// as converted when the account moved up to the trial's tier (or bought the module on trial), as
// expired otherwise. A trial may lend one add-on module instead of a tier (T16). Starting and ending
// one queue an `entitlements_changed` webhook (when a webhook is configured) naming the features
// unlocked or locked, so the product can act on it; the entitlements API stops granting the feature
// the moment the trial ends, before the scheduler has recorded it.
import { advance, attachTrigger, noteStep, startPlay, type Opportunity } from '../core/playbooks/opportunity.ts';
import { planSteps, type Step } from '../core/playbooks/steps.ts';
import { audienceMatch } from '../core/playbooks/trigger.ts';
import { findAddon } from '../core/catalog/holdings.ts';
import { AppError } from './errors.ts';
import type { Engine } from './engine.ts';
import { idempotencyKey, rankOf, type PlaybookDeps } from './playbook-deps.ts';
import type { OutboxMessage, TrialRecord } from './ports.ts';

const DAY = 86_400_000;

export interface StartTrialInput { account: string; plan?: string; addon?: string; days?: number; user?: string; now: number }

/** Starts a trial of `plan` (default: the offer's target), or of the add-on module `addon`, on the account's open opportunity for it. */
export async function startTrial(deps: PlaybookDeps, engine: Engine, i: StartTrialInput): Promise<{ trial: TrialRecord; opportunity: Opportunity | undefined }> {
  const ev = engine.explain(i.account, i.now);
  if (!ev) throw new AppError('not_found', `no account "${i.account}"`);
  if (i.addon !== undefined && i.plan !== undefined) throw new AppError('invalid_request', 'a trial is of a tier (plan) or of a module (addon), not both');
  if (i.addon !== undefined) checkAddonTrial(deps, i.addon, ev.plan, engine.states.get(i.account)?.addons ?? []);
  const plan = i.addon !== undefined ? ev.plan : i.plan ?? (ev.offer && ev.offer.plan.id !== ev.plan ? ev.offer.plan.id : undefined);
  const ranks = rankOf(deps.catalog);
  if (!plan || ranks(plan) === undefined) throw new AppError('not_found', plan ? `no plan "${plan}" in the catalog` : `no higher tier to try for "${i.account}"`);
  const active = await deps.store.listTrials({ account: i.account, status: 'active' });
  const same = active.find((t) => t.plan === plan && t.addon === i.addon);
  if (same) return { trial: same, opportunity: same.opportunity ? await deps.store.getOpportunity(same.opportunity) : undefined };
  const days = i.days ?? (deps.playbooks.playbooks.find((p) => p.trigger.on === 'trial')?.trialDays || deps.settings.offers.trialDays);
  const trial: TrialRecord = {
    id: `trial:${i.account}:${i.addon ?? plan}:${i.now}`, account: i.account, plan, fromPlan: ev.plan, startedAt: i.now, endsAt: i.now + days * DAY, status: 'active',
    ...(i.addon !== undefined ? { addon: i.addon } : {}), ...(i.user ? { user: i.user } : {}),
  };
  const target = i.addon !== undefined ? `addon:${i.addon}` : plan;
  let opp = (await deps.store.listOpportunities({ account: i.account, status: 'open' })).find((o) => o.target === target || (i.addon !== undefined && o.target.split('+').includes(target)));
  const steps: Step[] = [];
  if (opp) {
    trial.opportunity = opp.id;
    opp = advance(attachTrigger(opp, 'trial', `${days}-day trial of ${i.addon ?? plan} started${i.user ? ` by ${i.user}` : ''}`, i.now), 'proposal', i.now, 'trial started');
    const o = opp;
    for (const pb of deps.playbooks.playbooks.filter((p) => p.trigger.on === 'trial' && audienceMatch(p, ev.plan, o.segment, o.route).ok)) {
      opp = startPlay(opp, pb.id, i.now);
      steps.push(...planSteps(opp, pb, i.now));
    }
  }
  await deps.store.commitPlaybook({ trials: [trial], ...(opp ? { opportunities: [opp] } : {}), steps, ...changeEvent(deps, trial, 'trial_started', i.now) });
  return { trial, opportunity: opp };
}

function checkAddonTrial(deps: PlaybookDeps, addon: string, plan: string, held: readonly string[]): void {
  const a = findAddon(deps.catalog, addon);
  if (!a) throw new AppError('not_found', `no add-on "${addon}" in the catalog`);
  if (a.kind !== 'module') throw new AppError('invalid_request', `"${a.name}" is a support level: only modules can be tried`);
  if (held.includes(addon) || a.includedIn.includes(plan)) throw new AppError('invalid_request', `the account already has ${a.name}`);
  if (!a.availableOn.includes(plan)) throw new AppError('invalid_request', `${a.name} is not sold on the account's plan "${plan}"`);
}

/** The features a trial lends beyond what the account had when it started (what unlocks, then locks). */
export function trialFeatures(deps: PlaybookDeps, t: TrialRecord): string[] {
  const from = deps.catalog.plans.find((p) => p.id === t.fromPlan)?.features ?? [];
  const lent = t.addon ? findAddon(deps.catalog, t.addon)?.features ?? [] : deps.catalog.plans.find((p) => p.id === t.plan)?.features ?? [];
  return lent.filter((f) => !from.includes(f));
}

/** The webhook the product acts on when a trial unlocks or locks features (nothing when no webhook is configured). */
function changeEvent(deps: PlaybookDeps, t: TrialRecord, reason: 'trial_started' | 'trial_ended', at: number): { enqueue?: OutboxMessage[] } {
  if (!deps.webhook?.inApp) return {};
  const features = trialFeatures(deps, t);
  const key = idempotencyKey('entitlements', `${t.id}:${reason}`);
  const payload = {
    type: 'entitlements_changed', idempotency_key: key, account: t.account, reason, trial: t.id,
    ...(t.addon ? { addon: t.addon } : { plan: t.plan }),
    unlocked: reason === 'trial_started' ? features : [], locked: reason === 'trial_ended' && t.status !== 'converted' ? features : [],
    at: new Date(at).toISOString(),
  };
  return { enqueue: [{ key, channel: 'webhook', account: t.account, payload: JSON.stringify(payload), status: 'pending', attempts: 0, nextAt: at, createdAt: at }] };
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
    const s = engine.states.get(t.account);
    const plan = s?.plan ?? t.fromPlan;
    const converted = t.addon ? (s?.addons ?? []).includes(t.addon) : (ranks(plan) ?? 0) >= (ranks(t.plan) ?? Infinity);
    const at = Math.min(now, t.endsAt);
    const closed: TrialRecord = { ...t, status: converted ? 'converted' : otherwise, endedAt: at };
    const opp = t.opportunity ? await deps.store.getOpportunity(t.opportunity) : undefined;
    await deps.store.commitPlaybook({ trials: [closed], ...(opp ? { opportunities: [noteStep(opp, at, `trial of ${t.addon ?? t.plan} ${closed.status}`)] } : {}), ...changeEvent(deps, closed, 'trial_ended', at) });
    out.push(closed);
  }
  return out;
}
