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

const id = z.string().min(1).max(200);

export const checkoutRequestSchema = z.object({
  account: id,
  offer: id.optional().describe('the accepted offer\'s key (plan:pro, units:seats:8, addon:analytics_module, ...; default: the recommendation)'),
  expires_in_hours: z.number().int().min(1).max(720).default(72).describe('how long the upgrade link stays valid'),
});
export const downgradeRequestSchema = z.object({ account: id, plan: id.describe('the lower tier') });
export const cancelRequestSchema = z.object({ account: id });

const stripeChange = z.object({
  items: z.array(z.object({
    action: z.enum(['add', 'update', 'delete']),
    current: z.string().optional().describe('the price of the subscription item to change: look its si_ id up on the subscription'),
    price: z.string().optional(), quantity: z.number().int().optional(),
  })),
  proration_behavior: z.enum(['always_invoice', 'create_prorations', 'none']),
  proration_date: z.number().int().describe('unix seconds: pass it to Stripe so it prorates to the same second as the preview'),
  cancel_at_period_end: z.boolean().optional(),
});
const preview = z.object({
  lines: z.array(z.object({ description: z.string(), price: z.string(), quantity: z.number(), amount: z.number().int().describe('cents; negative: a credit'), proration: z.boolean(), periodStart: iso, periodEnd: iso })),
  total: z.number().int(), dueNow: z.number().int().describe('charged at once (upgrades)'),
  next: z.object({ at: iso, amount: z.number().int(), lines: z.array(z.object({ description: z.string(), price: z.string(), quantity: z.number(), amount: z.number().int() })) }),
  remainingSeconds: z.number().int(), periodSeconds: z.number().int(),
});
export const checkoutResponseSchema = z.object({
  account: z.string(), kind: z.enum(['upgrade', 'downgrade', 'cancel']), currency: z.string(),
  offer: z.object({ key: z.string(), name: z.string(), type: z.string(), plan: z.object({ id: z.string(), name: z.string() }) }).nullable(),
  period: z.object({ start: iso, end: iso }),
  stripe: stripeChange, preview,
  link: z.object({ url: z.string(), expiresAt: iso }).optional().describe('upgrades: the signed link that shows this preview to the customer'),
});
