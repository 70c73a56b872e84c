// Value-realization milestones (seed 002, first component): what an account of a segment should have
// reached before an upsell makes sense (first integration, 5 active users, first report...). Pure:
// read from the account state the engine folds, at the day given.
import { activeDays } from '../state/users.ts';
import type { AccountState } from '../state/types.ts';

/** All the conditions given must hold. */
export interface MilestoneWhen { integrations?: number; activeUsers?: number; members?: number; feature?: string }
export interface Milestone { id: string; name: string; when: MilestoneWhen }
/** Milestones per segment (enterprise, mid_market, smb, self_serve); a segment left out keeps the fixed stage rules. */
export type MilestoneSettings = Partial<Record<string, readonly Milestone[]>>;

export interface MilestoneCheck { id: string; name: string; reached: boolean; /** what is still missing, for a person */ missing: string | null }

function activeUsers(s: AccountState, today: number): number {
  let n = 0;
  for (const u of s.users) if (activeDays(u, today) > 0) n++;
  return n;
}

/** Each milestone, reached or not at `today` (active users: the last 28 days, as the stage rules count them). */
export function checkMilestones(s: AccountState, ms: readonly Milestone[], today: number, featureName: (id: string) => string = (id) => id): MilestoneCheck[] {
  return ms.map((m) => {
    const short: string[] = [];
    const w = m.when;
    if (w.integrations !== undefined && s.integrations.length < w.integrations) short.push(`${s.integrations.length} of ${w.integrations} integrations`);
    if (w.activeUsers !== undefined) {
      const n = activeUsers(s, today);
      if (n < w.activeUsers) short.push(`${n} of ${w.activeUsers} active users`);
    }
    if (w.members !== undefined && s.members < w.members) short.push(`${s.members} of ${w.members} members`);
    if (w.feature !== undefined && !s.features[w.feature]) short.push(`${featureName(w.feature)} not used yet`);
    return { id: m.id, name: m.name, reached: short.length === 0, missing: short.length ? short.join(', ') : null };
  });
}

/**
 * Where milestones are configured they replace the fixed rules between Initial Adoption and Active
 * Usage: Active Usage once every milestone is reached, Initial Adoption before. Power Usage and Tier
 * Ceiling come from limits and gates and are left to the fixed rules (`null` here: keep them).
 */
export function milestoneStage(checks: readonly MilestoneCheck[]): { stage: 'initial_adoption' | 'active_usage'; rule: string } | null {
  if (checks.length === 0) return null;
  const next = checks.find((c) => !c.reached);
  if (!next) return { stage: 'active_usage', rule: `reached every milestone (${checks.map((c) => c.name).join(', ')})` };
  return { stage: 'initial_adoption', rule: `milestone "${next.name}" not reached: ${next.missing}` };
}
