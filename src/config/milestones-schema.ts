// The `milestones:` section of tierwise.yaml: value-realization milestones per segment (seed 002's
// value-realization mapping). Optional; a segment with milestones gets its adoption stage from them.
import { z } from 'zod';
import type { Milestone, MilestoneSettings } from '../core/milestones/milestones.ts';

const count = z.number().int().positive();
const milestoneSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _'),
  name: z.string().min(1).optional().describe('what a person reads (default: the id with spaces)'),
  when: z.object({
    integrations: count.optional().describe('at least this many integrations connected'),
    active_users: count.optional().describe('at least this many users active in the last 28 days'),
    members: count.optional().describe('at least this many members'),
    feature: z.string().optional().describe('this feature used at least once'),
  }).strict().refine((w) => Object.values(w).some((v) => v !== undefined), 'give at least one condition: integrations, active_users, members or feature'),
}).strict();

const segment = z.enum(['enterprise', 'mid_market', 'smb', 'self_serve']);
export const milestonesConfigSchema = z.partialRecord(segment, z.array(milestoneSchema).min(1).max(12))
  .describe('value-realization milestones per segment, in the order an account should reach them');
export type MilestonesConfig = z.output<typeof milestonesConfigSchema>;

/** Unknown features and duplicate ids, with their paths. */
export function milestoneIssues(cfg: MilestonesConfig | undefined, features: readonly string[]): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  for (const [seg, list] of Object.entries(cfg ?? {})) {
    const seen = new Set<string>();
    (list ?? []).forEach((m, i) => {
      if (seen.has(m.id)) out.push({ path: ['milestones', seg, i, 'id'], message: `duplicate milestone id "${m.id}" in ${seg}` });
      seen.add(m.id);
      if (m.when.feature !== undefined && !features.includes(m.when.feature)) out.push({ path: ['milestones', seg, i, 'when', 'feature'], message: `unknown feature "${m.when.feature}"; declare it under features:` });
    });
  }
  return out;
}

export function toMilestoneSettings(cfg: { milestones?: MilestonesConfig | undefined }): MilestoneSettings {
  const out: Record<string, Milestone[]> = {};
  for (const [seg, list] of Object.entries(cfg.milestones ?? {})) {
    out[seg] = (list ?? []).map((m) => ({
      id: m.id, name: m.name ?? m.id.replace(/_/g, ' '),
      when: {
        ...(m.when.integrations !== undefined ? { integrations: m.when.integrations } : {}),
        ...(m.when.active_users !== undefined ? { activeUsers: m.when.active_users } : {}),
        ...(m.when.members !== undefined ? { members: m.when.members } : {}),
        ...(m.when.feature !== undefined ? { feature: m.when.feature } : {}),
      },
    }));
  }
  return out;
}
