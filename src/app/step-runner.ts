// Runs one due step: judge it, render its message, and write the step's new state, the outbox
// message (keyed by the step), the touch, the task and the opportunity in ONE commit, so after a
// crash a step has either fully happened or not at all: never twice, never half.
import type { Evaluation } from '../core/scoring/evaluate.ts';
import { pickOwner } from '../core/playbooks/assign.ts';
import { advance, assign, finishPlay, handOff, noteStep, type Opportunity } from '../core/playbooks/opportunity.ts';
import { done, judgeStep, skip, wait, type Step } from '../core/playbooks/steps.ts';
import { escapeHtml, escapeSlack, escapeText, render } from '../core/playbooks/template.ts';
import { checkAccountCap, CUSTOMER_CHANNELS, type Touch } from '../core/playbooks/touches.ts';
import { disqualifier, triggerMatch } from '../core/playbooks/trigger.ts';
import { templateVars } from '../core/playbooks/vars.ts';
import { discountOf, variantPlaybook } from '../core/experiments/apply.ts';
import type { Experiment } from '../core/experiments/types.ts';
import { dayOf } from '../core/state/time.ts';
import type { AccountState } from '../core/state/types.ts';
import { idempotencyKey, planName, playbookOf, type PlaybookDeps } from './playbook-deps.ts';
import type { OutboxMessage, PlaybookWrite, TaskRecord } from './ports.ts';

export type StepOutcome = 'done' | 'skipped' | 'waiting';

export interface StepEnv {
  deps: PlaybookDeps;
  ev: Evaluation | undefined;
  state: AccountState | undefined;
  opp: Opportunity | undefined;
  /** the account's touches of the last 7 days */
  touches: Touch[];
  traits: Record<string, unknown>;
  /** the opportunity's other steps (to know when a play is finished) */
  siblings: Step[];
  now: number;
  /** the stored experiments: a step tagged with arms runs its variant's copy */
  experiments?: readonly Experiment[];
}

function acted(env: StepEnv, since: number): boolean {
  const s = env.state;
  if (s && (s.lastDeclineTs >= since || s.lastConvertTs >= since)) return true;
  return env.touches.some((t) => t.outcome !== undefined && (t.outcomeAt ?? t.at) >= since);
}

function unusedFeatures(env: StepEnv, since: number): string[] {
  const gained = env.opp?.brief.comparison.gainedFeatures ?? [];
  const from = dayOf(since);
  return gained.filter((f) => (env.state?.features[f]?.last ?? -1) < from);
}

export function runStep(step: Step, env: StepEnv): { write: PlaybookWrite; outcome: StepOutcome; opp: Opportunity | undefined } {
  const { deps, now } = env;
  const pb = playbookOf(deps, step.playbook);
  let opp = env.opp;
  const write: PlaybookWrite = {};
  const finish = (s: Step, outcome: StepOutcome) => {
    write.steps = [s];
    if (opp && outcome !== 'waiting') {
      opp = noteStep(opp, now, `${step.playbook} day-${(pb?.steps[step.index]?.day ?? '?')} ${step.channel}: ${s.status}${s.reason ? ` (${s.reason})` : ''}`);
      const rest = env.siblings.filter((x) => x.playbook === step.playbook && x.id !== step.id && x.status === 'pending' && x.id.startsWith(step.id.slice(0, step.id.lastIndexOf('/'))));
      if (rest.length === 0) opp = finishPlay(opp, step.playbook, now);
      write.opportunities = [opp];
    }
    return { write, outcome, opp };
  };
  if (!pb || !opp || !env.ev) return finish(skip(step, now, !pb ? 'the playbook is no longer configured' : 'no opportunity or account state'), 'skipped');
  const followUp = pb.trigger.on !== 'signals';
  if (opp.status !== 'open' && !(followUp && pb.trigger.on === 'upgrade')) return finish(skip(step, now, `the opportunity is ${opp.status}`), 'skipped');
  const playStart = opp.plays.find((p) => p.playbook === pb.id && p.status === 'active')?.startedAt ?? step.dueAt;
  const unused = unusedFeatures(env, playStart);
  const cap = CUSTOMER_CHANNELS.has(step.channel) ? checkAccountCap(env.touches, now, deps.playbooks.etiquette, step.channel) : { ok: true as const };
  const verdict = judgeStep(step, {
    acted: acted(env, playStart),
    highValue: opp.arrDeltaCents >= deps.playbooks.team.highValueArrCents,
    unusedFeatures: unused,
    converted: opp.status === 'won',
    // after an upgrade the activation check must run whatever the account's standing
    disqualified: followUp && pb.trigger.on === 'upgrade' ? null : disqualifier(env.ev, deps.settings.scoring.disqualifiers),
    capped: cap.ok ? null : cap.reason,
  }, now);
  if (!verdict.run) return verdict.skip ? finish(skip(step, now, verdict.reason), 'skipped') : finish(wait(step, now, verdict.reason), 'waiting');

  const key = idempotencyKey('step', step.id);
  const tpl = variantPlaybook(pb, step.arms, env.experiments ?? []).steps[step.index]?.template ?? { body: '' };
  const discount = discountOf(step, step.arms, env.experiments ?? []);
  const vars = templateVars(env.ev, pb, {
    accountName: String(env.traits['name'] ?? env.ev.account), planName: planName(deps, env.ev.plan), owner: opp.owner ?? '', unusedFeatures: unused,
  });
  const why = env.ev.offer ? triggerMatch(pb, env.ev, env.ev.offer.routing.segment, env.ev.offer.routing.route) : null;
  if (why?.ok) vars.evidence = why.reason; // lead with what fired this playbook
  const msg = (channel: OutboxMessage['channel'], payload: unknown): OutboxMessage => ({
    key, channel, account: step.account, opportunity: opp!.id, step: step.id,
    payload: JSON.stringify(payload), status: 'pending', attempts: 0, nextAt: now, createdAt: now,
  });
  const touch = (): Touch => ({ id: key, account: step.account, channel: step.channel, at: now, playbook: pb.id, opportunity: opp!.id });
  const base = { type: 'playbook_step', idempotency_key: key, account: step.account, opportunity: opp.id, playbook: pb.id, step: step.index, at: new Date(now).toISOString(),
    ...(step.arms?.length ? { arms: step.arms } : {}), ...(discount !== undefined ? { discount_pct: discount } : {}) };
  let note = '';
  switch (step.channel) {
    case 'email': {
      const to = env.traits[deps.emailTrait ?? 'email'];
      if (typeof to !== 'string' || to === '') return finish(skip(step, now, `no recipient: the account has no ${deps.emailTrait ?? 'email'} trait`), 'skipped');
      write.enqueue = [msg('email', { to, subject: render(tpl.subject ?? '', vars, escapeText), text: render(tpl.body, vars, escapeText),
        html: `<p>${render(tpl.body, vars, escapeHtml).replace(/\n/g, '<br>')}</p>` })];
      write.touches = [touch()];
      opp = advance(opp, 'outreach_sent', now, `email to ${to}`);
      note = 'email queued';
      break;
    }
    case 'webhook':
      write.enqueue = [msg('webhook', { ...base, title: render(tpl.title ?? '', vars, escapeText), body: render(tpl.body, vars, escapeText) })];
      note = 'webhook queued';
      break;
    case 'slack':
      write.enqueue = [msg('slack', { text: render(`${tpl.title ? `*${tpl.title}*\n` : ''}${tpl.body}`, vars, escapeSlack) })];
      note = 'slack message queued';
      break;
    case 'in_app':
      // decide() shows it at the user's next moment of need; the product may also hear of it now
      if (deps.webhook?.inApp) write.enqueue = [msg('webhook', { ...base, type: 'in_app_prompt', title: render(tpl.title ?? '', vars, escapeText), body: render(tpl.body, vars, escapeText), cta: render(tpl.cta ?? '', vars, escapeText) })];
      note = 'in-app prompt armed';
      break;
    case 'task': {
      const role = pb.steps[step.index]?.owner ?? 'csm';
      if (opp.ownerRole !== role || !opp.owner) {
        const load = new Map<string, number>();
        const who = pickOwner(deps.playbooks.team.members, role, load, String(env.traits[role] ?? ''));
        if (who) opp = role === 'ae' && opp.ownerRole === 'csm' ? handOff(opp, who.member.id, deps.playbooks.team.handoffSlaHours, now) : assign(opp, who.member.id, role, now, who.why);
      }
      const task: TaskRecord = {
        id: key, account: step.account, opportunity: opp.id, playbook: pb.id, role, title: render(tpl.title ?? `${pb.name}: ${step.account}`, vars, escapeText),
        body: render(tpl.body, vars, escapeText), brief: opp.brief, createdAt: now, dueAt: now + deps.playbooks.team.handoffSlaHours * 3_600_000, status: 'open',
        ...(opp.owner && opp.ownerRole === role ? { owner: opp.owner } : {}),
      };
      write.tasks = [task];
      write.touches = [touch()];
      if (deps.webhook?.tasks) write.enqueue = [msg('webhook', { ...base, type: 'task', task })];
      opp = advance(opp, 'outreach_sent', now, `${role} task for ${task.owner ?? 'the team'}`);
      note = `task for ${task.owner ?? role}`;
      break;
    }
  }
  return finish(done(step, now, note), 'done');
}

