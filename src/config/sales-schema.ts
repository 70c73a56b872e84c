// The `sales:` section of tierwise.yaml (docs/sales.md, docs/adr/0008-sales-motion.md): qualification
// required before Proposal, objection responses and talk tracks, discount term rules, comp plans per
// role, quotas per owner and period, and the cost model behind the economics report. Every field has
// a default from the seeds, so the section and each field in it are optional. Discount approvers are
// people, so they live under `team.approvers` (teamApproverSchema, used by playbooks-schema.ts).
import { z } from 'zod';
import { OPP_STAGES } from '../core/playbooks/opportunity.ts';
import { placeholders, TEMPLATE_VARS } from '../core/playbooks/template.ts';
import { DEFAULT_SALES as D } from '../core/sales/defaults.ts';
import { LOSS_REASONS, type LossReason } from '../core/sales/objections.ts';
import { parsePeriod } from '../core/sales/period.ts';
import { MANUAL_SOURCES, QUAL_ITEMS, type RolePlan, type SalesSettings, type TalkTrack } from '../core/sales/types.ts';
import { CHANNELS } from '../core/playbooks/types.ts';

const id = z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'a lower-case identifier (a-z, 0-9, _ . -)');
const cents = z.number().int().nonnegative();
const pct = z.number().min(0).max(100);
const known = new Set<string>(TEMPLATE_VARS);
const text = z.string().min(1).superRefine((t, ctx) => {
  for (const name of placeholders(t)) {
    if (!known.has(name)) ctx.addIssue({ code: 'custom', message: `unknown template variable "{{${name}}}" (known: ${TEMPLATE_VARS.join(', ')})` });
  }
});
const objectionsSchema = z.partialRecord(z.enum(LOSS_REASONS), text);

export const teamApproverSchema = z.object({ id, name: z.string(), email: z.string().optional() }).strict();

const talkTrackSchema = z.object({
  id,
  playbooks: z.array(id).min(1).optional().describe('playbook ids from `playbooks:`: the track fits opportunities one of them raised'),
  sources: z.array(z.string()).min(1).optional().describe(`what raised the opportunity: ${MANUAL_SOURCES.join(', ')} or a playbook id`),
  offer_types: z.array(z.string()).min(1).optional().describe('offer kinds (tier by default)'),
  discovery: z.array(text).default([]).describe('seed 004: current state, future state, the gap'),
  value_recap: text.describe('the account\'s own numbers: {{reasons}}, {{evidence}}, {{gained_features}}'),
  roi: text,
  proof_points: z.array(text).default([]),
  next_steps: z.array(text).default([]),
  objections: objectionsSchema.default({}).describe('responses for this track, over sales.objections'),
}).strict();

const rolePlanSchema = z.object({
  rate_pct: pct.describe('commission on credited expansion ARR'),
  accelerators: z.array(z.object({
    above_attainment_pct: z.number().positive().describe('from this share of quota on (100 = at quota)'),
    rate_pct: pct,
  }).strict()).default([]),
  pipeline_bonus_cents: cents.default(0).describe('per won deal the person is credited on (the overlay model\'s CSM bonus)'),
}).strict();

export const salesConfigSchema = z.object({
  qualification: z.object({
    required_before_proposal: z.array(z.enum(QUAL_ITEMS)).default([...D.requiredBeforeProposal]).describe('items that must be met before an opportunity moves to Proposal; [] = none'),
  }).strict().optional(),
  objections: objectionsSchema.optional().describe('the response to each objection in the taxonomy (price_budget, timing, no_need, authority, competitor, product_gap, other)'),
  talk_tracks: z.array(talkTrackSchema).optional().describe('per playbook, source and offer type; the first that fits is used, else seed 004\'s framework'),
  discounts: z.object({
    approval_above_pct: pct.default(D.discounts.approvalAbovePct).describe('quotes above this need a named approver from team.approvers'),
    terms: z.array(z.object({ term_months: z.number().int().positive(), max_discount_pct: pct }).strict()).min(1).optional()
      .describe('the most each term allows (seed 002: at most 10 % unless multi-year); an approver can only approve within these'),
  }).strict().optional(),
  comp: z.object({
    model: z.enum(['shared', 'csm_only', 'ae_only', 'overlay']).default('shared').describe('seed 002: shared credit, CSM-only, AE-only, overlay'),
    csm: rolePlanSchema.optional(),
    ae: rolePlanSchema.optional(),
  }).strict().optional().describe('the shared split is metrics.credit_split'),
  quotas: z.array(z.object({
    owner: id.describe('a team member id'),
    period: z.string().refine((p) => parsePeriod(p) !== undefined, 'a month (2026-07), quarter (2026-Q3) or year (2026)'),
    expansion_arr_cents: cents,
  }).strict()).optional(),
  economics: z.object({
    hourly_cost_cents: z.object({ csm: cents.default(D.economics.hourlyCostCents.csm), ae: cents.default(D.economics.hourlyCostCents.ae) }).strict().optional(),
    minutes_per_touch: z.partialRecord(z.enum(CHANNELS), z.number().nonnegative()).optional().describe('owner minutes per touch by channel (task = a CSM/AE call)'),
    minutes_per_stage: z.partialRecord(z.enum(OPP_STAGES), z.number().nonnegative()).optional().describe('owner minutes spent on reaching each stage'),
    gross_margin: z.number().gt(0).max(1).default(D.economics.grossMargin),
    new_business: z.object({ cost_cents: cents, customers: z.number().int().positive(), arr_cents: cents }).strict().optional()
      .describe('sales and marketing cost of new business over a period, the customers and ARR it brought: the comparison'),
  }).strict().optional(),
}).strict();

export type SalesConfig = z.output<typeof salesConfigSchema>;

/** Cross-section checks: talk-track playbooks and quota owners must exist. Paths from the root of the file. */
export function salesIssues(sales: SalesConfig | undefined, playbookIds: readonly string[], memberIds: readonly string[]): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  (sales?.talk_tracks ?? []).forEach((t, i) => (t.playbooks ?? []).forEach((p, j) => {
    if (!playbookIds.includes(p)) out.push({ path: ['sales', 'talk_tracks', i, 'playbooks', j], message: `unknown playbook "${p}" (known: ${playbookIds.join(', ') || 'none'})` });
  }));
  (sales?.quotas ?? []).forEach((q, i) => {
    if (!memberIds.includes(q.owner)) out.push({ path: ['sales', 'quotas', i, 'owner'], message: `unknown team member "${q.owner}" (known: ${memberIds.join(', ') || 'none'})` });
  });
  return out;
}

function rolePlan(p: z.output<typeof rolePlanSchema> | undefined, d: RolePlan): RolePlan {
  if (!p) return d;
  return { ratePct: p.rate_pct, pipelineBonusCents: p.pipeline_bonus_cents, accelerators: p.accelerators.map((a) => ({ aboveAttainment: a.above_attainment_pct / 100, ratePct: a.rate_pct })) };
}

export interface SalesConfigInput {
  sales?: z.input<typeof salesConfigSchema> | undefined;
  team?: { approvers?: z.input<typeof teamApproverSchema>[] | undefined } | undefined;
  metrics?: { credit_split?: { csm?: number | undefined; ae?: number | undefined } | undefined } | undefined;
}

export function toSalesSettings(cfg: SalesConfigInput): SalesSettings {
  const s = salesConfigSchema.parse(cfg.sales ?? {});
  const split = cfg.metrics?.credit_split;
  const e = s.economics;
  const track = (t: z.output<typeof talkTrackSchema>): TalkTrack => ({
    id: t.id, discovery: t.discovery, valueRecap: t.value_recap, roi: t.roi, proofPoints: t.proof_points, nextSteps: t.next_steps,
    objections: t.objections as Partial<Record<LossReason, string>>,
    ...(t.playbooks ? { playbooks: t.playbooks } : {}), ...(t.sources ? { sources: t.sources } : {}), ...(t.offer_types ? { offerTypes: t.offer_types } : {}),
  });
  return {
    requiredBeforeProposal: s.qualification?.required_before_proposal ?? D.requiredBeforeProposal,
    objections: { ...D.objections, ...(s.objections as Partial<Record<LossReason, string>> | undefined) },
    talkTracks: (s.talk_tracks ?? []).map(track),
    discounts: {
      approvalAbovePct: s.discounts?.approval_above_pct ?? D.discounts.approvalAbovePct,
      terms: s.discounts?.terms?.map((t) => ({ termMonths: t.term_months, maxDiscountPct: t.max_discount_pct })) ?? D.discounts.terms,
      approvers: (cfg.team?.approvers ?? []).map((a) => ({ id: a.id, name: a.name })),
    },
    comp: {
      model: s.comp?.model ?? D.comp.model,
      split: { csm: split?.csm ?? D.comp.split.csm, ae: split?.ae ?? D.comp.split.ae },
      roles: { csm: rolePlan(s.comp?.csm, D.comp.roles.csm), ae: rolePlan(s.comp?.ae, D.comp.roles.ae) },
    },
    quotas: (s.quotas ?? []).map((q) => ({ owner: q.owner, period: q.period, expansionArrCents: q.expansion_arr_cents })),
    economics: {
      hourlyCostCents: e?.hourly_cost_cents ?? D.economics.hourlyCostCents,
      minutesPerTouch: { ...D.economics.minutesPerTouch, ...e?.minutes_per_touch },
      minutesPerStage: e?.minutes_per_stage ? { ...e.minutes_per_stage } as Record<string, number> : D.economics.minutesPerStage,
      grossMargin: e?.gross_margin ?? D.economics.grossMargin,
      ...(e?.new_business ? { newBusiness: { costCents: e.new_business.cost_cents, customers: e.new_business.customers, arrCents: e.new_business.arr_cents } } : {}),
    },
  };
}
