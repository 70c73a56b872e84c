// The dashboard's actions on the pipeline: thin wrappers over the app's use cases (app/trials.ts,
// app/opportunity-actions.ts, shared with the HTTP API) that turn their results into the flash line.
import type { Engine } from '../app/engine.ts';
import { closeOpportunityById, handOffOpportunity, moveOpportunityStage } from '../app/opportunity-actions.ts';
import { salesOfDeps, type PlaybookDeps } from '../app/playbook-deps.ts';
import { createManualOpportunity, qualifyOpportunity } from '../app/sales.ts';
import { LOSS_REASON_NAMES, type LossReason } from '../core/sales/objections.ts';
import { missingQualification } from '../core/sales/qualification.ts';
import { MANUAL_SOURCES, qualPhrase, SOURCE_NAMES, type ManualSource } from '../core/sales/types.ts';
import { startTrial } from '../app/trials.ts';
import { OPP_STAGE_NAMES } from '../core/playbooks/opportunity.ts';
import type { DashboardActions } from './deps.ts';

/** `exclusive` serializes the writes with the server's playbook scheduler (one writer of playbook state). */
export function pipelineActions(deps: PlaybookDeps, engine: () => Engine | undefined, exclusive: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn()): DashboardActions {
  return {
    startTrial: (account, now, by) => exclusive(async () => {
      const e = engine();
      if (!e) throw new Error('the signal engine is not running');
      const { trial } = await startTrial(deps, e, { account, now, user: by });
      return `Trial of ${trial.plan} running until ${new Date(trial.endsAt).toISOString().slice(0, 10)}.`;
    }),
    moveStage: (id, stage, now, by) => exclusive(async () => {
      await moveOpportunityStage(deps, id, stage, now, `moved by ${by} on the dashboard`);
      return `Moved to ${OPP_STAGE_NAMES[stage]}.`;
    }),
    handOff: (id, to, now) => exclusive(async () => {
      await handOffOpportunity(deps, id, to, now);
      return `Handed off to ${to}; the AE has ${deps.playbooks.team.handoffSlaHours} h to act.`;
    }),
    close: (id, won, now, by, lossReason) => exclusive(async () => {
      await closeOpportunityById(deps, id, won, now, `closed ${won ? 'won' : `lost (${lossReason ?? 'no reason'})`} by ${by} on the dashboard`, { lossReason, by });
      return won ? 'Closed won.' : `Closed lost: ${LOSS_REASON_NAMES[lossReason as LossReason] ?? lossReason}.`;
    }),
    createOpportunity: (account, i, now, by) => exclusive(async () => {
      const e = engine();
      if (!e) throw new Error('the signal engine is not running');
      if (!(MANUAL_SOURCES as readonly string[]).includes(i.source)) throw new Error(`unknown source "${i.source}"`);
      const r = await createManualOpportunity(deps, e, { account, offer: i.offer, source: i.source as ManualSource, by, note: i.note, now });
      return r.created ? `Opportunity raised: ${r.opportunity.targetName}, ${SOURCE_NAMES[i.source as ManualSource]}.` : `An open ${r.opportunity.targetName} opportunity exists; the ${SOURCE_NAMES[i.source as ManualSource]} was added to it.`;
    }),
    qualify: (id, answers, now, by) => exclusive(async () => {
      const o = await qualifyOpportunity(deps, id, answers, by, now);
      const missing = missingQualification(o, salesOfDeps(deps).requiredBeforeProposal);
      return missing.length === 0 ? 'Qualification saved: ready for Proposal.' : `Qualification saved; before Proposal: ${missing.map(qualPhrase).join(', ')}.`;
    }),
  };
}
