// What the sales-assisted motion records on an opportunity (docs/adr/0008-sales-motion.md) and the
// settings that shape it. Everything lives on the opportunity itself (`sales`), so the stores keep it
// in the opportunity's body and no new table or store method is needed.
import type { OwnerRole } from '../playbooks/types.ts';
import type { LossReason } from './objections.ts';

/** Where a manual opportunity came from (seed 002's "CSM observation" row, seed 000's QBR, an inbound ask). */
export const MANUAL_SOURCES = ['csm_observation', 'qbr', 'inbound'] as const;
export type ManualSource = (typeof MANUAL_SOURCES)[number];
export const SOURCE_NAMES: Record<ManualSource, string> = { csm_observation: 'CSM observation', qbr: 'QBR', inbound: 'Inbound' };

/** Seed 000 and 004's qualification for sales-led deals. */
export const QUAL_ITEMS = ['goals_met', 'roi_articulated', 'budget', 'approver', 'timeline'] as const;
export type QualItem = (typeof QUAL_ITEMS)[number];
export const QUAL_NAMES: Record<QualItem, string> = {
  goals_met: 'Initial goals met on the current tier',
  roi_articulated: 'Customer can articulate the ROI',
  budget: 'Budget confirmed',
  approver: 'Approver identified',
  timeline: 'Decision timeline agreed',
};

/** The item's name inside a sentence: "customer can articulate the ROI". */
export const qualPhrase = (k: QualItem): string => QUAL_NAMES[k].charAt(0).toLowerCase() + QUAL_NAMES[k].slice(1);

export interface QualAnswer { met: boolean; note?: string; by: string; at: number }

/** One CS -> Sales hand-off (seed 004): introduced by the CSM, accepted or bounced by the AE within the SLA. */
export interface HandoffEpisode {
  from: string | null;
  to: string;
  at: number;
  dueAt: number;
  intro?: string;
  decision?: 'accepted' | 'bounced';
  decidedAt?: number;
  reason?: string;
}

export type QuoteStatus = 'within_policy' | 'pending' | 'approved' | 'refused';

/** A priced proposal: a discount on a term. Above the approval threshold it waits for a named approver. */
export interface Quote {
  id: string;
  discountPct: number;
  termMonths: number;
  at: number;
  by: string;
  /** what the term rules allow for this term */
  allowedPct: number;
  status: QuoteStatus;
  decidedBy?: string;
  decidedAt?: number;
  reason?: string;
}

export interface CreditShare { person: string; role: OwnerRole; pct: number; arrCents: number }

export interface Loss { reason: LossReason; note?: string; by: string; at: number }

export interface SalesRecord {
  qualification: Partial<Record<QualItem, QualAnswer>>;
  handoffs: HandoffEpisode[];
  quotes: Quote[];
  loss?: Loss;
  /** set when the deal closes won: who gets how much of its ARR */
  credit?: CreditShare[];
}

export const emptySales = (): SalesRecord => ({ qualification: {}, handoffs: [], quotes: [] });

export type CreditModel = 'shared' | 'csm_only' | 'ae_only' | 'overlay';

export interface Accelerator { aboveAttainment: number; ratePct: number }
export interface RolePlan { ratePct: number; accelerators: Accelerator[]; pipelineBonusCents: number }

export interface Quota { owner: string; period: string; expansionArrCents: number }

export interface TermRule { termMonths: number; maxDiscountPct: number }

export interface TalkTrack {
  id: string;
  playbooks?: string[];
  sources?: string[];
  offerTypes?: string[];
  discovery: string[];
  valueRecap: string;
  roi: string;
  proofPoints: string[];
  nextSteps: string[];
  objections: Partial<Record<LossReason, string>>;
}

export interface Economics {
  hourlyCostCents: Record<OwnerRole, number>;
  /** minutes of owner time per touch, by channel (a CSM task is a call) */
  minutesPerTouch: Record<string, number>;
  /** minutes of the owner's time spent on reaching each stage */
  minutesPerStage: Record<string, number>;
  grossMargin: number;
  newBusiness?: { costCents: number; customers: number; arrCents: number };
}

export interface SalesSettings {
  /** items that must be met before Proposal; empty = no requirement */
  requiredBeforeProposal: QualItem[];
  objections: Record<LossReason, string>;
  talkTracks: TalkTrack[];
  discounts: { approvalAbovePct: number; terms: TermRule[]; approvers: { id: string; name: string }[] };
  comp: { model: CreditModel; split: { csm: number; ae: number }; roles: Record<OwnerRole, RolePlan> };
  quotas: Quota[];
  economics: Economics;
}
