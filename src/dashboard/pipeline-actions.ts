// The dashboard's actions on the pipeline. Starting a trial is T4's use case (app/trials.ts);
// moving a stage, handing off and closing apply the core's pure transitions and commit them through
// the playbook store port, in one transaction each (closing also cancels the pending steps).
import type { Engine } from '../app/engine.ts';
import type { PlaybookDeps } from '../app/playbook-deps.ts';
import { startTrial } from '../app/trials.ts';
import { advance, closeOpportunity, handOff, OPP_STAGE_NAMES, type Opportunity } from '../core/playbooks/opportunity.ts';
import type { DashboardActions } from './deps.ts';

export function pipelineActions(deps: PlaybookDeps, engine: () => Engine | undefined): DashboardActions {
  const open = async (id: string): Promise<Opportunity> => {
    const o = await deps.store.getOpportunity(id);
    if (!o) throw new Error(`no opportunity "${id}"`);
    if (o.status !== 'open') throw new Error(`the opportunity is already ${o.status}`);
    return o;
  };
  return {
    async startTrial(account, now, by) {
      const e = engine();
      if (!e) throw new Error('the signal engine is not running');
      const { trial } = await startTrial(deps, e, { account, now, user: by });
      return `Trial of ${trial.plan} running until ${new Date(trial.endsAt).toISOString().slice(0, 10)}.`;
    },
    async moveStage(id, stage, now, by) {
      const o = await open(id);
      const next = advance(o, stage, now, `moved by ${by} on the dashboard`);
      if (next === o) throw new Error(`${OPP_STAGE_NAMES[stage]} is not ahead of ${OPP_STAGE_NAMES[o.stage]}: stages only move forward`);
      await deps.store.commitPlaybook({ opportunities: [next] });
      return `Moved to ${OPP_STAGE_NAMES[stage]}.`;
    },
    async handOff(id, to, now) {
      const o = await open(id);
      await deps.store.commitPlaybook({ opportunities: [handOff(o, to, deps.playbooks.team.handoffSlaHours, now)] });
      return `Handed off to ${to}; the AE has ${deps.playbooks.team.handoffSlaHours} h to act.`;
    },
    async close(id, won, now, by) {
      const o = await open(id);
      const closed = closeOpportunity(o, won, now, `closed ${won ? 'won' : 'lost'} by ${by} on the dashboard`);
      await deps.store.commitPlaybook({ cancelSteps: [{ opportunity: id, reason: 'opportunity closed', at: now }], opportunities: [closed] });
      return `Closed ${won ? 'won' : 'lost'}.`;
    },
  };
}
