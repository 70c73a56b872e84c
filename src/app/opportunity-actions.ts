// Actions a person takes on an opportunity (move the stage, hand off to an AE, close). The one place
// both the HTTP API and the dashboard call: each applies the core's pure transition and commits it
// through the playbook store in one transaction (closing also cancels the pending steps).
import { advance, closeOpportunity, OPP_STAGE_NAMES, OPP_STAGES, type Opportunity, type OppStage } from '../core/playbooks/opportunity.ts';
import { creditOf } from '../core/sales/comp.ts';
import { creditShares } from '../core/sales/credit.ts';
import { netArr, pendingQuote } from '../core/sales/discounts.ts';
import { introduce } from '../core/sales/handoff.ts';
import { isLossReason, LOSS_REASONS, type LossReason } from '../core/sales/objections.ts';
import { missingQualification, salesOf } from '../core/sales/qualification.ts';
import { qualPhrase } from '../core/sales/types.ts';
import { AppError } from './errors.ts';
import { salesOfDeps, type PlaybookDeps } from './playbook-deps.ts';

/** The open opportunity with this id, or a not-found / conflict error. */
export async function openOrFail(deps: PlaybookDeps, id: string): Promise<Opportunity> {
  const o = await deps.store.getOpportunity(id);
  if (!o) throw new AppError('not_found', `no opportunity "${id}"`);
  if (o.status !== 'open') throw new AppError('conflict', `the opportunity is already ${o.status}`);
  return o;
}

const PROPOSAL = OPP_STAGES.indexOf('proposal');

/** Moves an open opportunity forward; stages never move back, and closing has its own action. Proposal needs the configured qualification and no quote waiting for approval. */
export async function moveOpportunityStage(deps: PlaybookDeps, id: string, stage: OppStage, now: number, detail: string): Promise<Opportunity> {
  const o = await openOrFail(deps, id);
  if (stage === 'closed_won' || stage === 'closed_lost') throw new AppError('conflict', 'close an opportunity with the close action (won or lost, with a reason)');
  if (OPP_STAGES.indexOf(stage) >= PROPOSAL) {
    const missing = missingQualification(o, salesOfDeps(deps).requiredBeforeProposal);
    if (missing.length > 0) throw new AppError('conflict', `${OPP_STAGE_NAMES[stage]} needs the qualification first; not met yet: ${missing.map(qualPhrase).join(', ')}`);
    const q = pendingQuote(o);
    if (q) throw new AppError('conflict', `the ${q.discountPct} % discount on ${q.termMonths} months waits for an approver: the offer cannot go out before it is approved`);
  }
  const next = advance(o, stage, now, detail);
  if (next === o) throw new AppError('conflict', `${OPP_STAGE_NAMES[stage]} is not ahead of ${OPP_STAGE_NAMES[o.stage]}: stages only move forward`);
  await deps.store.commitPlaybook({ opportunities: [next] });
  return next;
}

/** CS -> AE hand-off with the warm intro (seed 004): the AE owns it from now on, with the team's SLA, and accepts or bounces it. */
export async function handOffOpportunity(deps: PlaybookDeps, id: string, to: string, now: number, intro?: string): Promise<Opportunity> {
  const o = await openOrFail(deps, id);
  const next = introduce(o, to, deps.playbooks.team.handoffSlaHours, intro, now);
  await deps.store.commitPlaybook({ opportunities: [next] });
  return next;
}

export interface CloseDetails {
  /** required to close as lost: the objection it was lost to */
  lossReason?: LossReason | string | undefined;
  note?: string | undefined;
  by?: string | undefined;
  /** won: this deal's own split, whole percents per team member adding up to 100; default: the comp model's */
  credit?: { person: string; pct: number }[] | undefined;
}

/** Closes as won or lost; the opportunity's pending steps are canceled in the same commit. */
export async function closeOpportunityById(deps: PlaybookDeps, id: string, won: boolean, now: number, detail: string, x: CloseDetails = {}): Promise<Opportunity> {
  const o = await openOrFail(deps, id);
  const sales = salesOfDeps(deps);
  let s = salesOf(o);
  if (!won) {
    if (!isLossReason(x.lossReason)) throw new AppError('invalid_request', `closing as lost needs a reason from the objections taxonomy (${LOSS_REASONS.join(', ')})${x.lossReason ? `, got "${x.lossReason}"` : ''}`);
    s = { ...s, loss: { reason: x.lossReason, by: x.by ?? 'unknown', at: now, ...(x.note ? { note: x.note } : {}) } };
  }
  let closed = closeOpportunity({ ...o, sales: s }, won, now, detail);
  if (won) {
    let credit;
    if (x.credit && x.credit.length > 0) {
      const members = deps.playbooks.team.members;
      const shares = x.credit.map((c) => {
        const m = members.find((t) => t.id === c.person);
        if (!m) throw new AppError('invalid_request', `credit: no team member "${c.person}" (known: ${members.map((t) => t.id).join(', ')})`);
        if (!Number.isInteger(c.pct) || c.pct < 0) throw new AppError('invalid_request', `credit: ${c.person}'s share must be a whole percent, got ${c.pct}`);
        return { person: m.id, role: m.role, pct: c.pct };
      });
      const total = shares.reduce((a, c) => a + c.pct, 0);
      if (total !== 100) throw new AppError('invalid_request', `credit: the shares add up to ${total} %, not 100 %`);
      credit = creditShares(shares, netArr(closed));
    } else credit = creditOf(closed, sales.comp);
    closed = { ...closed, sales: { ...salesOf(closed), credit } };
  }
  await deps.store.commitPlaybook({ cancelSteps: [{ opportunity: id, reason: 'opportunity closed', at: now }], opportunities: [closed] });
  return closed;
}
