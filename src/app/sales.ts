// The sales-assisted motion's use cases (docs/sales.md): raise an opportunity by hand, record its
// qualification, decide a hand-off, quote a discount and have it approved or refused. Each applies the
// core's pure transition and commits the opportunity through the playbook store, like
// opportunity-actions.ts, which the HTTP API and the dashboard share with these.
import { pickOwner } from '../core/playbooks/assign.ts';
import { assign, attachTrigger, openOpportunity, type Opportunity } from '../core/playbooks/opportunity.ts';
import { addQuote, decideQuote } from '../core/sales/discounts.ts';
import { decideHandoff } from '../core/sales/handoff.ts';
import { manualOpportunity } from '../core/sales/manual.ts';
import { recordQualification } from '../core/sales/qualification.ts';
import { SOURCE_NAMES, type ManualSource, type QualItem } from '../core/sales/types.ts';
import type { Engine } from './engine.ts';
import { AppError } from './errors.ts';
import { openOrFail as openOne } from './opportunity-actions.ts';
import { salesOfDeps, type PlaybookDeps } from './playbook-deps.ts';

export interface CreateInput {
  account: string;
  /** a plan id; default: the engine's recommended tier */
  offer?: string | undefined;
  source: ManualSource;
  /** who raised it (a team member id, or an API key / dashboard user) */
  by: string;
  /** the owner; default: `by` when it is a CSM, else the account's CSM, else the least loaded CSM */
  owner?: string | undefined;
  note?: string | undefined;
  now: number;
}

/** Raises an opportunity by hand; on an account with an open one for the same tier, attaches to it instead. */
export async function createManualOpportunity(deps: PlaybookDeps, engine: Engine, i: CreateInput): Promise<{ opportunity: Opportunity; created: boolean }> {
  const ev = engine.explain(i.account, i.now);
  const state = engine.states.get(i.account);
  if (!ev || !state) throw new AppError('not_found', `no account "${i.account}"`);
  const targetId = i.offer ?? ev.offer?.target.id;
  if (!targetId) throw new AppError('invalid_request', `no higher tier to offer "${i.account}": name one with the offer`);
  const target = deps.catalog.plans.find((p) => p.id === targetId);
  if (!target) throw new AppError('not_found', `no plan "${targetId}" in the catalog (known: ${deps.catalog.plans.map((p) => p.id).join(', ')})`);
  const reason = `${SOURCE_NAMES[i.source]} by ${i.by}${i.note ? `: ${i.note}` : ''}`;
  const open = await deps.store.listOpportunities({ account: i.account, status: 'open' });
  const same = open.find((o) => o.target === target.id);
  if (same) {
    const next = attachTrigger(same, i.source, reason, i.now);
    await deps.store.commitPlaybook({ opportunities: [next] });
    return { opportunity: next, created: false };
  }
  const m = manualOpportunity({
    ev, catalog: deps.catalog, target, interval: state.interval, segmentTrait: state.segment, employees: state.employees,
    offers: deps.settings.offers, source: i.source, now: i.now,
  });
  if (!m.ok) throw new AppError('invalid_request', m.reason);
  let o = openOpportunity(m.opp, i.source, reason, i.now);
  const members = deps.playbooks.team.members;
  const named = members.find((x) => x.id === i.owner || x.name === i.owner);
  if (i.owner && !named) throw new AppError('not_found', `no team member "${i.owner}" (known: ${members.map((x) => x.id).join(', ') || 'none'})`);
  const byMember = members.find((x) => x.id === i.by && x.role === 'csm');
  if (named) o = assign(o, named.id, named.role, i.now, `named by ${i.by}`);
  else if (byMember) o = assign(o, byMember.id, 'csm', i.now, 'raised it');
  else {
    const load = new Map<string, number>();
    for (const x of await deps.store.listOpportunities({ status: 'open' })) if (x.owner) load.set(x.owner, (load.get(x.owner) ?? 0) + 1);
    const rec = await deps.store.getAccount(i.account);
    const csm = pickOwner(members, 'csm', load, typeof rec?.traits.csm === 'string' ? rec.traits.csm : undefined);
    if (csm) o = assign(o, csm.member.id, 'csm', i.now, csm.why);
  }
  await deps.store.commitPlaybook({ opportunities: [o] });
  return { opportunity: o, created: true };
}

export type QualAnswers = Partial<Record<QualItem, { met: boolean; note?: string }>>;

export async function qualifyOpportunity(deps: PlaybookDeps, id: string, answers: QualAnswers, by: string, now: number): Promise<Opportunity> {
  const o = await openOne(deps, id);
  const next = recordQualification(o, answers, by, now);
  if (next !== o) await deps.store.commitPlaybook({ opportunities: [next] });
  return next;
}

export async function decideHandoffById(deps: PlaybookDeps, id: string, decision: 'accepted' | 'bounced', by: string, reason: string | undefined, now: number): Promise<Opportunity> {
  const o = await openOne(deps, id);
  const r = decideHandoff(o, decision, by, reason, now);
  if (!r.ok) throw new AppError(r.reason.includes('needs a reason') ? 'invalid_request' : 'conflict', r.reason);
  await deps.store.commitPlaybook({ opportunities: [r.opportunity] });
  return r.opportunity;
}

export async function quoteOpportunity(deps: PlaybookDeps, id: string, q: { discountPct: number; termMonths: number; by: string }, now: number): Promise<Opportunity> {
  if (!(q.discountPct >= 0 && q.discountPct <= 100)) throw new AppError('invalid_request', `the discount must be 0-100 %, got ${q.discountPct}`);
  if (!(Number.isInteger(q.termMonths) && q.termMonths >= 1)) throw new AppError('invalid_request', `the term must be a whole number of months, got ${q.termMonths}`);
  const o = await openOne(deps, id);
  const next = addQuote(o, q, salesOfDeps(deps).discounts, now);
  await deps.store.commitPlaybook({ opportunities: [next] });
  return next;
}

export async function decideQuoteById(deps: PlaybookDeps, id: string, approve: boolean, approver: string, reason: string | undefined, now: number): Promise<Opportunity> {
  const o = await openOne(deps, id);
  const r = decideQuote(o, approve, approver, salesOfDeps(deps).discounts, reason, now);
  if (!r.ok) throw new AppError(r.reason.includes('not a discount approver') ? 'invalid_request' : 'conflict', r.reason);
  await deps.store.commitPlaybook({ opportunities: [r.opportunity] });
  return r.opportunity;
}
