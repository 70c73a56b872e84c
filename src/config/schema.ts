// tierwise.yaml, as validated at the edge. The file is snake_case; toCatalog() turns it into core types.
import { z } from 'zod';
import { offersConfigSchema, scoringConfigSchema, signalsConfigSchema } from './engine-schema.ts';
import { channelsConfigSchema, etiquetteConfigSchema, playbookPlanIssues, playbooksConfigSchema, teamConfigSchema } from './playbooks-schema.ts';
import { httpConfigSchema, segmentConfigSchema, stripeConfigSchema } from './http-schema.ts';
import { metricsConfigSchema } from './metrics-schema.ts';

const id = z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'a lower-case identifier (a-z, 0-9, _ . -)');
const cents = z.number().int('whole cents').nonnegative('cents >= 0');

export const meterSchema = z.object({
  name: z.string().optional(),
  unit: z.string().optional(),
  reset: z.enum(['month', 'day', 'none']).describe('month/day: a counter whose limit resets each period; none: a gauge (stock) such as seats or storage'),
}).strict();

export const valueDriverSchema = z.object({
  hours_per_week: z.number().nonnegative(),
  people: z.number().nonnegative(),
  hourly_cost_cents: cents,
}).strict().describe('what the feature saves a customer, for ROI: hours per week x people x hourly cost');

export const featureSchema = z.object({
  name: z.string(),
  value: valueDriverSchema.optional(),
}).strict();

export const supportSchema = z.object({
  channels: z.array(z.enum(['email', 'chat', 'phone', 'slack', 'community'])).min(1),
  response_hours: z.number().positive(),
  csm: z.enum(['none', 'assigned', 'dedicated']),
}).strict();

export const planSchema = z.object({
  id,
  name: z.string(),
  rank: z.number().int().positive(),
  price: z.object({
    monthly: cents.describe('price per month in cents when billed monthly'),
    annual: cents.optional().describe('price per year in cents when billed annually'),
  }).strict(),
  limits: z.record(id, z.union([z.number().nonnegative(), z.literal('unlimited'), z.null()], { error: 'expected a number >= 0 or "unlimited"' }))
    .describe('per meter: a number, or "unlimited"'),
  features: z.array(id),
  support: supportSchema,
}).strict();

export const catalogCheckSchema = z.object({
  min_tiers: z.number().int().positive().default(3),
  max_tiers: z.number().int().positive().default(4),
  max_price_jump: z.number().positive().default(3),
}).strict();

export const configSchema = z.object({
  version: z.literal(1),
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'expected a 3-letter ISO 4217 currency code, such as usd or eur').default('usd'),
  store: z.object({
    /** the SQLite file (the embedded default) */
    path: z.string().optional(),
    /** a PostgreSQL URL (postgres://user@host:5432/db): several nodes share it (docs/deploy.md) */
    url: z.string().regex(/^postgres(ql)?:\/\//i, 'must be a postgres:// or postgresql:// URL').optional(),
  }).strict().optional(),
  meters: z.record(id, meterSchema),
  features: z.record(id, featureSchema).default({}),
  plans: z.array(planSchema).min(1, 'at least one plan'),
  catalog_check: catalogCheckSchema.optional(),
  signals: signalsConfigSchema.optional(),
  scoring: scoringConfigSchema.optional(),
  offers: offersConfigSchema.optional(),
  http: httpConfigSchema.optional(),
  segment: segmentConfigSchema.optional(),
  stripe: stripeConfigSchema.optional(),
  playbooks: playbooksConfigSchema.optional(),
  etiquette: etiquetteConfigSchema.optional(),
  team: teamConfigSchema.optional(),
  channels: channelsConfigSchema.optional(),
  metrics: metricsConfigSchema.optional(),
}).strict().superRefine((cfg, ctx) => {
  const seenIds = new Map<string, number>();
  const seenRanks = new Map<number, number>();
  cfg.plans.forEach((plan, i) => {
    const prevId = seenIds.get(plan.id);
    if (prevId !== undefined) ctx.addIssue({ code: 'custom', path: ['plans', i, 'id'], message: `duplicate plan id "${plan.id}" (also plans[${prevId}])` });
    seenIds.set(plan.id, i);
    const prevRank = seenRanks.get(plan.rank);
    if (prevRank !== undefined) ctx.addIssue({ code: 'custom', path: ['plans', i, 'rank'], message: `duplicate rank ${plan.rank} (also plans[${prevRank}])` });
    seenRanks.set(plan.rank, i);
    for (const meter of Object.keys(plan.limits)) {
      if (!(meter in cfg.meters)) ctx.addIssue({ code: 'custom', path: ['plans', i, 'limits', meter], message: `unknown meter "${meter}"; declare it under meters: (known: ${Object.keys(cfg.meters).join(', ')})` });
    }
    plan.features.forEach((f, j) => {
      if (!(f in cfg.features)) ctx.addIssue({ code: 'custom', path: ['plans', i, 'features', j], message: `unknown feature "${f}"; declare it under features:` });
    });
  });
  for (const issue of playbookPlanIssues(cfg.playbooks, cfg.plans.map((p) => p.id))) ctx.addIssue({ code: 'custom', ...issue });
});

export type TierwiseConfigInput = z.input<typeof configSchema>;
export type TierwiseConfig = z.output<typeof configSchema>;
