// An experiment on one playbook step, as stored: who designed what, and the variants' overrides.
// Plain data: the store keeps it as JSON, the scheduler reads it each pass.
import type { Channel, Template } from '../playbooks/types.ts';

/** What the variants of a step differ in. */
export const FACTORS = ['copy', 'timing', 'channel', 'discount'] as const;
export type Factor = (typeof FACTORS)[number];

export interface VariantSpec {
  id: string;
  /** relative weight among the variants (the holdout is set apart first) */
  weight: number;
  /** copy: replaces these parts of the step's template */
  template?: Partial<Template>;
  /** timing: the step's day in the play (day 1 = the day the play starts) */
  day?: number;
  /** channel: the step goes out on this channel */
  channel?: Channel;
  /** discount: the discount the step offers, in percent (carried in its payload) */
  discountPct?: number;
}

export interface Experiment {
  /** also the salt of its assignment hash: renaming it reshuffles every account */
  id: string;
  name: string;
  playbook: string;
  /** index of the step whose variants differ (0 = the playbook's first step) */
  step: number;
  factor: Factor;
  /** share of the accounts the playbook would reach that get no play at all, 0..0.5 */
  holdout: number;
  variants: VariantSpec[];
  /** epoch ms */
  createdAt: number;
  status: 'running' | 'stopped';
}

/** An account's arm in one experiment, recorded on its opportunity and its steps at exposure. */
export interface ArmTag { experiment: string; arm: string }

/**
 * The expansion holdout (`experiments.holdout` in tierwise.yaml): accounts kept out of every play,
 * so the organic expansion rate is measured beside the plays' rate.
 */
export interface HoldoutSetting { share: number; salt: string }
