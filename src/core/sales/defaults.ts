// The sales settings a config without a `sales:` section gets: the seeds' numbers.
import { DEFAULT_OBJECTION_RESPONSES } from './objections.ts';
import { QUAL_ITEMS, type SalesSettings } from './types.ts';

export const DEFAULT_SALES: SalesSettings = {
  requiredBeforeProposal: [...QUAL_ITEMS],
  objections: { ...DEFAULT_OBJECTION_RESPONSES },
  talkTracks: [],
  // seed 002: at most 10 % unless multi-year; seed 000's renewal bundle: 20 % on a 2-year term
  discounts: { approvalAbovePct: 10, terms: [{ termMonths: 1, maxDiscountPct: 0 }, { termMonths: 12, maxDiscountPct: 10 }, { termMonths: 24, maxDiscountPct: 20 }, { termMonths: 36, maxDiscountPct: 25 }], approvers: [] },
  // seed 002: shared credit, CSM 30-40 % / AE 60-70 %
  comp: {
    model: 'shared', split: { csm: 0.35, ae: 0.65 },
    roles: { csm: { ratePct: 5, accelerators: [], pipelineBonusCents: 0 }, ae: { ratePct: 10, accelerators: [], pipelineBonusCents: 0 } },
  },
  quotas: [],
  economics: {
    hourlyCostCents: { csm: 6_000, ae: 9_000 },
    minutesPerTouch: { in_app: 0, email: 0, webhook: 0, slack: 0, task: 30 },
    minutesPerStage: { qualified: 30, engaged: 60, proposal: 120 },
    grossMargin: 0.8,
  },
};
