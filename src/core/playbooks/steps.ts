// Step scheduling as pure state transitions: a play expands into dated steps; at its due time a
// step runs, is skipped (its condition no longer holds), or waits (a cap or a disqualifier holds).
import type { Opportunity } from './opportunity.ts';
import type { Channel, OwnerRole, Playbook, StepCondition } from './types.ts';
import type { ArmTag } from '../experiments/types.ts';

export const DAY_MS = 86_400_000;
/** a step held back by a cap or a disqualifier waits at most this long past its due time, then is skipped */
export const MAX_WAIT_MS = 7 * DAY_MS;

export type StepStatus = 'pending' | 'done' | 'skipped' | 'canceled';

export interface Step {
  /** deterministic: the opportunity, the playbook, the play's start and the step's index */
  id: string;
  opportunity: string;
  account: string;
  playbook: string;
  index: number;
  channel: Channel;
  when: StepCondition;
  owner?: OwnerRole;
  /** the original due time; `notBefore` moves when a step waits */
  dueAt: number;
  notBefore: number;
  status: StepStatus;
  at?: number;
  reason?: string;
  /** the experiment arms its play runs under: the step's variant comes from them */
  arms?: ArmTag[];
}

/** Day 1 is the day the play starts (seed 000: "Day 1: in-app, Day 3: email, Day 7: CSM"). */
export function planSteps(o: Opportunity, pb: Playbook, startAt: number): Step[] {
  return pb.steps.map((s, index) => {
    const dueAt = startAt + Math.max(0, s.day - 1) * DAY_MS;
    const step: Step = {
      id: `${o.id}/${pb.id}@${startAt}/${index}`, opportunity: o.id, account: o.account, playbook: pb.id, index,
      channel: s.channel, when: s.when, dueAt, notBefore: dueAt, status: 'pending',
    };
    if (s.owner) step.owner = s.owner;
    return step;
  });
}

export interface StepFacts {
  /** the customer reacted (clicked, dismissed, converted, started a trial) since the play started */
  acted: boolean;
  highValue: boolean;
  unusedFeatures: string[];
  converted: boolean;
  /** a disqualifying signal's sentence, when one holds */
  disqualified: string | null;
  /** a cap's reason, when one holds for this channel */
  capped: string | null;
}

export type StepVerdict = { run: true } | { run: false; skip: true; reason: string } | { run: false; skip: false; reason: string };

export function judgeStep(step: Step, f: StepFacts, now: number): StepVerdict {
  switch (step.when) {
    case 'no_action': if (f.acted) return { run: false, skip: true, reason: 'the customer already acted' }; break;
    case 'high_value': if (!f.highValue) return { run: false, skip: true, reason: 'not a high-value account' }; break;
    case 'features_unused': if (f.unusedFeatures.length === 0) return { run: false, skip: true, reason: 'the upgrade\'s features are in use' }; break;
    case 'not_converted': if (f.converted) return { run: false, skip: true, reason: 'already converted' }; break;
    case 'always': break;
  }
  const hold = f.disqualified ?? f.capped;
  if (hold !== null) {
    if (now - step.dueAt >= MAX_WAIT_MS) return { run: false, skip: true, reason: `held past ${MAX_WAIT_MS / DAY_MS} days: ${hold}` };
    return { run: false, skip: false, reason: hold };
  }
  return { run: true };
}

export const done = (s: Step, now: number, reason: string): Step => ({ ...s, status: 'done', at: now, reason });
export const skip = (s: Step, now: number, reason: string): Step => ({ ...s, status: 'skipped', at: now, reason });
export const wait = (s: Step, now: number, reason: string): Step => ({ ...s, notBefore: now + DAY_MS, reason });
export const cancel = (s: Step, now: number, reason: string): Step => (s.status === 'pending' ? { ...s, status: 'canceled', at: now, reason } : s);
