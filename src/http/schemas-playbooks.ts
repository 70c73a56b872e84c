// Request and response schemas of the playbook endpoints (decide, prompt outcomes, opportunities,
// trials, revenue metrics). Requests are validated with them; /openapi.json is generated from them.
import { z } from 'zod';
import { OPP_STAGES } from '../core/playbooks/opportunity.ts';
import { salesCloseFields } from './schemas-sales.ts';

const id = z.string().min(1).max(200);
const iso = z.string().describe('ISO-8601');

export const decideRequestSchema = z.object({
  account: id.describe('the account (the Segment group / your customer id)'),
  user: id.describe('the user in front of the product'),
  context: z.object({
    session: id.optional().describe('the user\'s session: at most one prompt per session'),
    feature: id.optional().describe('the gated feature the user just opened, if any'),
  }).optional(),
});

export const promptSchema = z.object({
  playbook: z.string(), title: z.string(), body: z.string(), cta: z.string(),
  target: z.object({ id: z.string(), name: z.string() }),
  comparison: z.object({
    gainedFeatures: z.array(z.string()),
    limits: z.array(z.object({ meter: z.string(), from: z.number().nullable(), to: z.number().nullable(), observed: z.number() })),
  }),
  price: z.object({ monthlyDeltaCents: z.number(), annualDeltaCents: z.number().nullable(), proratedNowCents: z.number().nullable() }),
  trial: z.object({ days: z.number() }).nullable(),
  reasons: z.array(z.string()).describe('why now, in the account\'s own numbers'),
});

export const decideResponseSchema = z.discriminatedUnion('show', [
  z.object({ show: z.literal(true), id: z.string().describe('the prompt id for POST /v1/prompts/{id}/outcome'), account: z.string(), user: z.string(), prompt: promptSchema }),
  z.object({
    show: z.literal(false), id: z.null(), account: z.string(), user: z.string(), reason: z.string(),
    code: z.enum(['session_cap', 'user_week_cap', 'account_week_cap', 'cooldown', 'disqualified', 'no_moment', 'no_offer', 'unknown_account', 'on_trial']),
  }),
]);

export const promptOutcomeRequestSchema = z.object({ action: z.enum(['shown', 'clicked', 'dismissed', 'converted']) });

export const touchResponseSchema = z.looseObject({
  id: z.string(), account: z.string(), channel: z.string(), at: iso, user: z.string().optional(),
  outcome: z.enum(['clicked', 'dismissed', 'converted']).optional(), outcomeAt: iso.optional(),
});

export const opportunityQuerySchema = z.object({
  account: z.string().optional(),
  status: z.enum(['open', 'won', 'lost']).optional(),
  stage: z.enum(OPP_STAGES).optional(),
  owner: z.string().optional().describe('a CSM or AE id'),
  as_of: z.string().optional().describe('ages as of this moment (YYYY-MM-DD = end of that day, UTC, or an ISO time); default: now'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const opportunitySummarySchema = z.looseObject({
  id: z.string(), account: z.string(), fromPlan: z.string(), target: z.string(), targetName: z.string(),
  status: z.enum(['open', 'won', 'lost']), stage: z.enum(OPP_STAGES), openedAt: iso, updatedAt: iso, closedAt: iso.optional(),
  owner: z.string().optional(), ownerRole: z.string().optional(), arrDeltaCents: z.number(), monthlyDeltaCents: z.number(),
  score: z.number(), triggers: z.array(z.string()), ageDays: z.number().int(),
});

export const opportunityListSchema = z.object({ total: z.number().int(), opportunities: z.array(opportunitySummarySchema) });

export const opportunityDetailSchema = opportunitySummarySchema.extend({
  brief: z.looseObject({}), history: z.array(z.looseObject({ at: iso, event: z.string(), detail: z.string() })),
  steps: z.array(z.looseObject({ id: z.string(), playbook: z.string(), channel: z.string(), status: z.string(), dueAt: iso })),
  tasks: z.array(z.looseObject({ id: z.string(), title: z.string(), status: z.string() })),
});

export const stageRequestSchema = z.object({
  stage: z.enum(OPP_STAGES).describe('forward only; close with /close'),
  note: z.string().max(500).optional(),
});
export const ownerRequestSchema = z.object({ to: id.describe('the AE taking the opportunity over (CSM -> AE hand-off, with the team\'s SLA)'), intro: z.string().max(500).optional().describe('the CSM\'s warm intro (seed 004)') });
export const closeRequestSchema = z.object({ outcome: z.enum(['won', 'lost']), reason: z.string().min(1).max(500).optional().describe('a note'), ...salesCloseFields });

export const trialRequestSchema = z.object({
  account: id,
  plan: id.optional().describe('the tier to try (default: the offer\'s target)'),
  addon: id.optional().describe('an add-on module to try instead of a tier: its features unlock at once and lock when the trial ends'),
  days: z.number().int().min(1).max(365).optional().describe('default: the trial playbook\'s length, else offers.trial_days'),
  user: id.optional().describe('who started it'),
});

export const trialSchema = z.looseObject({
  id: z.string(), account: z.string(), plan: z.string(), addon: z.string().optional(), fromPlan: z.string(), startedAt: iso, endsAt: iso,
  status: z.enum(['active', 'converted', 'expired', 'ended']), endedAt: iso.optional(), opportunity: z.string().optional(),
});
export const trialStartResponseSchema = z.object({ trial: trialSchema, opportunity: z.string().nullable().describe('the opportunity it moved to Proposal') });
export const trialEndResponseSchema = z.object({ ended: z.array(trialSchema) });

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');
export const revenueQuerySchema = z.object({
  from: month.optional().describe('first month, YYYY-MM (default: the first subscription event\'s)'),
  to: month.optional().describe('last month, YYYY-MM (default: the last subscription event\'s)'),
  by: z.enum(['month', 'quarter']).default('month'),
});
