// The scheduler's pure heart, per account: read outcomes (an upgrade wins, a downgrade or churn
// loses), open or attach opportunities from firing triggers, start plays and expand their steps.
import type { Holdings } from '../catalog/holdings.ts';
import type { Evaluation } from '../scoring/evaluate.ts';
import { checkDelivery, deliverableOf, deliveredAt } from './delivery-check.ts';
import { pickOwner } from './assign.ts';
import { advance, assign, attachTrigger, closeOpportunity, handOff, openOpportunity, opportunityId, startPlay, type Opportunity } from './opportunity.ts';
import { planSteps, type Step } from './steps.ts';
import { audienceMatch, qualified, triggerMatch } from './trigger.ts';
import { briefOf } from './vars.ts';
import type { Playbook, Team } from './types.ts';
import { mergeArms, type Arms } from '../experiments/apply.ts';

const DAY = 86_400_000;

export interface AccountView {
  evaluation: Evaluation;
  /** the subscription status (canceled = churn) */
  status: string;
  rankOf: (plan: string) => number | undefined;
  /** when the current plan started (the upgrade's time) */
  planChangeTs: number;
  /** add-ons, extra units and term held now, and when they last changed */
  holdings?: Holdings;
  extrasChangeTs?: number;
  preferredCsm?: string;
  preferredAe?: string;
}

export interface ReconcileInput {
  view: AccountView;
  /** every opportunity of the account, open and closed */
  opportunities: readonly Opportunity[];
  playbooks: readonly Playbook[];
  team: Team;
  /** open opportunities per owner; updated in place as owners are assigned or freed */
  load: Map<string, number>;
  now: number;
  /** experiments and the expansion holdout: what this account gets of a playbook (absent: every play as configured) */
  arms?: (pb: Playbook) => Arms;
}

export interface Reconciled {
  /** the opportunities that changed */
  changed: Opportunity[];
  /** steps of plays started now */
  steps: Step[];
  /** opportunities whose pending steps must be canceled */
  cancel: { opportunity: string; reason: string }[];
}

function mayPlay(pb: Playbook, all: readonly Opportunity[], now: number): boolean {
  const plays = all.flatMap((o) => o.plays.filter((p) => p.playbook === pb.id));
  if (plays.length >= pb.maxAttempts) return false;
  if (plays.some((p) => p.status === 'active')) return false;
  return !plays.some((p) => p.startedAt > now - pb.cooldownDays * DAY);
}

function release(load: Map<string, number>, o: Opportunity): void {
  if (o.owner) load.set(o.owner, Math.max(0, (load.get(o.owner) ?? 0) - 1));
}

export function reconcile(i: ReconcileInput): Reconciled {
  const { view, now } = i;
  const ev = view.evaluation;
  const out: Reconciled = { changed: [], steps: [], cancel: [] };
  const all = i.opportunities.map((o) => o);
  const curRank = i.view.rankOf(ev.plan);
  const put = (o: Opportunity): void => {
    if (all.includes(o)) return; // unchanged: transitions return a new object when they change something
    const k = all.findIndex((x) => x.id === o.id);
    if (k >= 0) all[k] = o; else all.push(o);
    const c = out.changed.findIndex((x) => x.id === o.id);
    if (c >= 0) out.changed[c] = o; else out.changed.push(o);
  };

  // 1. outcomes: the subscription is the source of truth (DESIGN §3)
  for (const o of all.filter((x) => x.status === 'open')) {
    const from = view.rankOf(o.fromPlan);
    const delivery = o.deliver && view.holdings
      ? { ...checkDelivery(o.deliver, curRank, view.holdings), at: deliveredAt(o.deliver, curRank, view.holdings, view.planChangeTs) }
      : null;
    if (view.status === 'canceled') {
      put(closeOpportunity(o, false, now, 'the account churned (subscription canceled)'));
    } else if (curRank !== undefined && from !== undefined && curRank < from) {
      put(closeOpportunity(o, false, now, `downgraded ${o.fromPlan} -> ${ev.plan}`));
    } else if (delivery && delivery.status !== 'none') {
      // any expansion that delivers the offer wins it: seats added, a module bought, a term signed
      // dated at the change that delivered it, not a later one (support on day 90, seats on day 91)
      const changed = delivery.at || Math.max(view.planChangeTs, view.extrasChangeTs ?? 0);
      const at = Math.min(now, Math.max(o.openedAt, changed || now));
      const upgraded = curRank !== undefined && from !== undefined && curRank > from;
      // the history says the plan moved in the same words whichever path closed it
      const detail = `${upgraded ? `upgraded ${o.fromPlan} -> ${ev.plan}; ` : ''}${delivery.status === 'full' ? 'delivered' : 'partly delivered'}: ${delivery.delivered.join(', ')}${delivery.missing.length > 0 ? `; not: ${delivery.missing.join(', ')}` : ''}`;
      let won: Opportunity = { ...closeOpportunity(o, true, at, detail), delivery: delivery.status };
      if (upgraded) won = startUpgradePlays(won, i, ev.plan, at, out);
      put(won);
    } else if (!o.deliver && curRank !== undefined && from !== undefined && curRank > from) {
      const at = Math.min(now, Math.max(o.openedAt, view.planChangeTs || now));
      put(startUpgradePlays(closeOpportunity(o, true, at, `upgraded ${o.fromPlan} -> ${ev.plan}`), i, ev.plan, at, out));
    } else continue;
    out.cancel.push({ opportunity: o.id, reason: `closed: ${all.find((x) => x.id === o.id)?.status ?? ''}` });
    release(i.load, o);
  }

  // 2. triggers: open or attach, qualify, start plays
  const offer = ev.offer;
  if (!offer || view.status === 'canceled') return out;
  const segment = offer.routing.segment;
  for (const pb of i.playbooks) {
    const m = triggerMatch(pb, ev, segment, offer.routing.route);
    if (!m.ok) continue;
    let o = all.find((x) => x.status === 'open' && x.target === offer.target.id);
    const q = qualified(pb, ev);
    if (!o) {
      // an opportunity opens only where this play can act now: qualified, and free to start (or held out
      // by an experiment, whose exposure must be recorded); a fired trigger alone stays a signal
      if (!q.ok || !(i.arms?.(pb).held || mayPlay(pb, all, now))) continue;
      const brief = briefOf(ev);
      if (!brief) continue;
      o = openOpportunity({
        id: opportunityId(ev.account, offer.target.id, now), account: ev.account, fromPlan: ev.plan, target: offer.target.id, targetName: offer.target.name,
        route: offer.routing.route, segment, arrDeltaCents: offer.price.arr, monthlyDeltaCents: offer.price.monthly, score: ev.score.score, brief,
        offerType: offer.type, ...(view.holdings ? { deliver: deliverableOf(offer, view.holdings, view.rankOf, ev.plan) } : {}),
      }, pb.id, m.reason, now);
      o = assignOwners(o, i, now);
    } else if (!o.triggers.includes(pb.id)) {
      o = attachTrigger(o, pb.id, m.reason, now);
    }
    if (q.ok) {
      o = advance(o, 'qualified', now, q.reason);
      // exposure: the arm is recorded when the account qualifies, held out or not, so both sides count alike
      const arms = i.arms?.(pb);
      const merged = arms ? mergeArms(o.arms, arms.tags) : null;
      if (merged) o = { ...o, arms: merged, updatedAt: Math.max(o.updatedAt, now) };
      if (arms?.held) {
        if (merged) o = { ...o, history: [...o.history, { at: now, event: 'play', detail: `held out of ${pb.id} (${arms.held.experiment})` }] };
      } else if (mayPlay(pb, all, now)) {
        o = startPlay(o, pb.id, now);
        const tags = arms?.tags.length ? { arms: arms.tags } : {};
        out.steps.push(...planSteps(o, arms?.playbook ?? pb, now).map((s) => ({ ...s, ...tags })));
      }
    }
    put(o);
  }
  return out;
}

/** An upgrade play's audience: the plan the account moved up to, the opportunity's segment and route. */
function startUpgradePlays(won: Opportunity, i: ReconcileInput, plan: string, at: number, out: Reconciled): Opportunity {
  for (const pb of i.playbooks.filter((p) => p.trigger.on === 'upgrade' && audienceMatch(p, plan, won.segment, won.route).ok)) {
    const arms = i.arms?.(pb);
    if (arms?.held) continue; // a held-out account gets no play, follow-ups included
    won = startPlay(won, pb.id, at);
    const tags = arms?.tags.length ? { arms: arms.tags } : {};
    out.steps.push(...planSteps(won, arms?.playbook ?? pb, at).map((s) => ({ ...s, ...tags })));
  }
  return won;
}

function assignOwners(o: Opportunity, i: ReconcileInput, now: number): Opportunity {
  if (o.route === 'product_led') return o;
  const csm = pickOwner(i.team.members, 'csm', i.load, i.view.preferredCsm);
  if (csm) {
    o = assign(o, csm.member.id, 'csm', now, csm.why);
    i.load.set(csm.member.id, (i.load.get(csm.member.id) ?? 0) + 1);
  }
  if (o.route === 'ae') {
    const ae = pickOwner(i.team.members, 'ae', i.load, i.view.preferredAe);
    if (ae) {
      if (csm) i.load.set(csm.member.id, Math.max(0, (i.load.get(csm.member.id) ?? 0) - 1));
      o = handOff(o, ae.member.id, i.team.handoffSlaHours, now);
      i.load.set(ae.member.id, (i.load.get(ae.member.id) ?? 0) + 1);
    }
  }
  return o;
}
