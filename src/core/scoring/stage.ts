// Value-realization stage (seed 002 §1 table), with the rule that placed the account there.
import type { Signal } from '../signals/types.ts';
import type { SignalSettings } from './settings.ts';

export const STAGES = ['initial_adoption', 'active_usage', 'power_usage', 'tier_ceiling'] as const;
export type Stage = (typeof STAGES)[number];
export const STAGE_NAMES: Record<Stage, string> = {
  initial_adoption: 'Initial Adoption', active_usage: 'Active Usage', power_usage: 'Power Usage', tier_ceiling: 'Tier Ceiling',
};

export interface StageInput {
  signals: readonly Signal[];
  /** users active in the last 28 days */
  activeUsers: number;
  /** share of the current plan's features in use */
  adoption: number;
  /** events in the last 14 days */
  recentEvents: number;
}

export interface StageResult { stage: Stage; rule: string }

const find = (signals: readonly Signal[], id: string): Signal | undefined => signals.find((s) => s.id === id);

export function stageOf(input: StageInput, cfg: SignalSettings): StageResult {
  const { signals } = input;
  const ceiling = find(signals, 'usage_ceiling');
  const exceeded = find(signals, 'limit_exceeded');
  const gate = find(signals, 'feature_gate');
  const asks = find(signals, 'feature_request');
  const util = ceiling ? Number(ceiling.evidence['utilization']) : 0;
  const spike = ceiling?.evidence['spike'] === true;
  // Tier Ceiling: hitting hard limits, requesting capabilities beyond the plan
  if (exceeded) return { stage: 'tier_ceiling', rule: `hit a hard limit: ${exceeded.evidence.sentence}` };
  if (ceiling && util >= cfg.usageCeiling.levels[2] && !spike) return { stage: 'tier_ceiling', rule: `at ${Math.round(util * 100)}% of a limit (>= ${Math.round(cfg.usageCeiling.levels[2] * 100)}%)` };
  if (asks) return { stage: 'tier_ceiling', rule: `asking for capabilities beyond the plan: ${asks.evidence.sentence}` };
  if (gate && Number(gate.evidence['distinctUsers']) >= cfg.featureGate.strongUsers) return { stage: 'tier_ceiling', rule: `several users blocked by feature gates: ${gate.evidence.sentence}` };
  // Power Usage: advanced features maxed, gates creating friction
  if (gate) return { stage: 'power_usage', rule: `feature gates creating friction: ${gate.evidence.sentence}` };
  // one busy user is not a power-usage account: the seeds speak of power-user density
  const pu = find(signals, 'power_users');
  const dense = pu && Number(pu.evidence['powerUsers']) >= 2 && Number(pu.evidence['density']) >= cfg.powerUsers.strongDensity ? pu : undefined;
  const power = dense ?? find(signals, 'premium_adoption');
  if (power) return { stage: 'power_usage', rule: power.evidence.sentence };
  if (input.adoption >= 0.7 && ceiling) return { stage: 'power_usage', rule: `uses ${Math.round(input.adoption * 100)}% of the plan's features and nears a limit` };
  // Active Usage: daily engagement, multiple users, approaching limits
  if (ceiling) return { stage: 'active_usage', rule: `approaching a limit: ${ceiling.evidence.sentence}` };
  if (input.activeUsers >= 2 && input.recentEvents > 0) return { stage: 'active_usage', rule: `${input.activeUsers} active users in the last 28 days` };
  return { stage: 'initial_adoption', rule: input.recentEvents > 0 ? 'one active user and no friction with the plan yet' : 'little or no recent activity' };
}
