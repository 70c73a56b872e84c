// The run-time call the product makes (e.g. when a user opens a gated feature): show an upgrade
// prompt now or not. A shown prompt is recorded as a touch before the answer leaves, so two
// concurrent calls in one session cannot both show one; its id comes back with the outcome.
import type { PromptEvent } from '../core/events/types.ts';
import { decide, type DecideContext, type Decision } from '../core/playbooks/decide.ts';
import { advance } from '../core/playbooks/opportunity.ts';
import type { Touch } from '../core/playbooks/touches.ts';
import { AppError } from './errors.ts';
import type { Engine } from './engine.ts';
import { idempotencyKey, planName, type PlaybookDeps } from './playbook-deps.ts';
import { armsOf, listExperiments } from './experiments.ts';

const DAY = 86_400_000;

export interface DecideRequest { account: string; user: string; context?: DecideContext }
/** `id` names the prompt in later outcome reports (shown / clicked / dismissed / converted). */
export type DecideResponse = Decision & { id: string | null; account: string; user: string };

export async function decideFor(deps: PlaybookDeps, engine: Engine, req: DecideRequest, now: number): Promise<DecideResponse> {
  const ctx = req.context ?? {};
  const ev = engine.explain(req.account, now);
  if (!ev) return { show: false, code: 'unknown_account', reason: `no account "${req.account}"`, id: null, account: req.account, user: req.user };
  const e = deps.playbooks.etiquette;
  const touches = await deps.store.listTouches(req.account, now - Math.max(e.dismissCooldownDays, 7) * DAY);
  const trials = await deps.store.listTrials({ account: req.account, status: 'active' });
  const traits = (await deps.store.getAccount(req.account))?.traits ?? {};
  // a held-out account sees no prompt of the playbooks it is held out of; the others show its arm's copy
  const arms = armsOf(req.account, await listExperiments(deps.store), deps.playbooks.holdout);
  const playbooks = arms ? deps.playbooks.playbooks.map(arms).filter((a) => !a.held).map((a) => a.playbook) : deps.playbooks.playbooks;
  const d = decide({
    evaluation: ev, playbooks, disqualifiers: deps.settings.scoring.disqualifiers, etiquette: e, touches,
    user: req.user, context: ctx, now, onTrial: trials.some((t) => t.plan === ev.offer?.plan.id && t.endsAt > now),
    extra: {
      accountName: typeof traits.name === 'string' ? traits.name : req.account, planName: planName(deps, ev.plan),
      ...(ctx.feature !== undefined ? { feature: deps.catalog.features.find((f) => f.id === ctx.feature)?.name ?? ctx.feature } : {}),
    },
  });
  if (!d.show) return { ...d, id: null, account: req.account, user: req.user };
  const id = idempotencyKey('prompt', `${req.account}|${req.user}|${ctx.session ?? ''}|${now}`);
  const opp = (await deps.store.listOpportunities({ account: req.account, status: 'open' })).find((o) => o.target === d.prompt.target.id);
  const touch: Touch = {
    id, account: req.account, user: req.user, channel: 'in_app', at: now, playbook: d.prompt.playbook,
    ...(ctx.session !== undefined ? { session: ctx.session } : {}), ...(opp ? { opportunity: opp.id } : {}),
  };
  await deps.store.commitPlaybook({ touches: [touch], ...(opp ? { opportunities: [advance(opp, 'outreach_sent', now, `in-app prompt shown to ${req.user}`)] } : {}) });
  return { ...d, id, account: req.account, user: req.user };
}

export type PromptAction = PromptEvent['action'];

/**
 * Records what the user did with a prompt: the touch keeps the outcome (per-user cooldown after a
 * dismissal), a `prompt` event goes into the log (the engine's account-level cooldown and metrics),
 * and the opportunity moves: clicked -> Engaged, converted -> Proposal (the subscription closes it).
 */
export async function recordPromptOutcome(deps: PlaybookDeps, engine: Engine, id: string, action: PromptAction, now: number): Promise<Touch> {
  const t = await deps.store.getTouch(id);
  if (!t || t.channel !== 'in_app') throw new AppError('not_found', `no prompt "${id}"`);
  const updated: Touch = action === 'shown' ? t : { ...t, outcome: action, outcomeAt: now };
  const ev: PromptEvent = { id: `${id}:${action}`, ts: now, account: t.account, type: 'prompt', prompt: id, action, ...(t.user ? { user: t.user } : {}) };
  await engine.ingest([ev]);
  const opp = t.opportunity ? await deps.store.getOpportunity(t.opportunity) : undefined;
  const moved = opp && action === 'clicked' ? advance(opp, 'engaged', now, `${t.user ?? 'a user'} clicked the prompt`)
    : opp && action === 'converted' ? advance(advance(opp, 'engaged', now, 'converted from the prompt'), 'proposal', now, 'converted from the prompt') : undefined;
  await deps.store.commitPlaybook({ touches: [updated], ...(moved ? { opportunities: [moved] } : {}) });
  return updated;
}
