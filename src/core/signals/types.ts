import type { Catalog, Plan } from '../catalog/types.ts';
import type { EngineSettings, SignalId } from '../scoring/settings.ts';
import type { AccountState } from '../state/types.ts';
import type { MeterView } from './meter-view.ts';

export type SignalKind = 'positive' | 'negative';

export interface Evidence {
  [figure: string]: number | string | boolean | null;
  /** one sentence with the account's own numbers, for a CSM to repeat */
  sentence: string;
}

export interface Signal {
  id: SignalId;
  kind: SignalKind;
  /** 0..1 */
  strength: number;
  evidence: Evidence;
}

/** How users of each plan's accounts behave, from a rescore pass over all accounts (power-user emergence). */
export interface PlanProfile {
  users: number;
  /** medians over active users: active days in 28, events in 4 weeks */
  activeDays: number;
  events: number;
}
export type PlanProfiles = Record<string, PlanProfile>;

export interface SignalContext {
  state: AccountState;
  catalog: Catalog;
  plan: Plan | undefined;
  /** the next plan up the ladder, if any */
  nextPlan: Plan | undefined;
  now: number;
  today: number;
  settings: EngineSettings;
  profiles: PlanProfiles | undefined;
  meters: MeterView[];
}

export interface Detector {
  id: SignalId;
  kind: SignalKind;
  detect(ctx: SignalContext): Signal | null;
}

export const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);
export const pct = (x: number): string => `${Math.round(x * 100)}%`;
export const num = (x: number): string => (Number.isInteger(x) ? x : Math.round(x * 10) / 10).toLocaleString('en-US');
export const plural = (n: number, one: string, many = `${one}s`): string => `${num(n)} ${n === 1 ? one : many}`;
export const round2 = (x: number): number => Math.round(x * 100) / 100;
