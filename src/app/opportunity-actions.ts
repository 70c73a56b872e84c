// Actions a person takes on an opportunity (move the stage, hand off to an AE, close). The one place
// both the HTTP API and the dashboard call: each applies the core's pure transition and commits it
// through the playbook store in one transaction (closing also cancels the pending steps).
import { advance, closeOpportunity, handOff, OPP_STAGE_NAMES, type Opportunity, type OppStage } from '../core/playbooks/opportunity.ts';
import { AppError } from './errors.ts';
import type { PlaybookDeps } from './playbook-deps.ts';

async function openOne(deps: PlaybookDeps, id: string): Promise<Opportunity> {
  const o = await deps.store.getOpportunity(id);
  if (!o) throw new AppError('not_found', `no opportunity "${id}"`);
  if (o.status !== 'open') throw new AppError('conflict', `the opportunity is already ${o.status}`);
  return o;
}

/** Moves an open opportunity forward; stages never move back, and closing has its own action. */
export async function moveOpportunityStage(deps: PlaybookDeps, id: string, stage: OppStage, now: number, detail: string): Promise<Opportunity> {
  const o = await openOne(deps, id);
  if (stage === 'closed_won' || stage === 'closed_lost') throw new AppError('conflict', 'close an opportunity with the close action (won or lost, with a reason)');
  const next = advance(o, stage, now, detail);
  if (next === o) throw new AppError('conflict', `${OPP_STAGE_NAMES[stage]} is not ahead of ${OPP_STAGE_NAMES[o.stage]}: stages only move forward`);
  await deps.store.commitPlaybook({ opportunities: [next] });
  return next;
}

/** CSM -> AE hand-off: the AE owns it from now on, with the team's SLA. */
export async function handOffOpportunity(deps: PlaybookDeps, id: string, to: string, now: number): Promise<Opportunity> {
  const o = await openOne(deps, id);
  const next = handOff(o, to, deps.playbooks.team.handoffSlaHours, now);
  await deps.store.commitPlaybook({ opportunities: [next] });
  return next;
}

/** Closes as won or lost; the opportunity's pending steps are canceled in the same commit. */
export async function closeOpportunityById(deps: PlaybookDeps, id: string, won: boolean, now: number, detail: string): Promise<Opportunity> {
  const o = await openOne(deps, id);
  const closed = closeOpportunity(o, won, now, detail);
  await deps.store.commitPlaybook({ cancelSteps: [{ opportunity: id, reason: 'opportunity closed', at: now }], opportunities: [closed] });
  return closed;
}
