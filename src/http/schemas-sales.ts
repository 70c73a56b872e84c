// Request schemas of the sales endpoints (manual opportunities, qualification, hand-off decisions,
// quotes and approvals, the sales reports). Requests are validated with them; /openapi.json is generated from them.
import { z } from 'zod';
import { LOSS_REASONS } from '../core/sales/objections.ts';
import { MANUAL_SOURCES, QUAL_ITEMS } from '../core/sales/types.ts';

const id = z.string().min(1).max(200);
const note = z.string().max(500);

export const createOpportunityRequestSchema = z.object({
  account: id,
  offer: id.optional().describe('the plan to offer (default: the engine\'s recommended tier)'),
  source: z.enum(MANUAL_SOURCES).describe('seed 002\'s CSM observation, seed 000\'s QBR, or an inbound ask'),
  by: id.optional().describe('who raised it (a team member id; default: the API key)'),
  owner: id.optional().describe('the owner (default: `by` when a CSM, else the account\'s CSM, else the least loaded CSM)'),
  note: note.optional(),
});

const answer = z.object({ met: z.boolean(), note: note.optional() });
export const qualificationRequestSchema = z.object({
  ...Object.fromEntries(QUAL_ITEMS.map((k) => [k, answer.optional()])) as Record<(typeof QUAL_ITEMS)[number], z.ZodOptional<typeof answer>>,
  by: id.optional(),
}).strict();

export const handoffDecisionRequestSchema = z.object({
  decision: z.enum(['accepted', 'bounced']),
  reason: note.optional().describe('required when bounced'),
  by: id.optional().describe('the AE deciding (default: the API key)'),
});

export const quoteRequestSchema = z.object({
  discount_pct: z.number().min(0).max(100),
  term_months: z.number().int().min(1).max(120),
  by: id.optional(),
});

export const quoteDecisionRequestSchema = z.object({
  approve: z.boolean(),
  approver: id.describe('a team.approvers id or name'),
  reason: note.optional().describe('required when refusing'),
});

/** The close request, now with the objection a lost deal was lost to and a won deal's own credit split. */
export const salesCloseFields = {
  loss_reason: z.enum(LOSS_REASONS).optional().describe('required when lost: the objections taxonomy'),
  credit: z.array(z.object({ person: id, pct: z.number().int().min(0).max(100) })).optional().describe('won: this deal\'s split in whole percents adding up to 100 (default: the comp model)'),
};

export const periodQuerySchema = z.object({ period: z.string().max(20).optional().describe('2026-07, 2026-Q3 or 2026 (default: the current quarter)') });
