// Request schemas of the experiment endpoints. The shape is checked here; what depends on the
// config (the playbook, its steps, the factor's fields) is checked by validateExperiment, which
// names the field and why.
import { z } from 'zod';
import { FACTORS } from '../core/experiments/types.ts';
import { CHANNELS } from '../core/playbooks/types.ts';

const variantSchema = z.object({
  id: z.string().min(1).max(100),
  weight: z.number().positive().optional().describe('relative weight among the variants (default 1)'),
  template: z.object({ title: z.string(), subject: z.string(), body: z.string(), cta: z.string() }).partial().optional().describe('copy: the parts of the step\'s template it replaces'),
  day: z.number().int().nonnegative().optional().describe('timing: the step\'s day in the play'),
  channel: z.enum(CHANNELS).optional().describe('channel: the step goes out on this channel'),
  discount_pct: z.number().min(0).max(100).optional().describe('discount: carried in the step\'s payload'),
}).strict();

export const createExperimentRequestSchema = z.object({
  id: z.string().min(1).max(100),
  name: z.string().max(200).optional(),
  playbook: z.string().min(1),
  step: z.number().int().positive().optional().describe('the step that varies, 1 = the first (default 1)'),
  factor: z.enum(FACTORS),
  holdout: z.number().min(0).max(0.5).optional().describe('share of accounts that get no play of this playbook (default 0)'),
  variants: z.array(variantSchema).min(1),
}).strict();

export const experimentReportQuerySchema = z.object({
  as_of: z.string().optional().describe('the date the report says it is read on (default: now)'),
});
