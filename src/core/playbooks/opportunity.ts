// The opportunity pipeline (seed 000): Trigger Identified -> Qualified -> Outreach Sent -> Engaged ->
// Proposal -> Closed won / lost. Pure transitions: each returns a new opportunity with the move
// appended to its history, so the store keeps the full story and a replay gives the same result.
import type { Route, Segment } from '../scoring/settings.ts';
import type { ManualSource, SalesRecord } from '../sales/types.ts';
import type { OfferType } from '../offers/options.ts';
import type { Deliverable } from './delivery-check.ts';
import type { OwnerRole } from './types.ts';
import type { ArmTag } from '../experiments/types.ts';

export const OPP_STAGES = ['trigger_identified', 'qualified', 'outreach_sent', 'engaged', 'proposal', 'closed_won', 'closed_lost'] as const;
export type OppStage = (typeof OPP_STAGES)[number];
export const OPP_STAGE_NAMES: Record<OppStage, string> = {
  trigger_identified: 'Trigger Identified', qualified: 'Qualified', outreach_sent: 'Outreach Sent', engaged: 'Engaged',
  proposal: 'Proposal', closed_won: 'Closed won', closed_lost: 'Closed lost',
};
const RANK: Record<OppStage, number> = Object.fromEntries(OPP_STAGES.map((s, i) => [s, i])) as Record<OppStage, number>;

export interface HistoryEntry {
  at: number;
  event: 'opened' | 'trigger' | 'stage' | 'owner' | 'handoff' | 'play' | 'step' | 'closed' | 'qualification' | 'quote';
  detail: string;
  stage?: OppStage;
}

export interface Play { playbook: string; startedAt: number; status: 'active' | 'done' | 'canceled' }

/** What a CSM hands an AE (seed 004): usage evidence, ROI, tier comparison. */
export interface Brief {
  /** the offer in words (absent on opportunities opened before offers had types) */
  offer?: { type: OfferType; name: string; why: string };
  evidence: string[];
  roi: { multiple: number | null; annualValueCents: number; annualCostCents: number };
  comparison: { from: string; to: string; gainedFeatures: string[]; limits: { meter: string; from: number | null; to: number | null; observed: number }[] };
  price: { monthlyDeltaCents: number; arrDeltaCents: number };
}

export interface Handoff { from: string | null; to: string; at: number; dueAt: number; slaHours: number }

export interface Opportunity {
  id: string;
  account: string;
  fromPlan: string;
  target: string;
  targetName: string;
  status: 'open' | 'won' | 'lost';
  stage: OppStage;
  openedAt: number;
  updatedAt: number;
  closedAt?: number;
  owner?: string;
  ownerRole?: OwnerRole;
  route: Route;
  segment: Segment;
  arrDeltaCents: number;
  monthlyDeltaCents: number;
  score: number;
  /** the playbooks whose triggers fired on it, first one first */
  triggers: string[];
  plays: Play[];
  brief: Brief;
  handoff?: Handoff;
  history: HistoryEntry[];
  /** raised by a person rather than a playbook trigger (src/core/sales) */
  source?: ManualSource;
  /** qualification, hand-off decisions, quotes, loss reason, credit: the sales-assisted motion (src/core/sales) */
  sales?: SalesRecord;
  /** what kind of expansion it sells (absent: opened before offers had types, a tier) */
  offerType?: OfferType;
  /** what the subscription must become to deliver it */
  deliver?: Deliverable;
  /** closed won: all of the offer delivered, or part of it */
  delivery?: 'full' | 'partial';
  /** the experiment arms (and expansion holdout) the account was in when it qualified (src/core/experiments) */
  arms?: ArmTag[];
}

export type NewOpportunity = Omit<Opportunity, 'status' | 'stage' | 'updatedAt' | 'triggers' | 'plays' | 'history' | 'openedAt'>;

/**
 * A readable, unique id: the account, the target tier and the moment it opened, to the second
 * (milliseconds only when there are some): opp:acme:pro:20260329-120000. One open opportunity per
 * account at a time keeps it unique.
 */
export function opportunityId(account: string, target: string, now: number): string {
  const iso = new Date(now).toISOString();
  const ms = iso.slice(20, 23);
  return `opp:${account}:${target}:${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}${ms === '000' ? '' : `.${ms}`}`;
}

export function openOpportunity(o: NewOpportunity, trigger: string, reason: string, now: number): Opportunity {
  return {
    ...o, status: 'open', stage: 'trigger_identified', openedAt: now, updatedAt: now, triggers: [trigger], plays: [],
    history: [{ at: now, event: 'opened', stage: 'trigger_identified', detail: `${trigger}: ${reason}` }],
  };
}

const log = (o: Opportunity, e: HistoryEntry): Opportunity => ({ ...o, updatedAt: Math.max(o.updatedAt, e.at), history: [...o.history, e] });

/** A new trigger on an open opportunity attaches to it instead of opening a second one. */
export function attachTrigger(o: Opportunity, trigger: string, reason: string, now: number): Opportunity {
  const triggers = o.triggers.includes(trigger) ? o.triggers : [...o.triggers, trigger];
  return log({ ...o, triggers }, { at: now, event: 'trigger', detail: `${trigger}: ${reason}` });
}

/** Moves forward only: a late "qualified" never pulls an engaged opportunity back. */
export function advance(o: Opportunity, stage: OppStage, now: number, detail: string): Opportunity {
  if (o.status !== 'open' || stage === 'closed_won' || stage === 'closed_lost' || RANK[stage] <= RANK[o.stage]) return o;
  return log({ ...o, stage }, { at: now, event: 'stage', stage, detail });
}

export function closeOpportunity(o: Opportunity, won: boolean, now: number, detail: string): Opportunity {
  if (o.status !== 'open') return o;
  const stage: OppStage = won ? 'closed_won' : 'closed_lost';
  const plays = o.plays.map((p) => (p.status === 'active' ? { ...p, status: 'canceled' as const } : p));
  return log({ ...o, status: won ? 'won' : 'lost', stage, closedAt: now, plays }, { at: now, event: 'closed', stage, detail });
}

export function startPlay(o: Opportunity, playbook: string, now: number): Opportunity {
  return log({ ...o, plays: [...o.plays, { playbook, startedAt: now, status: 'active' }] }, { at: now, event: 'play', detail: `started ${playbook}` });
}

export function finishPlay(o: Opportunity, playbook: string, now: number): Opportunity {
  const plays = o.plays.map((p) => (p.playbook === playbook && p.status === 'active' ? { ...p, status: 'done' as const } : p));
  return log({ ...o, plays }, { at: now, event: 'play', detail: `finished ${playbook}` });
}

export function assign(o: Opportunity, owner: string, role: OwnerRole, now: number, why: string): Opportunity {
  return log({ ...o, owner, ownerRole: role }, { at: now, event: 'owner', detail: `${role} ${owner}: ${why}` });
}

/** CSM -> AE hand-off (seed 004): the AE owns it from now on and must act within the SLA. */
export function handOff(o: Opportunity, to: string, slaHours: number, now: number): Opportunity {
  const handoff: Handoff = { from: o.owner ?? null, to, at: now, dueAt: now + slaHours * 3_600_000, slaHours };
  return log({ ...o, owner: to, ownerRole: 'ae', handoff },
    { at: now, event: 'handoff', detail: `${o.owner ?? 'unassigned'} -> AE ${to}, SLA ${slaHours} h, brief with ${o.brief.evidence.length} evidence lines` });
}

export function noteStep(o: Opportunity, now: number, detail: string): Opportunity {
  return log(o, { at: now, event: 'step', detail });
}

export const isOpen = (o: Opportunity): boolean => o.status === 'open';
export const ageDays = (o: Opportunity, now: number): number => Math.floor(((o.closedAt ?? now) - o.openedAt) / 86_400_000);
