// The playbook model (seed 000's template: trigger, qualification, messaging, delivery, success
import type { OfferType } from '../offers/options.ts';
import type { HoldoutSetting } from '../experiments/types.ts';
// metrics) and the opportunity it raises (DESIGN §4 pipeline). Plain data: the config layer
// builds these from tierwise.yaml, the stores persist them as they are.
import type { Route, Segment, SignalId } from '../scoring/settings.ts';
import type { Stage } from '../scoring/stage.ts';

export const CHANNELS = ['in_app', 'email', 'webhook', 'slack', 'task'] as const;
export type Channel = (typeof CHANNELS)[number];

/** When a step runs at all, checked at its due time. */
export const STEP_CONDITIONS = ['always', 'no_action', 'high_value', 'features_unused', 'not_converted'] as const;
export type StepCondition = (typeof STEP_CONDITIONS)[number];

export type OwnerRole = 'csm' | 'ae';

/** What starts a play: signals on an evaluation, or a lifecycle event the scheduler sees. */
export type TriggerOn = 'signals' | 'upgrade' | 'trial';

export interface Trigger {
  on: TriggerOn;
  /** any of these positive signals (on: signals) */
  signals: SignalId[];
  /** usage_ceiling only: the utilization it must reach (0.8 = seed 000's 80 %) */
  minUtilization?: number;
  /** limit notices at these shares of a limit, ascending (limit-notices.ts) */
  noticeLevels?: number[];
  minScore?: number;
  stages?: Stage[];
  /** only when the recommended offer is of one of these types (a bundle counts as its largest part too) */
  offerTypes?: OfferType[];
}

export interface Qualification {
  /** the engine's qualification must say ready */
  ready: boolean;
  /** extra signals that pause the play while they hold */
  disqualifiers: SignalId[];
}

export interface Audience {
  segments?: Segment[];
  routes?: Route[];
  /** plan ids: only accounts currently on one of these plans */
  plans?: string[];
}

/** Logic-less templates: `{{name}}` placeholders filled from the offer, escaped for the channel. */
export interface Template {
  title?: string;
  subject?: string;
  body: string;
  cta?: string;
}

export interface PlaybookStep {
  day: number;
  channel: Channel;
  when: StepCondition;
  template: Template;
  /** task steps: who gets the task */
  owner?: OwnerRole;
}

export interface RenewalTerms {
  termMonths: number;
  discountPct: number;
}

export interface Playbook {
  id: string;
  name: string;
  trigger: Trigger;
  qualification: Qualification;
  audience: Audience;
  steps: PlaybookStep[];
  success: { targetConversion: number; averageValueCents?: number; cycleDays?: number };
  /** a play of this playbook does not start again for the account within this many days */
  cooldownDays: number;
  /** at most this many plays per account, ever */
  maxAttempts: number;
  /** offer a trial of the target tier (days); 0 = none */
  trialDays: number;
  renewal?: RenewalTerms;
}

export interface TeamMember {
  id: string;
  name: string;
  email?: string;
  role: OwnerRole;
  /** open opportunities this person can own at once */
  capacity: number;
}

export interface Team {
  members: TeamMember[];
  handoffSlaHours: number;
  /** ARR delta (cents) at or above which a step is "high value" */
  highValueArrCents: number;
}

export interface Etiquette {
  promptsPerSession: number;
  promptsPerUserWeek: number;
  /** every touch (prompt, email, message, task) to one account in 7 days */
  accountWeekCap: number;
  dismissCooldownDays: number;
  /** without a session id, prompts this close together count as one session */
  sessionGapMinutes: number;
  /** an email waits while another email reached the account this many days ago or less (at most 7) */
  emailGapDays: number;
}

export const DEFAULT_ETIQUETTE: Etiquette = {
  promptsPerSession: 1, promptsPerUserWeek: 2, accountWeekCap: 3, dismissCooldownDays: 30, sessionGapMinutes: 30, emailGapDays: 3,
};

export interface PlaybookSettings {
  playbooks: Playbook[];
  team: Team;
  etiquette: Etiquette;
  /** the expansion holdout: accounts kept out of every play (absent: off) */
  holdout?: HoldoutSetting;
}
