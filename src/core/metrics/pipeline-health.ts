// Pipeline health (DESIGN §4 "Pipeline"): what is open at each stage, how old it is, and what went stale.
import { OPP_STAGE_NAMES } from '../playbooks/opportunity.ts';
import { DAY_MS } from './opportunity-facts.ts';
import { distribution } from './stats.ts';
import type { Distribution, OpenStage } from './upsell-types.ts';
import type { Opportunity } from '../playbooks/opportunity.ts';

export const OPEN_STAGES: readonly OpenStage[] = ['trigger_identified', 'qualified', 'outreach_sent', 'engaged', 'proposal'];
export const AGE_BUCKETS = [7, 30, 90] as const;

export interface StageHealth {
  stage: OpenStage;
  name: string;
  open: number;
  arrDeltaCents: number;
  age: Distribution;
  /** open opportunities by age: <= 7, 8-30, 31-90, > 90 days */
  byAge: number[];
  /** no history entry for staleDays or more */
  stale: number;
  unowned: number;
}

export interface PipelineHealth { open: number; arrDeltaCents: number; staleDays: number; stages: StageHealth[]; overdueHandoffs: string[] }

export function pipelineHealth(opps: readonly Opportunity[], now: number, staleDays: number): PipelineHealth {
  const open = opps.filter((o) => o.status === 'open');
  const stages = OPEN_STAGES.map((stage) => {
    const here = open.filter((o) => o.stage === stage);
    const ages = here.map((o) => (now - o.openedAt) / DAY_MS);
    const byAge = [0, 0, 0, 0];
    for (const a of ages) {
      const i = AGE_BUCKETS.findIndex((b) => a <= b);
      byAge[i === -1 ? 3 : i] = (byAge[i === -1 ? 3 : i] ?? 0) + 1;
    }
    return {
      stage, name: OPP_STAGE_NAMES[stage], open: here.length, arrDeltaCents: here.reduce((a, o) => a + o.arrDeltaCents, 0),
      age: distribution(ages), byAge,
      stale: here.filter((o) => now - o.updatedAt >= staleDays * DAY_MS).length,
      unowned: here.filter((o) => o.owner === undefined).length,
    };
  });
  return {
    open: open.length, arrDeltaCents: open.reduce((a, o) => a + o.arrDeltaCents, 0), staleDays, stages,
    overdueHandoffs: open.filter((o) => o.handoff !== undefined && o.handoff.dueAt < now && o.updatedAt <= o.handoff.at).map((o) => o.id).sort(),
  };
}
