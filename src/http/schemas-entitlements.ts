// Response schemas of the entitlements endpoint (and, below, the checkout hand-off); /openapi.json is generated from them.
import { z } from 'zod';

const iso = z.string().describe('ISO-8601');
const grant = z.enum(['plan', 'addon', 'units', 'trial']);

export const entitlementsResponseSchema = z.object({
  account: z.string(),
  plan: z.object({ id: z.string(), name: z.string() }),
  asOf: iso,
  features: z.array(z.object({
    id: z.string(), name: z.string(), available: z.boolean(),
    via: grant.nullable().describe('what grants it: the plan, an add-on held, or a running trial (null: nothing)'),
    addon: z.string().optional(), trialPlan: z.string().optional(), trialEndsAt: iso.optional().describe('the feature locks at this moment'),
  })),
  meters: z.array(z.object({
    id: z.string(), name: z.string(), unit: z.string(), reset: z.enum(['month', 'day', 'none']),
    limit: z.number().nullable().describe('null: unlimited; 0: not offered on the plan'),
    used: z.number().describe('this period\'s use (counters) or the current level (gauges)'),
    remaining: z.number().nullable().describe('null: unlimited; never below 0'),
    util: z.number(), via: grant.nullable().describe('what raised the limit above the plan\'s own'),
  })),
  trials: z.array(z.object({ id: z.string(), plan: z.string(), addon: z.string().optional(), name: z.string(), startedAt: iso, endsAt: iso })),
  changesAt: iso.nullable().describe('the earliest moment this answer changes by itself (a trial ending): cache no longer than this'),
  ttlSeconds: z.number().int().describe('how long the answer may be cached (also in Cache-Control)'),
});
